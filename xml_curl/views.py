"""The xml_curl door: one POST URL that FreeSWITCH asks for directory, dialplan and config XML.

Protected twice: HTTP basic auth (mod_xml_curl ``gateway-credentials``) and a list of allowed
source networks. Whatever goes wrong, FreeSWITCH gets a well-formed reply (the not-found
document, a 401, or a 503 while the database is away), never a stack trace.
"""
from __future__ import annotations

import base64
import hmac
import logging
import time

from flask import Blueprint, Response, current_app, request

from fs_service.db import unavailable
from fs_service.networks import source_in

from . import configuration, dialplan_request, directory
from .documents import NOT_FOUND
from .request import FsRequest, parse_body
from .user_cache import UserDocumentCache

log = logging.getLogger("pbx.xml_curl")
bp = Blueprint("xml_curl", __name__)


XML_MIMETYPE = "text/xml"


class Gate:
    """Who may fetch: the allowed networks and the basic-auth credentials, checked on every
    request, so both are prepared once per app (the checks cost more than a cached answer)."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.user, self.password = settings.xml_curl_user, settings.xml_curl_password
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        self.expected_header = f"Basic {token}".encode()
        self.networks = settings.allowed_networks
        self._sources: dict[str, bool] = {}

    def source_allowed(self, remote: str | None) -> bool:
        key = remote or ""
        if key not in self._sources:
            if len(self._sources) > 1024:
                self._sources.clear()
            self._sources[key] = source_in(key, self.networks)
        return self._sources[key]

    def credentials_ok(self) -> bool:
        header = request.environ.get("HTTP_AUTHORIZATION", "").encode()
        if hmac.compare_digest(header, self.expected_header):  # libcurl's exact form
            return True
        auth = request.authorization  # any other valid spelling of the same credentials
        if auth is None or auth.type != "basic":
            return False
        user_ok = hmac.compare_digest((auth.username or "").encode(), self.user.encode())
        pass_ok = hmac.compare_digest((auth.password or "").encode(), self.password.encode())
        return user_ok and pass_ok


@bp.record_once
def _per_app_state(state) -> None:
    """One gate and one rendered-user cache per app (and so per process)."""
    state.app.extensions["pbx_xml_curl_gate"] = Gate(state.app.config["PBX"])
    state.app.extensions["pbx_user_documents"] = UserDocumentCache()


def _dispatch(req: FsRequest, settings) -> tuple[bytes, str]:
    if req.section == "directory":
        return directory.handle(req, cacheable_ms=settings.directory_cache_ms,
                                carrier_profile=settings.carrier_profile,
                                cache=current_app.extensions["pbx_user_documents"])
    if req.section == "dialplan":
        return dialplan_request.handle(req, voicemail_socket=settings.voicemail_socket)
    if req.section == "configuration":
        return configuration.handle(req)  # ivr.conf only; every other file stays static
    return NOT_FOUND, "unhandled-section"


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


@bp.post("/freeswitch/xml")
def fetch() -> Response:
    started = time.perf_counter()
    gate: Gate = current_app.extensions["pbx_xml_curl_gate"]
    if not gate.source_allowed(request.environ.get("REMOTE_ADDR")):
        log.warning("xml_curl refused source=%s reason=address-not-allowed", request.remote_addr)
        return Response("forbidden\n", status=403, mimetype="text/plain")
    if not gate.credentials_ok():
        log.warning("xml_curl refused source=%s reason=bad-credentials", request.remote_addr)
        return Response("unauthorized\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": 'Basic realm="pbx-xml-curl"'})
    req = parse_body(request.get_data(cache=False))
    try:
        body, outcome = _dispatch(req, gate.settings)
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
