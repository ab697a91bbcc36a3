"""The "Emails" page (issue 16.3): every email the PBX owes or sent -- voicemail, invitations,
password resets -- with its delivery state: queued (next try), sent, or failed with the mail
server's answer. An account's, for its admins and the operator; all of them (mails of no
account included), for the operator. Filters and paging are plain query strings."""
from __future__ import annotations

import io
import re

from flask import Blueprint, current_app, render_template, send_file
from markupsafe import Markup, escape

from fs_service import access, mail_catcher, mail_queue
from fs_service.errors import NotFound
from fs_service.models.mail import MAIL_STATES
from schema.mail import KINDS, MailQuerySchema

from .common import actor, admin_scope, lenient_query, login_required, older_url

bp = Blueprint("mail", __name__)


def _page(account_id: int | None):
    account, filters = admin_scope(account_id), lenient_query(MailQuerySchema)
    page = mail_queue.deliveries(actor(), account.id if account else None, **filters)
    return render_template("mail/list.html", account=account, page=page, query=filters, states=MAIL_STATES,
                           kinds=KINDS, older=older_url(filters, page.next_before_id))


@bp.get("/accounts/<int:account_id>/emails")
@login_required
def account_emails(account_id: int):
    return _page(account_id)


@bp.get("/operator/emails")
@login_required
def everything():
    return _page(None)


# The development mail catcher (issue 20.3): the emails ``pbx run`` kept instead of sending them.
LINK = re.compile(r"https?://[^\s<>\"']+")


def linkify(text: str) -> Markup:
    """Plain text with its http(s) links clickable, everything else escaped."""
    out, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(".,;)")
        out += [escape(text[last:match.start()]), Markup('<a href="{0}">{0}</a>').format(url)]
        last = match.start() + len(url)
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _catcher_settings():
    access.require_operator(actor())
    settings = current_app.config["PBX"]
    if not mail_catcher.enabled(settings):
        raise NotFound("there is no mail catcher in production")
    return settings


@bp.get("/operator/mail-catcher")
@login_required
def caught():
    settings = _catcher_settings()
    return render_template("mail/caught_list.html", mails=mail_catcher.messages(settings),
                           folder=mail_catcher.folder(settings))


@bp.get("/operator/mail-catcher/<name>")
@login_required
def caught_one(name: str):
    mail = mail_catcher.message(_catcher_settings(), name)
    return render_template("mail/caught_one.html", mail=mail, body=linkify(mail.text))


@bp.get("/operator/mail-catcher/<name>/attachments/<int:index>")
@login_required
def caught_attachment(name: str, index: int):
    found, data = mail_catcher.attachment(_catcher_settings(), name, index)
    return send_file(io.BytesIO(data), mimetype=found.content_type, as_attachment=True,
                     download_name=found.filename)
