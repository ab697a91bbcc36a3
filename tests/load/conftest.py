"""One real ``pbx run`` for the load tests, its FreeSWITCH node being the fake (in this
process), seeded with one account: 200 extensions (100, 1000-1198), a fax sender, API tokens and a
signed-in browser session for the live status page."""
from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.control_plane import ControlPlane
from tests.e2e.ports import free_port
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_esl_listener_support import PASSWORD, script_state

EXTENSIONS = ["100"] + [str(n) for n in range(1000, 1199)]  # 100 places the load's calls


def pytest_collection_modifyitems(items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.load)


@dataclass
class Served:
    cp: ControlPlane
    fake: FakeFreeSwitch
    account_id: int
    domain: str
    xml_auth: str
    sender_token: str
    session_cookie: str
    fax_form: dict


def _seed(cp: ControlPlane, settings: dict) -> tuple[int, str, str, str, dict]:
    from fax.storage import FaxStorage
    from fs_service.accounts import login as auth
    from fs_service.db import db
    from pbx.app import create_app
    from pbx.config import load_settings
    from tests.factories import make_account, make_extension
    from tests.integration.test_fax_worker_support import build_world

    app = create_app(load_settings(environ={}, **settings), dispatch_fs=False)
    with app.app_context():
        world = build_world(app, smtp=None)
        for number in EXTENSIONS:
            make_extension(world.account, number=number)
        token = auth.create_api_token(world.sender, "load")
        db.session.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": str(world.admin.id), "_fresh": True})
        form = {"destination": "514-555-0105", "sender_number_id": str(world.fax_number.id),
                "sender_phone_id": str(world.phone_number.id), "language": "fr", "subject": "Charge",
                "to_name": "John Doe", "to_company": "Acme inc.", "to_phone": "514 555-0000",
                "from_name": "Chrystiane Gaudet", "from_company": "Ubity inc.", "comments": "Test."}
        FaxStorage.from_settings(app.config["PBX"]).prepare()
        account_id, domain = world.account.id, world.account.sip_domain
        db.session.remove()
        db.engine.dispose()
    return account_id, domain, token, cookie, form


@pytest.fixture(scope="package")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("load")
    fake = FakeFreeSwitch(password=PASSWORD).start()
    script_state(fake)
    xml_password, secret_key, port = secrets.token_hex(8), secrets.token_hex(16), free_port()
    instance = root / "instance"
    settings = {"instance_path": str(instance), "secret_key": secret_key, "xml_curl_password": xml_password,
                "esl_password": PASSWORD, "freeswitch_nodes": f"fs1=127.0.0.1:{fake.port}",
                "fax_storage": str(instance / "fax"), "smtp_port": 1, "log_level": "WARNING"}
    env = {f"PBX_{name.upper()}": str(value) for name, value in settings.items()}
    env.update({"PBX_ENV": "development", "PBX_HOST": "127.0.0.1", "PBX_PORT": str(port),
                "PBX_VOICEMAIL_SOCKET": f"127.0.0.1:{free_port()}", "PBX_ESL_PROBE_SECONDS": "5"})
    cp = ControlPlane(root, port, env)
    cp.pbx("db", "upgrade")
    account_id, domain, token, cookie, form = _seed(cp, {**settings, "database_url": f"sqlite:///{cp.database}"})
    cp.start()
    try:
        until(lambda: cp.health()["nodes"][0]["up"], 30)
        auth = "Basic " + base64.b64encode(f"freeswitch:{xml_password}".encode()).decode()
        yield Served(cp, fake, account_id, domain, auth, token, cookie, form)
    finally:
        cp.stop()
        fake.stop()
