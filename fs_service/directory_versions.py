"""Saved = live for cached SIP users and call settings: any change to what a directory
document or an account's call plan reads renews the account's ``directory_token`` in the same
transaction.

Each process may then keep rendered directory documents keyed by (domain, user) and the token,
and the account's view for its calls (fs_service.calls.context.AccountView): one small
indexed read per request tells it whether a cached copy is still exact, so a change committed by
any process is served by every process on the very next request. The watched models are those
both are built from; ORM changes are seen automatically (bulk SQL that bypasses the ORM on these
tables must call :func:`touch` itself). A carrier gateway may serve many accounts (a global one
serves all that have none of their own), so a gateway change renews every account's token:
gateways change rarely, and a renewed token only costs a rebuild on the next call.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import fastread
from .models import Account, CallVersion, Extension, Gateway, Mailbox, PhoneNumber, Softphone, User
from .models.numbers import new_token

WATCHED = (Account, User, Extension, Softphone, PhoneNumber, Mailbox)
_TOKEN = (sa.select(CallVersion.directory_token)
          .join(Account, Account.id == CallVersion.account_id)
          .where(Account.sip_domain == sa.bindparam("domain")))


def touch(session: Session, account_id: int) -> None:
    version = session.get(CallVersion, account_id)
    if version is None:
        session.add(CallVersion(account_id=account_id))  # every token fresh
    else:
        version.directory_token = new_token()


def _account_id(obj) -> int | None:
    return obj.id if isinstance(obj, Account) else getattr(obj, "account_id", None)


@event.listens_for(Session, "before_flush")
def _renew_tokens(session: Session, _context, _instances) -> None:
    if any(isinstance(obj, Gateway) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.execute(sa.update(CallVersion).values(directory_token=new_token()),
                        execution_options={"synchronize_session": False})
    changed = {_account_id(obj) for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, WATCHED)}
    gone = {obj.id for obj in session.deleted if isinstance(obj, Account)}  # its tokens go with it
    for account_id in sorted(a for a in changed - gone if a is not None):
        if session.get(Account, account_id) is not None:
            touch(session, account_id)


def directory_token(domain: str) -> str | None:
    """The account's current token, or None (unknown domain, or no token yet: do not cache)."""
    row = fastread.fetch_one(_TOKEN, {"domain": domain.strip().lower()})
    return row.directory_token if row is not None else None
