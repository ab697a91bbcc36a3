"""Emails that carry a set-password link: the welcome message and the password reset.

Both are written in the *recipient's* language (not the sender's page language) and both
send a single-use link built from ``public_url``, because the message is read outside any
request. A mail server that is down must not break the page that triggered the message: the
failure is logged and, for a welcome sent from the UI, the administrator is warned.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, flash, has_request_context, render_template
from flask_babel import force_locale, format_timedelta, gettext

from fs_service import auth, mail
from fs_service.db import db
from fs_service.models import User
from web.ui.messages import N_

log = logging.getLogger("pbx.web.emails")
WELCOME_TTL_SECONDS = 7 * 24 * 3600  # a new colleague may not read their mail the same day


WELCOME_SUBJECT = N_("Welcome to your business phone service")
RESET_SUBJECT = N_("Reset your password")


def _link_email(user: User, template: str, subject: str, ttl_seconds: int) -> bool:
    """Create the token, commit it, render and send; True when the SMTP server accepted it."""
    settings = current_app.config["PBX"]
    token = auth.create_reset_token(user, ttl_seconds)
    db.session.commit()
    link = f"{settings.resolved_public_url}/password/reset/{token}"
    with force_locale(user.language):
        body = render_template(template, user=user, link=link, account=user.account,
                               validity=format_timedelta(timedelta(seconds=ttl_seconds)))
        message = mail.build(settings.mail_from, user.email, gettext(subject), body)
    try:
        mail.send(settings, message)
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


def send_password_reset(user: User) -> None:
    """A reset link valid ``reset_token_ttl`` seconds; silent on failure (neutral answer)."""
    _link_email(user, "emails/reset.txt", RESET_SUBJECT, current_app.config["PBX"].reset_token_ttl)
