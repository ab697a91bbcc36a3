"""Test helpers: polling instead of sleeping, and reading recorded fixtures."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, TypeVar

import gevent

FIXTURES = Path(__file__).parent / "fixtures"
T = TypeVar("T")


def until(condition: Callable[[], T], timeout: float = 5.0, interval: float = 0.02) -> T:
    """Poll ``condition`` (yielding to other greenlets) until it is truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        gevent.sleep(interval)


def xml_curl_body(scenario: str, name: str) -> bytes:
    """A request body recorded from FreeSWITCH 1.11 (tests/fixtures/xml_curl/<scenario>/<name>)."""
    return (FIXTURES / "xml_curl" / scenario / name).read_bytes()


def send_queued_emails(app) -> int:
    """One pass of the mail sender (what ``pbx run`` does every 2 s); how many were sent. Pages
    and dialogues only queue their emails (fs_service/mail_queue.py)."""
    from fs_service import mail_queue
    from web.emails import mail_kinds

    with app.app_context():
        return mail_queue.send_due(app.config["PBX"], mail_kinds(app))


send_queued_reset_emails = send_queued_emails  # the "forgot password" tests' name for it


def totp_code(user, at: float | None = None) -> str:
    """A code of ``user``'s authenticator app that the next login accepts: the current step's,
    or the next step's when the current one was already used (one code opens one login)."""
    import time

    import pyotp

    now = time.time() if at is None else at
    step = int(now) // 30
    if user.totp_last_step is not None and user.totp_last_step >= step:
        now += 30 * (user.totp_last_step - step + 1)
    return pyotp.TOTP(user.totp_secret).at(now)


def ui_login(client, email: str, password: str) -> None:
    """Log in through the UI's pages, the one-time code step included when two-factor is on."""
    import sqlalchemy as sa

    from fs_service.db import db
    from fs_service.models import User

    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.status_code
    if "/login/code" in response.headers["Location"]:
        with client.application.app_context():
            code = totp_code(db.session.scalar(sa.select(User).where(User.email == email)))
        response = client.post("/login/code", data={"code": code})
        assert response.status_code == 302, response.status_code
