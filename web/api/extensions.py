"""Extensions of an account (EXT-1, EXT-2) and their SIP credentials.

Admins manage every extension of their account; a user sees only the extensions assigned to
them (others are 404, like another tenant's), and admin-only endpoints answer them 403.
"""
from __future__ import annotations

from fs_service.access import extension_for, is_admin_of
from fs_service.extensions import rules as core
from fs_service.models import Account, Extension
from schema.extensions import (ExtensionCreateSchema, ExtensionSchema, ExtensionUpdateSchema, SipCredentialsSchema,
                               SuggestionQuerySchema, SuggestionsSchema)

from .base import PREFIX, ApiBlueprint, commit, scoped, settings, welcome

bp = ApiBlueprint("api_extensions", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/extensions",
                  description="Extensions and their SIP credentials")
ONE = "/<int:extension_id>"


def _assignment(data: dict) -> core.Assignment:
    """Move the assignment fields of the create input into the core's Assignment."""
    return core.Assignment(mode=data.pop("assignment"), user_id=data.pop("user_id"),
                           first_name=data.pop("first_name"), last_name=data.pop("last_name"),
                           email=data.pop("email") or "")


def _credentials(account: Account, ext: Extension) -> dict:
    return {"sip_username": ext.number, "sip_password": ext.sip_password,
            "sip_domain": account.sip_domain, "sip_server": settings().resolved_sip_server}


@bp.route("", methods=["GET"])
@bp.response(200, ExtensionSchema(many=True))
def list_extensions(account_id: int) -> list[Extension]:
    """Admins: every extension of the account; users: their own."""
    user, account = scoped(account_id)
    return core.list_extensions(account, None if is_admin_of(user, account) else user)


@bp.route("/suggestions", methods=["GET"])
@bp.arguments(SuggestionQuerySchema, location="query")
@bp.response(200, SuggestionsSchema)
def suggestions(query: dict, account_id: int) -> dict:
    """Free numbers to offer when creating an extension (admins)."""
    _, account = scoped(account_id, admin=True)
    return {"numbers": core.suggest_numbers(account, query["count"])}


@bp.route("", methods=["POST"])
@bp.arguments(ExtensionCreateSchema)
@bp.response(201, ExtensionSchema)
def create_extension(data: dict, account_id: int) -> Extension:
    """Admins. A new user receives a welcome email to set their password."""
    _, account = scoped(account_id, admin=True)
    assignment = _assignment(data)
    ext, new_user = core.create_extension(account, assignment=assignment, **data)
    commit()
    welcome(new_user)
    return ext


@bp.route(ONE, methods=["GET"])
@bp.response(200, ExtensionSchema)
def get_extension(account_id: int, extension_id: int) -> Extension:
    user, account = scoped(account_id)
    return extension_for(user, account, extension_id)


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(ExtensionUpdateSchema)
@bp.response(200, ExtensionSchema)
def update_extension(changes: dict, account_id: int, extension_id: int) -> Extension:
    user, account = scoped(account_id, admin=True)
    ext = core.update_extension(account, extension_for(user, account, extension_id), changes)
    commit()
    return ext


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_extension(account_id: int, extension_id: int) -> None:
    """Admins. Its mailbox and softphones go with it; FreeSWITCH forgets every SIP user."""
    user, account = scoped(account_id, admin=True)
    core.delete_extension(account, extension_for(user, account, extension_id))
    commit()


@bp.route(f"{ONE}/sip-credentials", methods=["GET"])
@bp.response(200, SipCredentialsSchema)
def sip_credentials(account_id: int, extension_id: int) -> dict:
    """Admins: what to type into a desk phone for this extension."""
    user, account = scoped(account_id, admin=True)
    return _credentials(account, extension_for(user, account, extension_id))


@bp.route(f"{ONE}/sip-password", methods=["POST"])
@bp.response(200, SipCredentialsSchema)
def regenerate_sip_password(account_id: int, extension_id: int) -> dict:
    """Admins: a new SIP password; phones using the old one stop registering."""
    user, account = scoped(account_id, admin=True)
    ext = extension_for(user, account, extension_id)
    core.regenerate_sip_password(account, ext)
    commit()
    return _credentials(account, ext)
