"""Emails that carry a set-password link: the welcome message and the password reset.

Both are written in the *recipient's* language (not the sender's page language) and both
send a single-use link built from ``public_url``, because the message is read outside any
request. The welcome is sent at once: a mail server that is down must not break the page that
triggered it, so the failure is logged and, from the UI, the administrator is warned. The
reset email is only *built* here (:func:`reset_message`): the queue in
fs_service/password_reset.py sends it in the background, so the "forgot password" page never
waits on SMTP nor behaves differently for an address with a login.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app, flash, has_request_context
from flask_babel import force_locale, format_timedelta, gettext

from fs_service import auth, mail
from fs_service.db import db
from fs_service.models import User
from web.ui.messages import N_

log = logging.getLogger("pbx.web.emails")
WELCOME_TTL_SECONDS = 7 * 24 * 3600  # a new colleague may not read their mail the same day


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


def _link_email(user: User, template: str, subject: str, ttl_seconds: int) -> bool:
    """Create the token, commit it, render and send; True when the SMTP server accepted it."""
    token = auth.create_reset_token(user, ttl_seconds)
    db.session.commit()
    message = _link_message(user, template, subject, token, ttl_seconds)
    try:
        mail.send(current_app.config["PBX"], message)
    except mail.MailError:
        log.warning("link email not delivered template=%s user_id=%s", template, user.id)
        return False
    return True


def _in_ui_request() -> bool:
    from web.errors import is_api_request

    return has_request_context() and not is_api_request()


def send_welcome(user: User) -> None:
    """Tell a new user their login and let them choose a password (link valid 7 days)."""
    if not _link_email(user, "emails/welcome.txt", WELCOME_SUBJECT, WELCOME_TTL_SECONDS) and _in_ui_request():
        flash(gettext("The welcome email to %(email)s could not be sent. "
                      "Ask the user to use “Forgot your password?” later.", email=user.email), "warning")


def reset_message(user: User, token: str, ttl_seconds: int) -> EmailMessage:
    """The reset email (fs_service.password_reset.MessageBuilder), built in an app context."""
    return _link_message(user, "emails/reset.txt", RESET_SUBJECT, token, ttl_seconds)
