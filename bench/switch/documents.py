"""The baseline's documents: for each user, the exact bytes our endpoint answers its sip_auth fetch.

Rendered in this process by the app itself (Flask's test client, the recorded FreeSWITCH body
rewritten to the user, bench.directory.bodies), not by the ``pbx run`` under test: that process must
meet every user for the first time during the storm, as after a restart of the control plane.
"""
from __future__ import annotations

import base64
import random
from pathlib import Path

from bench.directory.bodies import PATH, rewrite, templates
from fs_service.db import db
from pbx.app import create_app


def write_documents(settings, domain: str, users: list[str], dest: Path) -> Path:
    """``dest/<user>.xml`` for each user; an answer without an a1-hash is an error."""
    dest.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, dispatch_fs=False)
    client, form, rng = app.test_client(), templates()[0], random.Random(15)
    auth = base64.b64encode(f"{settings.xml_curl_user}:{settings.xml_curl_password}".encode()).decode()
    headers = {"Authorization": f"Basic {auth}", "Content-Type": "application/x-www-form-urlencoded"}
    for seq, user in enumerate(users):
        reply = client.post(PATH, data=rewrite(form, domain, user, seq, rng), headers=headers)
        if reply.status_code != 200 or b"a1-hash" not in reply.data:
            raise RuntimeError(f"no directory document for {user}@{domain}: HTTP {reply.status_code} "
                               f"{reply.data[:400]!r}")
        (dest / f"{user}.xml").write_bytes(reply.data)
    with app.app_context():
        db.engine.dispose()
    return dest
