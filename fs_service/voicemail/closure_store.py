"""The closure message dialogue's door to the core (HRS-4): short transactions, plain data.

Like VoicemailStore, each method runs in its own app context and commits at once, so no
transaction is held while the caller listens to a prompt.

**Attempts**: 3 wrong code/password pairs within 10 minutes lock the service for the rest of
those 10 minutes, across calls (the voicemail login's rule). Failures are rows of the login
throttle table (``LoginAttempt``, shared by every process) under a key that is not an email:
``closure:<account id>`` for 8400 dialed from a phone of the account, and
``closure:<account id>:number:<id>`` through a number's welcome menu, which any caller can
reach: a stranger guessing there locks that number's menu door only, never the account's
phones. A success clears the key's failures.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa

from ..audio_files import speech_seconds
from ..audio_storage import current_storage
from ..db import AppScope, db, utcnow
from ..models import Account, LoginAttempt, PhoneNumber
from ..numbers import rules as numbers
from ..numbers.sound_uploads import number_owner
from .store import run_committed

log = logging.getLogger("pbx.voicemail.closure")
T = TypeVar("T")
MAX_FAILURES = 3
LOCK_MINUTES = 10


@dataclass(frozen=True)
class ClosureNumber:
    id: int
    account_id: int
    domain: str
    e164: str
    language: str


@dataclass(frozen=True)
class ClosureLogin:
    """``status``: ok | bad | locked (already) | blocked (this failure locked the service)."""
    status: str
    number: ClosureNumber | None = None


def throttle_key(account_id: int, number_id: int | None) -> str:
    return f"closure:{account_id}" if number_id is None else f"closure:{account_id}:number:{number_id}"


class ClosureStore:
    def __init__(self, app: AppScope) -> None:
        self.app = app
        with app.app_context():
            self.storage = current_storage()

    def _run(self, work: Callable[[], T]) -> T:
        return run_committed(self.app, work)

    # -- login -----------------------------------------------------------------------------
    def login(self, domain: str, code: str, password: str, number_id: int | None) -> ClosureLogin:
        return self._run(lambda: self._login(domain, code, password, number_id))

    def _login(self, domain: str, code: str, password: str, number_id: int | None) -> ClosureLogin:
        account = db.session.scalar(sa.select(Account).where(Account.sip_domain == (domain or "").lower(),
                                                             Account.enabled.is_(True)))
        if account is None:
            return ClosureLogin("bad")
        key = throttle_key(account.id, number_id)
        since = utcnow() - timedelta(minutes=LOCK_MINUTES)
        failures = sa.select(sa.func.count(LoginAttempt.id)).where(LoginAttempt.email == key,
                                                                   LoginAttempt.created_at >= since)
        if (db.session.scalar(failures) or 0) >= MAX_FAILURES:
            return ClosureLogin("locked")
        number = numbers.check_closure_credentials(account, code, password, number_id)
        if number is not None:
            db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == key))
            return ClosureLogin("ok", ClosureNumber(number.id, account.id, account.sip_domain, number.e164,
                                                    account.language))
        db.session.add(LoginAttempt(email=key, remote_addr="phone"))
        db.session.flush()
        if (db.session.scalar(failures) or 0) >= MAX_FAILURES:
            log.warning("closure message service locked key=%s", key)
            return ClosureLogin("blocked")
        return ClosureLogin("bad")

    # -- recordings ------------------------------------------------------------------------
    def new_recording(self, number: ClosureNumber) -> str:
        return self.storage.new_recording(number.domain, number_owner(number), "closure")  # as uploads

    def speech_of(self, fs_path: str) -> float:
        path = self.storage.local_path(fs_path)
        return speech_seconds(path)

    def discard(self, fs_path: str) -> None:
        self.storage.remove(fs_path)

    def save(self, number: ClosureNumber, fs_path: str, speech: float) -> bool:
        """Use the recording (True), or disable the message when it holds too little speech
        (False; the recording is then deleted). The previous file goes after the commit."""
        def work() -> bool:
            account, row = db.session.get(Account, number.account_id), db.session.get(PhoneNumber, number.id)
            return numbers.record_closure_message(account, row, fs_path, speech)
        kept = self._run(work)
        if not kept:
            self.discard(fs_path)
        return kept

    def disable(self, number: ClosureNumber) -> None:
        """Key 3: no closure message any more (its file goes after the commit)."""
        def work() -> None:
            account, row = db.session.get(Account, number.account_id), db.session.get(PhoneNumber, number.id)
            numbers.clear_closure_message(account, row)
        self._run(work)


__all__ = ["ClosureLogin", "ClosureNumber", "ClosureStore", "throttle_key"]
