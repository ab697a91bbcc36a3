"""Mailboxes of an account (VM-3..5): list with "N messages / max", create, read, change,
empty (optionally with the custom greetings) and delete.

Admins manage every box of the account. A user sees the boxes of their own extensions (any
other box is 404, like another tenant's), may change their ``pin``, ``email`` and
``email_only`` and empty them; other fields, creating and deleting are admin-only (403).
Messages are in voicemail_messages.py.
"""
from __future__ import annotations

from fs_service import voicemail as core
from schema.voicemail import EmptyMailboxSchema, MailboxCreateSchema, MailboxSchema, MailboxUpdateSchema
from web.voicemail_access import check_changes_allowed, mailbox_for, usage_of, visible_boxes

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_mailboxes", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/mailboxes",
                  description="Voicemail boxes: settings, usage, empty, delete")
ONE = "/<int:mailbox_id>"


@bp.route("", methods=["GET"])
@bp.response(200, MailboxSchema(many=True))
def list_mailboxes(account_id: int) -> list[core.MailboxUsage]:
    """Admins: every box; users: the boxes of their extensions. ``messages`` / ``max_messages``
    is the guide's "N messages / 100"; ``full`` means callers cannot leave a message (VM-4)."""
    user, account = scoped(account_id)
    return visible_boxes(user, account)


@bp.route("", methods=["POST"])
@bp.arguments(MailboxCreateSchema)
@bp.response(201, MailboxSchema)
def create_mailbox(data: dict, account_id: int) -> core.MailboxUsage:
    """Admins. A standalone box (e.g. 3000 "general mailbox") takes a free extension number;
    with ``extension_id``, the box of an extension that has none (its number, then). Keys 0 and
    * left empty go to the reception and to voicemail access; ``pin`` left empty: 6 random digits."""
    _, account = scoped(account_id, admin=True)
    box = core.create_mailbox(account, **data)
    commit()
    return usage_of(account, box)


@bp.route(ONE, methods=["GET"])
@bp.response(200, MailboxSchema)
def get_mailbox(account_id: int, mailbox_id: int) -> core.MailboxUsage:
    user, account = scoped(account_id)
    return usage_of(account, mailbox_for(user, account, mailbox_id))


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(MailboxUpdateSchema)
@bp.response(200, MailboxSchema)
def update_mailbox(changes: dict, account_id: int, mailbox_id: int) -> core.MailboxUsage:
    """Number and extension are fixed. ``email_only`` needs an email; a new ``pin`` unlocks a box
    locked after wrong passwords. Users: ``pin``, ``email`` and ``email_only`` of their own box."""
    user, account = scoped(account_id)
    box = mailbox_for(user, account, mailbox_id)
    check_changes_allowed(user, account, changes)
    core.update_mailbox(account, box, changes)
    commit()
    return usage_of(account, box)


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_mailbox(account_id: int, mailbox_id: int) -> None:
    """Admins. Messages (even those still waiting for their email), greetings and files go too.
    An extension's own box may be deleted: the extension then has no voicemail until a box is
    created again for it (POST with its ``extension_id``)."""
    user, account = scoped(account_id, admin=True)
    core.delete_mailbox(account, mailbox_for(user, account, mailbox_id))
    commit()


@bp.route(f"{ONE}/empty", methods=["POST"])
@bp.arguments(EmptyMailboxSchema)
@bp.response(200, MailboxSchema)
def empty_mailbox(data: dict, account_id: int, mailbox_id: int) -> core.MailboxUsage:
    """Delete every message (guide: "Vider une boîte vocale"), and the custom greetings too when
    ``delete_greetings`` (unavailable, busy, temporary, recorded name). The phone lamp goes off."""
    user, account = scoped(account_id)
    box = mailbox_for(user, account, mailbox_id)
    core.empty_mailbox(account, box, **data)
    commit()
    return usage_of(account, box)
