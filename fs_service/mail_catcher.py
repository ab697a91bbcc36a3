"""The development mail catcher's mailbox: every email ``pbx run`` "sends" in development with
no mail server configured lands here as one ``.eml`` file, so that a welcome or reset link can
be opened from the UI (issue 20.3). Files only: the SMTP sink that writes them is the shell's
(pbx/mail_catcher.py), the page that reads them is the web door's.

Names are ``<UTC time>-<counter>.eml``: sortable, and a name read back from a URL is accepted
only if it has exactly that shape, so a crafted name cannot leave the folder.
"""
from __future__ import annotations

import email
import email.policy
import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

from .errors import NotFound

FOLDER = "mail-catcher"
NAME = re.compile(r"^\d{8}T\d{6}\d{6}Z-\d{1,9}\.eml$")
LIST_LIMIT = 200  # newest first; the folder is a developer's, older files stay on disk
_counter = itertools.count(1)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class CaughtMail:
    """One caught email as a page shows it."""

    name: str
    received_at: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str | None
    attachments: tuple[Attachment, ...]


def catches(settings) -> bool:
    """Only a development instance runs a catcher (pbx/mail_catcher.py); production and the
    tests always use their SMTP server."""
    return settings.env == "development"


def enabled(settings) -> bool:
    """Whether the mailbox can be read (the operator's page): anywhere but in production."""
    return settings.env != "production"


def folder(settings) -> Path:
    return Path(settings.instance_path) / FOLDER


def store(target: Path, raw: bytes) -> Path:
    """Keep one received message; the write goes through a temporary name so that a page never
    reads half a file."""
    target.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    path = target / f"{now.strftime('%Y%m%dT%H%M%S%f')}Z-{next(_counter)}.eml"
    partial = path.with_suffix(".part")
    partial.write_bytes(raw)
    partial.replace(path)
    return path


def _parse(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _received(name: str) -> datetime:
    return datetime.strptime(name[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=timezone.utc)


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else None


def _caught(path: Path) -> CaughtMail:
    message = _parse(path)
    attachments = tuple(Attachment(part.get_filename() or "attachment", part.get_content_type(),
                                   len(part.get_payload(decode=True) or b""))
                        for part in message.iter_attachments())
    return CaughtMail(name=path.name, received_at=_received(path.name), sender=str(message["From"] or ""),
                      to=str(message["To"] or ""), subject=str(message["Subject"] or ""),
                      text=_body(message, "plain") or "", html=_body(message, "html"), attachments=attachments)


def messages(settings) -> list[CaughtMail]:
    """The newest caught emails first."""
    where = folder(settings)
    names = sorted((p.name for p in where.glob("*.eml") if NAME.match(p.name)), reverse=True) if where.is_dir() else []
    return [_caught(where / name) for name in names[:LIST_LIMIT]]


def _path(settings, name: str) -> Path:
    path = folder(settings) / name
    if not NAME.match(name) or not path.is_file():
        raise NotFound("email not found")
    return path


def message(settings, name: str) -> CaughtMail:
    return _caught(_path(settings, name))


def attachment(settings, name: str, index: int) -> tuple[Attachment, bytes]:
    """The ``index``-th attachment of a caught email, with its bytes."""
    parts = list(_parse(_path(settings, name)).iter_attachments())
    if not 0 <= index < len(parts):
        raise NotFound("attachment not found")
    part = parts[index]
    data = part.get_payload(decode=True) or b""
    return Attachment(part.get_filename() or "attachment", part.get_content_type(), len(data)), data
