"""The xml_curl door: one POST URL that FreeSWITCH asks for directory, dialplan and config XML.

Protected twice: HTTP basic auth (mod_xml_curl ``gateway-credentials``) and a list of allowed
source networks. Whatever goes wrong, FreeSWITCH gets a well-formed reply (the not-found
document, or a 401), never a stack trace.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import time

from flask import Blueprint, Response, current_app, request

from . import configuration, dialplan_request, directory
from .documents import NOT_FOUND
from .request import FsRequest, parse_body
from .user_cache import UserDocumentCache

log = logging.getLogger("pbx.xml_curl")
bp = Blueprint("xml_curl", __name__)


@bp.record_once
def _per_app_cache(state) -> None:
    """One rendered-user cache per app (and so per process)."""
    state.app.extensions["pbx_user_documents"] = UserDocumentCache()
XML_MIMETYPE = "text/xml"


def _source_allowed(remote: str | None) -> bool:
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["PBX"].allowed_networks)


def _credentials_ok() -> bool:
    settings = current_app.config["PBX"]
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return False
    user_ok = hmac.compare_digest((auth.username or "").encode(), settings.xml_curl_user.encode())
    pass_ok = hmac.compare_digest((auth.password or "").encode(), settings.xml_curl_password.encode())
    return user_ok and pass_ok


def _dispatch(req: FsRequest) -> tuple[bytes, str]:
    settings = current_app.config["PBX"]
    if req.section == "directory":
        return directory.handle(req, cacheable_ms=settings.directory_cache_ms,
                                carrier_profile=settings.carrier_profile,
                                cache=current_app.extensions["pbx_user_documents"])
    if req.section == "dialplan":
        return dialplan_request.handle(req, voicemail_socket=settings.voicemail_socket)
    if req.section == "configuration":
        return configuration.handle(req)  # ivr.conf only; every other file stays static
    return NOT_FOUND, "unhandled-section"


@bp.post("/freeswitch/xml")
def fetch() -> Response:
    started = time.perf_counter()
    if not _source_allowed(request.remote_addr):
        log.warning("xml_curl refused source=%s reason=address-not-allowed", request.remote_addr)
        return Response("forbidden\n", status=403, mimetype="text/plain")
    if not _credentials_ok():
        log.warning("xml_curl refused source=%s reason=bad-credentials", request.remote_addr)
        return Response("unauthorized\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": 'Basic realm="pbx-xml-curl"'})
    req = parse_body(request.get_data(cache=False))
    try:
        body, outcome = _dispatch(req)
    except Exception:
        log.exception("xml_curl handler failed section=%s action=%s", req.section, req.action)
        body, outcome = NOT_FOUND, "error"
    log.debug("xml_curl section=%s action=%s user=%s domain=%s outcome=%s ms=%.2f", req.section,
              req.action, req.get("user"), req.get("domain"), outcome,
              (time.perf_counter() - started) * 1000)
    return Response(body, mimetype=XML_MIMETYPE)
