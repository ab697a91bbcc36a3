"""One mailbox's messages in the browser (VM-1, issue 7 item 7): new and saved, each with an
HTML5 player, a download link, "mark as saved / new" and delete (with confirmation).

The owner of the extension and the account's admins open the box; anyone else gets 404. The
audio route streams the file with Range support so the player can seek; every change to a
message updates the phone lamp after the commit (the core queues it).
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fs_service import voicemail
from fs_service.db import db
from schema.voicemail import MessageSchema
from web.voicemail_access import audio_response, mailbox_for, message_for, usage_of

from .common import account_context, login_required, text

bp = Blueprint("voicemail_messages", __name__, url_prefix="/accounts/<int:account_id>/voicemail/<int:mailbox_id>")
ONE = "/messages/<int:message_id>"


def _box(account_id: int, mailbox_id: int):
    user, account, is_admin = account_context(account_id)
    return account, mailbox_for(user, account, mailbox_id), is_admin


def _back(account, box, anchor: str | None = None):
    return redirect(url_for("voicemail_messages.box_page", account_id=account.id, mailbox_id=box.id,
                            _anchor=anchor))


def received_at(moment: datetime, zone: str) -> str:
    """When a message arrived, in the account's time zone (stored in UTC; SQLite drops the zone)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    try:
        moment = moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        pass
    return moment.strftime("%Y-%m-%d %H:%M")


@bp.get("")
@login_required
def box_page(account_id: int, mailbox_id: int):
    account, box, is_admin = _box(account_id, mailbox_id)
    folders = {folder: voicemail.list_messages(box, folder) for folder in ("new", "saved")}
    return render_template("voicemail/box.html", account=account, usage=usage_of(account, box),
                           is_admin=is_admin, folders=folders, received_at=received_at)


@bp.get(f"{ONE}/audio")
@login_required
def audio(account_id: int, mailbox_id: int, message_id: int):
    """Inline for the <audio> player; ``?download=1`` as an attachment."""
    account, box, _admin = _box(account_id, mailbox_id)
    download = request.args.get("download") in ("1", "true")
    return audio_response(box, message_for(account, box, message_id), download=download)


@bp.post(f"{ONE}/folder")
@login_required
def move(account_id: int, mailbox_id: int, message_id: int):
    account, box, _admin = _box(account_id, mailbox_id)
    message = message_for(account, box, message_id)
    folder = MessageSchema(only=("folder",)).load({"folder": text(request.form, "folder")})["folder"]
    voicemail.move_message(box, message, folder)
    db.session.commit()
    flash(_("Message saved.") if folder == "saved" else _("Message marked as new."), "success")
    return _back(account, box, f"message-{message.id}")


@bp.route(f"{ONE}/delete", methods=["GET", "POST"])
@login_required
def delete(account_id: int, mailbox_id: int, message_id: int):
    account, box, _admin = _box(account_id, mailbox_id)
    message = message_for(account, box, message_id)
    if request.method == "GET":
        return render_template("voicemail/message_delete.html", account=account, box=box, message=message,
                               received_at=received_at)
    voicemail.delete_message(box, message)
    db.session.commit()
    flash(_("Message deleted."), "success")
    return _back(account, box, "messages")

