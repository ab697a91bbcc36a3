"""``GET /healthz``: the process's health for load balancers and monitoring (fs_service.health).

No login: it shows counts and node names only. 200 while the database answers (``status`` ok,
or degraded with the reason visible in the body), 503 when it does not.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from fs_service import health

from .live import node_names

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    found = health.check(node_names(), current_app.config["PBX"].esl_probe_seconds)
    body = {
        "status": found.status,
        "database": "ok" if found.database else "unreachable",
        "nodes": [{"name": n.name, "up": n.up, "since": n.since.isoformat() if n.since else None}
                  for n in found.nodes],
        "owed_commands": found.owed_commands,
        "faxes": {"waiting": found.faxes_waiting, "overdue": found.faxes_overdue},
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 503 if found.status == health.DOWN else 200
