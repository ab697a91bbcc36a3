"""The voicemail dialogues' door to the core: short transactions, plain data in and out.

A call lasts minutes; holding a database transaction (and a pooled connection) that long
would starve the pool, so each method runs in its own app context and commits at once.
The dialogues (dialogues/) only see this class; the outbound socket server builds one per
process. Tests use it against the real database.
"""
from __future__ import annotations

import hmac
import logging
import wave
from datetime import datetime, timedelta, timezone
from typing import Callable, TypeVar

import sqlalchemy as sa

from ..audio_storage import current_storage
from ..db import AppScope, db
from ..models import Account, Extension, Mailbox, VoicemailMessage
from . import greetings, keys, messages
from .views import BoxView, LoginResult, MessageView

log = logging.getLogger("pbx.voicemail.store")
T = TypeVar("T")
MAX_FAILED_LOGINS = 3
LOCK_MINUTES = 10


def run_committed(app: AppScope, work: Callable[[], T]) -> T:
    """``work`` in its own app context and transaction, committed at once (rolled back on error)."""
    with app.app_context():
        try:
            result = work()
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise


class VoicemailStore:
    def __init__(self, app: AppScope) -> None:
        self.app = app
        with app.app_context():
            self.storage = current_storage()

    def _run(self, work: Callable[[], T]) -> T:
        return run_committed(self.app, work)

    # -- mailboxes -----------------------------------------------------------------------
    def _box(self, domain: str, number: str) -> tuple[Mailbox, Account] | None:
        row = db.session.execute(sa.select(Mailbox, Account).join(Account, Account.id == Mailbox.account_id)
                                 .where(Account.sip_domain == (domain or "").lower(), Account.enabled.is_(True),
                                        Mailbox.number == number)).first()
        return (row[0], row[1]) if row else None

    def _view(self, box: Mailbox, account: Account) -> BoxView:
        language = db.session.scalar(sa.select(Extension.language).where(Extension.id == box.extension_id)) \
            if box.extension_id else None
        return BoxView(box.id, box.number, account.sip_domain, box.name, language or account.language,
                       account.timezone, box.max_message_seconds, box.email_only, bool(box.email),
                       messages.is_full(box), box.extension_id is not None, greetings.greeting_files(box),
                       {k: keys.key_action(account, box, k) for k in ("0", "*")})

    def find_box(self, domain: str, number: str) -> BoxView | None:
        def work():
            found = self._box(domain, number)
            return self._view(*found) if found else None
        return self._run(work)

    def login(self, domain: str, number: str, pin: str) -> LoginResult:
        """Check a password; three wrong ones in a row lock the box for a few minutes."""
        return self._run(lambda: self._login(domain, number, pin))

    def _login(self, domain: str, number: str, pin: str) -> LoginResult:
        found = self._box(domain, number)
        if found is None:
            return LoginResult("bad")
        box, account = found
        now = datetime.now(timezone.utc)
        locked = box.locked_until
        if locked is not None and (locked if locked.tzinfo else locked.replace(tzinfo=timezone.utc)) > now:
            return LoginResult("locked")
        if pin and hmac.compare_digest(pin.encode(), box.pin.encode()):
            box.failed_logins, box.locked_until = 0, None
            return LoginResult("ok", self._view(box, account))
        box.failed_logins += 1
        if box.failed_logins >= MAX_FAILED_LOGINS:
            box.failed_logins, box.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
            log.warning("voicemail box locked box=%s domain=%s", number, domain)
            return LoginResult("blocked")
        return LoginResult("bad")

    def refresh(self, box: BoxView) -> BoxView:
        return self.find_box(box.domain, box.number) or box

    def change_pin(self, box_id: int, pin: str) -> None:
        def work():
            box = db.session.get(Mailbox, box_id)
            box.pin, box.failed_logins, box.locked_until = pin, 0, None
        self._run(work)

    # -- recordings ------------------------------------------------------------------------
    def new_recording(self, box: BoxView, kind: str) -> str:
        return self.storage.new_recording(box.domain, box.number, kind)

    def discard(self, fs_path: str) -> None:
        self.storage.remove(fs_path)

    def seconds_of(self, fs_path: str) -> float:
        """Length of a recording read from its WAV header (0 when missing or unreadable)."""
        path = self.storage.local_path(fs_path)
        try:
            with wave.open(str(path), "rb") as audio:
                return audio.getnframes() / float(audio.getframerate() or 1)
        except (OSError, EOFError, wave.Error, TypeError):
            return 0.0

    # -- messages --------------------------------------------------------------------------
    def leave_message(self, box: BoxView, fs_path: str, seconds: float, caller_number: str,
                      caller_name: str) -> int:
        """Store a deposit and owe its email (when the box has one; the mail queue sends it). A
        file already filed (recovery.py, after a restart) keeps its one row and its one email."""
        def work():
            filed = db.session.scalar(sa.select(VoicemailMessage.id).where(VoicemailMessage.audio_path == fs_path))
            if filed is not None:
                return filed
            row = db.session.get(Mailbox, box.id)
            return messages.record_message(row, fs_path, seconds, caller_number, caller_name).id
        return self._run(work)

    def list_messages(self, box_id: int) -> list[MessageView]:
        def work():
            box = db.session.get(Mailbox, box_id)
            return [MessageView(m.id, m.folder, m.caller_number, m.caller_name, _epoch(m.created_at),
                                m.duration_seconds, m.audio_path or "") for m in messages.list_messages(box)]
        return self._run(work)

    def _message_change(self, box_id: int, message_id: int, change: Callable) -> None:
        def work():
            box = db.session.get(Mailbox, box_id)
            message = db.session.get(VoicemailMessage, message_id)
            if box is not None and message is not None and message.mailbox_id == box.id:
                change(box, message)
        self._run(work)

    def save_message(self, box_id: int, message_id: int) -> None:
        self._message_change(box_id, message_id, lambda b, m: messages.move_message(b, m, "saved"))

    def delete_message(self, box_id: int, message_id: int) -> None:
        self._message_change(box_id, message_id, messages.delete_message)

    # -- greetings -------------------------------------------------------------------------
    def set_greeting(self, box_id: int, kind: str, fs_path: str) -> None:
        self._run(lambda: greetings.set_greeting(db.session.get(Mailbox, box_id), kind, fs_path))

    def remove_greeting(self, box_id: int, kind: str) -> bool:
        return self._run(lambda: greetings.remove_greeting(db.session.get(Mailbox, box_id), kind))


def _epoch(moment: datetime) -> int:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())
