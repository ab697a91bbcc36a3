"""Structured logging: one line per event, ``key=value`` pairs, never a secret."""
from __future__ import annotations

import logging
import re
import sys
import time

# Belt and braces: mask anything that looks like a credential even if a caller slips.
# The keyword may be part of a longer name (sip_password, SECRET_KEY, Authorization: Basic …).
_SECRET = re.compile(r"(?i)((?:password|passwd|secret|token|a1-hash|auth)[\w-]*)(\s*[=:]\s*)"
                     r"((?:basic|bearer|digest)\s+)?(\S+)")
_SECRET_WORDS = ("pass", "secret", "token", "a1-hash", "auth")  # a cheap test before the regex


class KeyValueFormatter(logging.Formatter):
    _second: int = -1
    _second_text: str = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """``2026-11-26 07:16:49,499`` as logging's default, the seconds part made once a second."""
        second = int(record.created)
        if second != self._second:
            self._second_text = time.strftime("%Y-%m-%d %H:%M:%S", self.converter(second))
            self._second = second
        return f"{self._second_text},{int(record.msecs):03d}"

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        lowered = message.lower()
        if any(word in lowered for word in _SECRET_WORDS):
            message = _SECRET.sub(r"\1\2\3***", message)
        line = f"{self.formatTime(record)} level={record.levelname} logger={record.name} msg={message}"
        if record.exc_info:
            line += " exc=" + self.formatException(record.exc_info).replace("\n", " | ")
        return line


def configure(level: str = "INFO") -> None:
    """Install our handler once (idempotent: the app factory may run many times in tests) and
    leave other handlers, such as pytest's log capture, in place."""
    # Our lines never show thread, process or source line: not collecting them makes every
    # record cheaper (the logging docs' "Optimization" switches; a dialplan fetch logs one line
    # and the rest of the fetch costs ~100 µs).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    root = logging.getLogger()
    if not any(getattr(h, "pbx_handler", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(KeyValueFormatter())
        handler.pbx_handler = True
        root.addHandler(handler)
    root.setLevel(level.upper())
