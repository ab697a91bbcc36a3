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


def send_queued_reset_emails(app) -> int:
    """One pass of the password-reset sender (what ``pbx run`` does every 2 s); how many were sent.
    The "forgot password" page only queues the email."""
    from fs_service import password_reset
    from web.emails import reset_message

    with app.app_context():
        return password_reset.send_due(app.config["PBX"], reset_message)
