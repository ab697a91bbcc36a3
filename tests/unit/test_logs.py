"""The structured log line: key=value, logging's default time format, never a secret."""
from __future__ import annotations

import logging
import re

import pytest

from pbx.logs import KeyValueFormatter


def line(message: str, *args) -> str:
    record = logging.LogRecord("pbx.test", logging.INFO, __file__, 1, message, args, None)
    return KeyValueFormatter().format(record)


def test_a_line_has_the_time_level_logger_and_message():
    text = line("call planned uuid=%s reason=%r", "u1", "follow-me")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} level=INFO logger=pbx.test "
                        r"msg=call planned uuid=u1 reason='follow-me'", text)


@pytest.mark.parametrize("message", ["sip_password=hunter2 user=101", "ESL Password: hunter2",
                                     "token=hunter2", "a1-hash=hunter2", "Authorization: hunter2",
                                     "SECRET_KEY = hunter2"])
def test_anything_that_looks_like_a_credential_is_masked(message):
    text = line(message)
    assert "hunter2" not in text and "***" in text


def test_the_time_prefix_follows_the_record_not_a_stale_second():
    formatter = KeyValueFormatter()
    first = logging.LogRecord("x", logging.INFO, __file__, 1, "a", (), None)
    later = logging.LogRecord("x", logging.INFO, __file__, 1, "b", (), None)
    later.created, later.msecs = first.created + 1.5, 500.0
    assert formatter.formatTime(first) != formatter.formatTime(later)
    assert formatter.formatTime(later) == logging.Formatter().formatTime(later)


def test_an_authorization_header_hides_its_credentials_not_its_scheme():
    assert line("Authorization: Basic aGVsbG86d29ybGQ= path=/x").endswith("Authorization: Basic *** path=/x")
