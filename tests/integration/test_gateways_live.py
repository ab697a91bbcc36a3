"""Saved = live for carrier gateways: after the commit every node is told to kill what changed
or went away and to rescan the carrier profile (later when a name was just killed, so
FreeSWITCH has dropped the old copy), and the next outbound call uses the account's gateway."""
from __future__ import annotations

import pytest

from fs_service import gateways
from fs_service.db import db
from fs_service.models import Gateway
from tests.factories import make_account, make_operator
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_api_support import API, bearer
from tests.integration.test_call_view_cache import ACME_ID
from tests.integration.test_settings_support import CALL_OUT, acme, actions, bridges  # noqa: F401

PROFILE = "carriers"
RESCAN = f"sofia profile {PROFILE} rescan"
LATER = f"sched_api +{gateways.REAP_SECONDS} none {RESCAN}"


@pytest.fixture
def fake_fs():
    server = FakeFreeSwitch(password="esl-secret")
    server.set_reply(f"sofia profile {PROFILE} killgw", "+OK gateway marked for deletion.\n")
    server.set_reply("sched_api", "+OK Added: 7\n")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_app(make_app, fake_fs):
    app = make_app(dispatch_fs=True, freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}", esl_timeout=1.0,
                   carrier_profile=PROFILE)
    with app.app_context():
        yield app


def sofia(fake_fs) -> list[str]:
    return [c for c in fake_fs.api_commands() if PROFILE in c]


def created(fake_fs, *names: str, clear: bool = True) -> list[Gateway]:
    """Enabled gateways set up before the change under test; each one's own rescan has arrived."""
    made = [gateways.create_gateway(name=name, proxy=f"{name}.example") for name in names]
    db.session.commit()
    until(lambda: RESCAN in sofia(fake_fs))  # one batch, one rescan
    if clear:
        fake_fs.commands.clear()
    return made


def told(fake_fs, action, count: int) -> list[str]:
    """The ``count`` commands FreeSWITCH hears of one committed change; with 0, a marker
    gateway's rescan shows that everything queued before it has arrived."""
    action()
    db.session.commit()
    if count:
        return until(lambda: len(sofia(fake_fs)) >= count and sofia(fake_fs))
    created(fake_fs, "marker", clear=False)
    return sofia(fake_fs)


def test_a_new_enabled_gateway_is_started_by_a_rescan_after_the_commit(live_app, fake_fs):
    gateways.create_gateway(name="carrier", proxy="sip.carrier.example")
    db.session.flush()
    assert sofia(fake_fs) == []  # not before the commit
    db.session.commit()
    assert until(lambda: sofia(fake_fs)) == [RESCAN]


def test_a_disabled_new_gateway_tells_freeswitch_nothing(live_app, fake_fs):
    def spare():
        gateways.create_gateway(name="spare", proxy="s.example", enabled=False)

    assert told(fake_fs, spare, 0) == [RESCAN]  # the marker's only


def test_a_changed_gateway_is_killed_then_rescanned_once_freeswitch_dropped_it(live_app, fake_fs):
    [gw] = created(fake_fs, "carrier")
    assert told(fake_fs, lambda: gateways.update_gateway(gw, {"password": "new"}), 2) == [
        f"sofia profile {PROFILE} killgw carrier", LATER]


def test_a_renamed_gateway_kills_the_old_name_and_rescans_at_once(live_app, fake_fs):
    [gw] = created(fake_fs, "carrier")
    assert told(fake_fs, lambda: gateways.update_gateway(gw, {"name": "carrier-b"}), 2) == [
        f"sofia profile {PROFILE} killgw carrier", RESCAN]


def test_disabling_or_deleting_a_gateway_only_kills_it(live_app, fake_fs):
    gw, other = created(fake_fs, "carrier", "other")
    assert told(fake_fs, lambda: gateways.update_gateway(gw, {"enabled": False}), 1) == [
        f"sofia profile {PROFILE} killgw carrier"]
    fake_fs.commands.clear()
    assert told(fake_fs, lambda: gateways.delete_gateway(other), 1) == [f"sofia profile {PROFILE} killgw other"]


def test_a_scope_change_or_unchanged_save_tells_freeswitch_nothing(live_app, fake_fs):
    account, _ = make_account()
    [gw] = created(fake_fs, "carrier")
    def same():
        gateways.update_gateway(gw, {"account_id": account.id, "password": "", "proxy": gw.proxy})

    assert told(fake_fs, same, 0) == [RESCAN]


def test_a_rolled_back_gateway_change_sends_nothing(live_app, fake_fs):
    [gw] = created(fake_fs, "carrier")

    def refused():
        gateways.delete_gateway(gw)
        db.session.rollback()

    assert told(fake_fs, refused, 0) == [RESCAN]
    assert db.session.get(Gateway, gw.id) is not None


def test_the_api_save_reaches_freeswitch_without_the_password(live_app, fake_fs):
    client = live_app.test_client()
    headers = bearer(make_operator())
    response = client.post(f"{API}/gateways", json={"name": "carrier", "proxy": "p.example",
                                                    "password": "top-secret"}, headers=headers)
    assert response.status_code == 201
    assert until(lambda: sofia(fake_fs)) == [RESCAN]
    assert not any("top-secret" in c for c in fake_fs.api_commands())


# The next outbound call (recorded request of extension 100 dialing 5145559876) -------------

def test_an_account_gateway_chosen_through_the_api_carries_the_next_external_call(client, acme):
    headers = bearer(make_operator())
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/carrier/15145559876"]
    own = client.post(f"{API}/gateways", json={"name": "acme-trunk", "proxy": "trunk.example",
                                               "account_id": acme.account.id}, headers=headers).get_json()
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/carrier/15145559876"]
    client.put(f"{API}/accounts/{acme.account.id}/gateway", json={"gateway_id": own["id"]}, headers=headers)
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/acme-trunk/15145559876"]
    client.patch(f"{API}/gateways/{own['id']}", json={"name": "acme-trunk-2"}, headers=headers)
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/acme-trunk-2/15145559876"]
    client.delete(f"{API}/gateways/{own['id']}", headers=headers)
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/carrier/15145559876"]
