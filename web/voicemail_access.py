"""Who may open which mailbox, and how a recording leaves the server: shared by the UI and the API
so both doors answer the same way (VM-1, VM-3..5, ACC-3).

Admins (and the operator) open every box of their account; a user only the box of an extension
assigned to them. Any other box (a colleague's, a standalone one, another tenant's) is *not
found*, as fs_service.access does for extensions: a user learns nothing about boxes they cannot
open. On their own box a user changes what the guide's extension page offers them (9.1:
password, email, "do not store on server") and may empty it; the rest is the admins'.
"""
from __future__ import annotations

import mimetypes
from collections.abc import Iterable

from flask import Response, send_file

from fs_service import access, voicemail
from fs_service.errors import Forbidden, NotFound
from fs_service.extensions import rules as extensions
from fs_service.models import Account, Mailbox, User, VoicemailMessage

USER_FIELDS = ("pin", "email", "email_only")
RESERVED = "this setting is reserved to the account administrators"


def may_open(user: User, account: Account, box: Mailbox) -> bool:
    if access.is_admin_of(user, account):
        return True
    return box.extension is not None and access.can_use_extension(user, box.extension)


def mailbox_for(user: User, account: Account, mailbox_id: int) -> Mailbox:
    """A box of ``account`` the actor may open; anything else is 404."""
    box = voicemail.get_mailbox(account, mailbox_id)
    if not may_open(user, account, box):
        raise NotFound("mailbox not found")
    return box


def visible_boxes(user: User, account: Account) -> list[voicemail.MailboxUsage]:
    """Admins: every box with its "N messages / max"; users: the boxes of their extensions."""
    boxes = voicemail.list_mailboxes(account)
    if access.is_admin_of(user, account):
        return boxes
    own = {ext.id for ext in extensions.list_extensions(account, user)}
    return [usage for usage in boxes if usage.mailbox.extension_id in own]


def usage_of(account: Account, box: Mailbox) -> voicemail.MailboxUsage:
    """One box's "N messages / max", counted as the phone lamp counts them."""
    counts = voicemail.mwi_counts(account.sip_domain, box.number) or voicemail.MwiCounts()
    return voicemail.MailboxUsage(box, counts.new + counts.saved, counts.new)


def check_changes_allowed(user: User, account: Account, names: Iterable[str]) -> None:
    """403 when a user sends an admin-only field: refused, never silently ignored."""
    if access.is_admin_of(user, account):
        return
    reserved = sorted(name for name in names if name not in USER_FIELDS)
    if reserved:
        raise Forbidden(RESERVED, {name: [RESERVED] for name in reserved})


def message_for(account: Account, box: Mailbox, message_id: int) -> VoicemailMessage:
    """A message of this very box (one of another box of the account is 404 too)."""
    message = voicemail.get_message(account, message_id)
    if message.mailbox_id != box.id:
        raise NotFound("message not found")
    return message


def audio_response(box: Mailbox, message: VoicemailMessage, download: bool = False) -> Response:
    """The recording, streamed with Range support (``conditional``) so the browser's <audio>
    can seek; as an attachment for "download". A file missing on disk is 404, not 500."""
    path = voicemail.message_file(message)
    if path is None or not path.is_file():
        raise NotFound("recording not found")
    suffix = path.suffix.lower()
    # mimetypes says audio/x-wav on many systems; browsers and the spec (RFC 2361) want audio/wav.
    mimetype = "audio/wav" if suffix == ".wav" else (mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    response = send_file(path, mimetype=mimetype, as_attachment=download, conditional=True,
                         download_name=f"voicemail-{box.number}-{message.id}{suffix}", max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"  # a voice message is personal data
    return response
