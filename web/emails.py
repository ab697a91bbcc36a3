"""Emails that carry a set-password link: the welcome message (invitation) and the password
reset, and the set of mail kinds the sender loop serves (:func:`mail_kinds`).

Both are written in the *recipient's* language (not the sender's page language) and both
send a single-use link built from ``public_url``, because the message is read outside any
request. Neither is sent by the page that causes it: both go through the mail queue
(fs_service/mail_queue.py), so a mail server that is down delays them instead of losing them,
no page waits on SMTP, and the "forgot password" page behaves the same for any address. The
link is created when the email is built, at each try (a new token revokes the older unused
ones, which never arrived), so no raw token is stored.
"""
from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from flask import Flask, current_app
from flask_babel import force_locale, format_timedelta, gettext

from fs_service import mail, mail_queue
from fs_service.accounts import login as auth, password_reset
from fs_service.conferences import invitations as conference_invitations, report_mail as conference_reports
from fs_service.db import db
from fs_service.models import MailDelivery, User
from fs_service.voicemail import mailer as voicemail_mailer
from web.messages import N_

WELCOME_TTL_SECONDS = 7 * 24 * 3600  # a new colleague may not read their mail the same day


INVITATION = "invitation"
WELCOME_SUBJECT = N_("Welcome to your business phone service")
RESET_SUBJECT = N_("Reset your password")


def _link_message(user: User, template: str, subject: str, token: str, ttl_seconds: int) -> EmailMessage:
    """The link email in the recipient's language. Rendered with the bare Jinja environment, not
    ``render_template``: the pages' context processors (who is logged in, the session language)
    need a request, and the reset email is built by the background sender, outside any."""
    settings = current_app.config["PBX"]
    link = f"{settings.resolved_public_url}/password/reset/{token}"
    with force_locale(user.language):
        body = current_app.jinja_env.get_template(template).render(
            user=user, link=link, account=user.account, validity=format_timedelta(timedelta(seconds=ttl_seconds)))
        return mail.build(settings.mail_from, user.email, gettext(subject), body)


def send_welcome(user: User) -> None:
    """Invite a new user to choose a password (link valid 7 days): queued, committed."""
    mail_queue.enqueue(INVITATION, user.email, account_id=user.account_id, source_id=user.id)
    db.session.commit()


def _invitation(delivery: MailDelivery) -> EmailMessage | None:
    user = db.session.get(User, delivery.source_id)
    if user is None or not user.active:  # deleted or disabled before the email left
        return None
    token = auth.create_reset_token(user, WELCOME_TTL_SECONDS)
    return _link_message(user, "emails/welcome.txt", WELCOME_SUBJECT, token, WELCOME_TTL_SECONDS)


def reset_message(user: User, token: str, ttl_seconds: int) -> EmailMessage:
    """The reset email (fs_service.accounts.password_reset.MessageBuilder), built in an app context."""
    return _link_message(user, "emails/reset.txt", RESET_SUBJECT, token, ttl_seconds)


def mail_kinds(app: Flask) -> mail_queue.MailKinds:
    """Every kind the sender loop sends (``pbx run``, ``pbx voicemail``: pbx/server.py)."""
    settings = app.config["PBX"]
    return {INVITATION: mail_queue.MailKind(_invitation),
            password_reset.KIND: password_reset.mail_kind(settings, reset_message),
            voicemail_mailer.KIND: voicemail_mailer.mail_kind(app),
            conference_invitations.KIND: conference_invitations.mail_kind(settings.mail_from),
            conference_reports.KIND: conference_reports.mail_kind(settings.mail_from)}
