"""Start-up checks shown by ``pbx check-config``: each says what is wrong and where."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from fs_service.db import db
from fs_service.settings import parse_nodes


def run_checks(app: Flask) -> list[tuple[str, bool, str]]:
    settings = app.config["PBX"]
    results: list[tuple[str, bool, str]] = []
    with app.app_context():
        try:
            db.session.execute(sa.text("SELECT 1"))
            results.append(("database", True, db.engine.url.render_as_string(hide_password=True)))
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            results.append(("database", False, str(exc).splitlines()[0]))
    try:
        nodes = parse_nodes(settings.freeswitch_nodes, settings.esl_password)
        detail = ", ".join(f"{n.name}={n.host}:{n.port}" for n in nodes) or "none (no FreeSWITCH to tell)"
        results.append(("PBX_FREESWITCH_NODES", True, detail))
    except ValueError as exc:
        results.append(("PBX_FREESWITCH_NODES", False, str(exc)))
    if settings.env == "production" and settings.xml_curl_password and len(settings.xml_curl_password) < 16:
        results.append(("PBX_XML_CURL_PASSWORD", False, "use at least 16 characters"))
    return results
