"""The host-side ways in (issue 14): ``pbx create-api-token`` for automation and ``pbx
reset-two-factor`` for an operator who lost their phone, run as the real command."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from fs_service.accounts import two_factor
from fs_service.db import db
from fs_service.models import AuditEvent, User
from tests.factories import make_operator
from tests.integration.test_api_support import API

PBX = Path(sys.executable).parent / "pbx"


def _pbx(settings: dict, *args: str) -> str:
    env = {**os.environ, **{f"PBX_{k.upper()}": str(v) for k, v in settings.items()}}
    done = subprocess.run([str(PBX), *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_host_token_acts_as_the_operator_and_a_reset_clears_two_factor(app, client, base_settings):
    operator = make_operator()
    email, operator_id = operator.email, operator.id
    token = _pbx(base_settings, "create-api-token", "--email", email, "--name", "ci").split()[-1]
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == email and me.json["two_factor_enabled"] is True

    assert "two-factor cleared" in _pbx(base_settings, "reset-two-factor", "--email", email)
    db.session.expire_all()
    assert not two_factor.enabled(db.session.get(User, operator_id))
    logged = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "users",
                                                            AuditEvent.source == "cli")).all()
    assert logged and logged[-1].changes["totp_secret"] == ["(secret)", None]
