"""Saved = live for what inbound calls cache: each change renews a per-account token.

Every web process keeps compiled copies of an account's blacklist (a matcher) and of its
treatments and menus (the routing); the dialplan reads both tokens with the dialed number, in
the same query, and rebuilds a copy only when its token changed. So a change committed by
any process is seen by every process on its next call, at no cost per call otherwise.
"""
from __future__ import annotations

from .db import db
from .models import CallVersion
from .models.numbers import new_token


def touch(account_id: int, *, blacklist: bool = False, routing: bool = False) -> None:
    """Renew the account's blacklist and/or routing token (in the caller's transaction)."""
    version = db.session.get(CallVersion, account_id)
    if version is None:
        db.session.add(CallVersion(account_id=account_id))  # both tokens fresh
        return
    if blacklist:
        version.blacklist_token = new_token()
    if routing:
        version.routing_token = new_token()
