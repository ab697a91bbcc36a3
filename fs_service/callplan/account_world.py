"""The database side of :mod:`.internal_treatment`: one account's treatments and welcome menus
(the per-process copy kept under its routing token, public_cache) and its extensions and
mailboxes (the call's :class:`~.context.DbDirectory`), answering the treatment planner for an
internal caller, and the ``ivr.conf`` fetch of such a call's welcome menu. Nothing of another
account is ever answered.
"""
from __future__ import annotations

import sqlalchemy as sa

from .. import fastread
from ..calls.context import DbDirectory, account_view_by_domain
from ..calls.model import AccountRouting
from ..models import CallVersion
from ..numbering import PUBLIC_CONTEXT
from . import public_cache
from .ivr_menu import IvrMenu, ivr_menu
from .public_model import MenuSnapshot, TreatmentSnapshot

_TOKEN = sa.select(CallVersion.routing_token).where(CallVersion.account_id == sa.bindparam("account_id"))


class AccountWorld:
    def __init__(self, directory: DbDirectory) -> None:
        self._directory = directory
        self.account_id = directory.view.account_id
        row = fastread.fetch_one(_TOKEN, {"account_id": self.account_id})
        self._routing = public_cache.routing.get(self.account_id, row.routing_token if row else None)

    def treatment(self, account_id: int, treatment_id: int) -> TreatmentSnapshot | None:
        return self._routing.treatments.get(treatment_id) if account_id == self.account_id else None

    def menu(self, account_id: int, menu_id: int) -> MenuSnapshot | None:
        return self._routing.menus.get(menu_id) if account_id == self.account_id else None

    def mailbox_number(self, account_id: int, mailbox_id: int) -> str | None:
        return self._directory.mailbox_number(mailbox_id) if account_id == self.account_id else None

    def directory(self, entry) -> DbDirectory:
        return self._directory

    def routing(self, entry) -> AccountRouting:
        return self._directory.view.routing


def internal_ivr_menu(menu_id: int, context: str) -> IvrMenu | None:
    """The menu an internal caller's ``ivr`` app asks for (no company number on the channel).

    The account is the one whose SIP domain is the channel's context (``Caller-Context``): it is
    set by FreeSWITCH -- the phone's ``user_context`` from our directory, or our own transfers --
    never by the caller, and it is the context whose dialplan (ours) ran the ``ivr`` app after
    checking the menu's treatment against that account. The menu must belong to that account;
    its keys re-enter that context."""
    view = account_view_by_domain(context) if context and context != PUBLIC_CONTEXT else None
    if view is None:
        return None
    menu = AccountWorld(DbDirectory(view)).menu(view.account_id, menu_id)
    return ivr_menu(menu, context=view.domain) if menu is not None else None
