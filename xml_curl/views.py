"""The xml_curl door: one POST URL that FreeSWITCH asks for directory, dialplan and config XML.

Protected twice: HTTP basic auth (mod_xml_curl ``gateway-credentials``) and a list of allowed
source networks. Whatever goes wrong, FreeSWITCH gets a well-formed reply (the not-found
document, a 401, or a 503 while the database is away), never a stack trace.

Served as a plain WSGI endpoint in front of the Flask app (:class:`XmlCurlEndpoint`), not as a
Flask view: every REGISTER waits for its directory fetch, and FreeSWITCH fetches one at a time,
so each fetch's time is registration rate lost. A Flask request (session, URL matching among
~300 rules, the UI's hooks and headers, the request context) cost about as much as the answer
itself; this door needs none of it, only the app context (database session, settings).
"""
from __future__ import annotations

import base64
import hmac
import logging
import time

from typing import Any, Callable, Iterable

from flask import Flask, current_app, has_app_context
from werkzeug.wrappers import Request, Response

from fs_service.caches import Cache
from fs_service.db import unavailable
from fs_service.networks import source_in

from . import configuration, dialplan_request, directory
from .documents import NOT_FOUND
from .request import FsRequest, parse_body
from .user_cache import UserDocumentCache

log = logging.getLogger("pbx.xml_curl")

PATH = "/freeswitch/xml"
XML_MIMETYPE = "text/xml"
GATE = "pbx_xml_curl_gate"  # app.extensions key: the call records' endpoint (cdr.py) is behind it too


class Gate:
    """Who may fetch: the allowed networks and the basic-auth credentials, checked on every
    request, so both are prepared once per app (the checks cost more than a cached answer)."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.user, self.password = settings.xml_curl_user, settings.xml_curl_password
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        self.expected_header = f"Basic {token}".encode()
        self.networks = settings.allowed_networks
        self._sources: Cache[str, bool] = Cache("xml_curl.allowed_sources", 1024)  # the switches' addresses

    def source_allowed(self, remote: str | None) -> bool:
        key = remote or ""
        return self._sources.get_or_build(key, lambda: source_in(key, self.networks))

    def credentials_ok(self, request: Request) -> bool:
        header = request.environ.get("HTTP_AUTHORIZATION", "").encode()
        if hmac.compare_digest(header, self.expected_header):  # libcurl's exact form
            return True
        auth = request.authorization  # any other valid spelling of the same credentials
        if auth is None or auth.type != "basic":
            return False
        user_ok = hmac.compare_digest((auth.username or "").encode(), self.user.encode())
        pass_ok = hmac.compare_digest((auth.password or "").encode(), self.password.encode())
        return user_ok and pass_ok


class XmlCurlEndpoint:
    """``POST /freeswitch/xml`` answered here; every other request goes on to the Flask app.

    One per app (and so per process), with its gate and its rendered-user cache."""

    def __init__(self, app: Flask, next_app: Callable) -> None:
        self.app, self.next_app = app, next_app
        self.gate = app.extensions[GATE] = Gate(app.config["PBX"])
        self.users = UserDocumentCache()
        self.max_bytes = app.config.get("MAX_CONTENT_LENGTH")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.next_app(environ, start_response)
        request = Request(environ)
        request.max_content_length = self.max_bytes
        if has_app_context() and current_app._get_current_object() is self.app:
            response = self.fetch(request)  # as Flask does: an app context already open is used
        else:
            with self.app.app_context():
                response = self.fetch(request)
        return response(environ, start_response)

    def fetch(self, request: Request) -> Response:
        started = time.perf_counter()
        if not self.gate.source_allowed(request.environ.get("REMOTE_ADDR")):
            log.warning("xml_curl refused source=%s reason=address-not-allowed", request.remote_addr)
            return Response("forbidden\n", status=403, mimetype="text/plain")
        if not self.gate.credentials_ok(request):
            log.warning("xml_curl refused source=%s reason=bad-credentials", request.remote_addr)
            return Response("unauthorized\n", status=401, mimetype="text/plain",
                            headers={"WWW-Authenticate": 'Basic realm="pbx-xml-curl"'})
        try:
            raw = request.get_data(cache=False)
        except Exception:  # a body too large or cut short: answered as a miss, never a traceback
            log.warning("xml_curl unreadable body source=%s", request.remote_addr)
            return Response(NOT_FOUND, mimetype=XML_MIMETYPE)
        if b"%00" in raw or b"\x00" in raw:
            # FreeSWITCH's values are C strings: a NUL byte is no field it sends, and PostgreSQL
            # refuses one in any text it is asked to compare (a DataError for a mere miss).
            log.warning("xml_curl refused source=%s reason=nul-byte", request.remote_addr)
            return Response(NOT_FOUND, mimetype=XML_MIMETYPE)
        req = parse_body(raw)
        try:
            body, outcome = self._dispatch(req)
        except Exception as exc:
            if unavailable(exc):
                return _database_unavailable(req, exc)
            log.exception("xml_curl handler failed section=%s action=%s", req.section, req.action)
            body, outcome = NOT_FOUND, "error"
        if log.isEnabledFor(logging.DEBUG):
            log.debug("xml_curl section=%s action=%s user=%s domain=%s outcome=%s ms=%.2f", req.section,
                      req.action, req.get("user"), req.get("domain"), outcome,
                      (time.perf_counter() - started) * 1000)
        return Response(body, mimetype=XML_MIMETYPE)

    def _dispatch(self, req: FsRequest) -> tuple[bytes, str]:
        settings = self.gate.settings
        if req.section == "directory":
            return directory.handle(req, cacheable_ms=settings.directory_cache_ms,
                                    carrier_profile=settings.carrier_profile, cache=self.users)
        if req.section == "dialplan":
            return dialplan_request.handle(req, voicemail_socket=settings.voicemail_socket)
        if req.section == "configuration":
            return configuration.handle(req)  # ivr.conf only; every other file stays static
        return NOT_FOUND, "unhandled-section"


def install(app: Flask) -> None:
    """Put the xml_curl endpoint in front of ``app`` (before any middleware the process adds
    around it, such as the trusted proxies, which must see the request first)."""
    app.wsgi_app = XmlCurlEndpoint(app, app.wsgi_app)  # type: ignore[method-assign]


def _database_unavailable(req: FsRequest, exc: Exception) -> Response:
    """The database is away: answer at once with HTTP 503. mod_xml_curl treats any non-200 as
    "no document from this binding" and goes on to the next binding, then to the static XML on
    disk (NOTES §1) -- the same fallback as the not-found document, but its log then says
    ``Received HTTP error 503`` instead of a silent miss, and an HTTP load balancer in front
    of several web workers may retry elsewhere. One warning line, no stack trace: an outage
    is not a bug, and it would repeat for every REGISTER."""
    log.warning("xml_curl database unavailable section=%s action=%s error=%s", req.section, req.action,
                type(getattr(exc, "orig", None) or exc).__name__)
    return Response("database unavailable\n", status=503, mimetype="text/plain",
                    headers={"Retry-After": "1"})
