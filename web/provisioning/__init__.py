"""The provisioning door (DEV-4): desk phones fetch their configuration over HTTP by MAC.

A phone is given ``<public_url>/provisioning/<secret>/`` as its provisioning server and asks
for the files its vendor names after its MAC (Yealink ``<mac>.cfg``, Polycom ``<mac>.cfg`` then
``<mac>-phone.cfg`` and ``<mac>-directory.xml``, Grandstream ``cfg<mac>.xml``, Snom ``<mac>.xml``
or ``snom<model>-<MAC>.htm``), then the phone books the configuration points to. No login and
no two-factor: the per-phone secret in the path is the credential (fs_service.phones.provisioning
counts wrong ones per source address). The core builds the data; the modules here render it.
"""
from __future__ import annotations

import re
from typing import Callable

from flask import Blueprint, Response, current_app, request

from fs_service.db import db
from fs_service.errors import NotFound, PbxError
from fs_service.phones import provisioning as core
from fs_service.phones.models import GRANDSTREAM, POLYCOM, SNOM, YEALINK

from . import grandstream, polycom, snom, yealink

bp = Blueprint("provisioning", __name__, url_prefix="/provisioning")
MAC = r"(?P<mac>[0-9a-fA-F]{12})"
# File name → (model family, document). A phone asking for another family's file gets 404.
FILES: list[tuple[re.Pattern, str, str]] = [
    (re.compile(rf"^{MAC}\.cfg$"), YEALINK, "config"),
    (re.compile(rf"^{MAC}\.cfg$"), POLYCOM, "master"),
    (re.compile(rf"^{MAC}-phone\.cfg$"), POLYCOM, "config"),
    (re.compile(rf"^{MAC}-directory\.xml$"), POLYCOM, "directory"),
    (re.compile(rf"^cfg{MAC}(\.xml)?$"), GRANDSTREAM, "config"),
    (re.compile(rf"^{MAC}/phonebook\.xml$"), GRANDSTREAM, "directory"),
    (re.compile(rf"^(snom[A-Za-z0-9]+-)?{MAC}\.(xml|htm)$"), SNOM, "config"),
    (re.compile(rf"^{MAC}/contacts\.xml$"), YEALINK, "directory"),
    (re.compile(rf"^{MAC}/books/(?P<book>company|[0-9]+)\.xml$"), YEALINK, "book"),
]
RENDERERS: dict[str, dict[str, Callable]] = {
    YEALINK: yealink.DOCUMENTS, POLYCOM: polycom.DOCUMENTS, GRANDSTREAM: grandstream.DOCUMENTS, SNOM: snom.DOCUMENTS,
}


def base_url(secret: str) -> str:
    return f"{current_app.config['PBX'].resolved_public_url}/provisioning/{secret}"


def _matches(name: str) -> list[tuple[re.Match, str, str]]:
    return [(m, family, doc) for pattern, family, doc in FILES if (m := pattern.match(name))]


@bp.get("/<secret>/<path:name>")
def fetch(secret: str, name: str) -> Response:
    found = _matches(name)
    if not found:
        raise NotFound("no configuration here")
    device = core.device_for_request(found[0][0]["mac"], secret, request.remote_addr or "")
    settings = current_app.config["PBX"]
    config = core.build_config(device, settings.resolved_sip_server, settings.sip_port)
    for match, family, document in found:
        if family != config.model.family or (document in ("directory", "book") and not config.configure_books):
            continue  # books not configured: the phone keeps its own directory
        if document == "book":
            body, mimetype = yealink.book(core.remote_book(device, match["book"]))
        else:
            body, mimetype = RENDERERS[family][document](config, base_url(secret))
        response = Response(body, mimetype=mimetype)
        response.headers["Cache-Control"] = "no-store"  # SIP passwords: never kept by a proxy
        return response
    raise NotFound("no configuration here")


@bp.errorhandler(PbxError)
def _refused(error: PbxError) -> Response:
    """Phones get a short plain answer (404, 429), never the UI's page."""
    db.session.rollback()
    return Response(error.message + "\n", status=error.status, mimetype="text/plain")
