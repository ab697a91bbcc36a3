"""The development mail catcher (issue 20.3): with ``PBX_ENV=development`` and no mail server
configured, ``pbx run`` starts this SMTP sink on a free local port and sends every email to it;
each message becomes an ``.eml`` in ``<instance>/mail-catcher`` (fs_service/mail_catcher.py),
listed for operators on the "Mail catcher" page. So a user created in the UI gets a welcome
email whose link works, on a machine without any mail server.

A plain ``socketserver`` server speaking just enough SMTP for smtplib (HELO/EHLO, MAIL, RCPT,
DATA, RSET, NOOP, QUIT): under ``pbx run`` gevent has patched threads and sockets, so it is one
more greenlet; in a test it is an ordinary thread. Production never starts it.
"""
from __future__ import annotations

import logging
import socketserver
import threading
from dataclasses import replace
from pathlib import Path

from fs_service import mail_catcher
from fs_service.settings import Settings

log = logging.getLogger(__name__)
OK = b"250 OK"


class _Session(socketserver.StreamRequestHandler):
    server: "MailCatcher"

    def _reply(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")
        self.wfile.flush()

    def _command(self, line: bytes) -> bool:
        """Answer one command; False once the client said QUIT."""
        verb = line[:4].upper()
        if verb == b"QUIT":
            self._reply(b"221 bye")
            return False
        if verb in (b"EHLO", b"HELO"):
            self._reply(b"250 pbx-mail-catcher")
        elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            self._reply(OK)
        elif verb == b"DATA":
            self._reply(b"354 end with <CRLF>.<CRLF>")
            self._data()
        else:
            self._reply(b"502 command not implemented")
        return True

    def _data(self) -> None:
        lines = []
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if line == b".":
                break
            lines.append(line[1:] if line.startswith(b"..") else line)  # RFC 5321 4.5.2 dot-stuffing
        path = mail_catcher.store(self.server.folder, b"\r\n".join(lines) + b"\r\n")
        log.info("mail caught file=%s", path.name)
        self._reply(OK)

    def handle(self) -> None:
        self._reply(b"220 pbx mail catcher")
        for raw in self.rfile:
            if not self._command(raw.rstrip(b"\r\n")):
                return


class MailCatcher(socketserver.ThreadingTCPServer):
    """``MailCatcher(folder).start()`` listens on 127.0.0.1 at an OS-chosen ``port``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.folder = folder
        self.port = self.server_address[1]

    def start(self) -> "MailCatcher":
        threading.Thread(target=self.serve_forever, name="mail-catcher", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def _no_mail_server(settings: Settings) -> bool:
    """Nothing said about a mail server: the defaults are still in place."""
    return (settings.smtp_host, settings.smtp_port, settings.smtp_user) == (
        Settings.smtp_host, Settings.smtp_port, Settings.smtp_user)


def catch_mail_in_development(settings: Settings) -> Settings:
    """The settings ``pbx run`` uses: unchanged, or (development, no mail server configured)
    pointing at a freshly started catcher."""
    if not (mail_catcher.catches(settings) and _no_mail_server(settings)):
        return settings
    catcher = MailCatcher(mail_catcher.folder(settings)).start()
    print(f"Development: no mail server set (PBX_SMTP_HOST), emails are caught in {catcher.folder} "
          f"and listed at /operator/mail-catcher", flush=True)
    log.info("mail catcher listening port=%s folder=%s", catcher.port, catcher.folder)
    return replace(settings, smtp_host="127.0.0.1", smtp_port=catcher.port)
