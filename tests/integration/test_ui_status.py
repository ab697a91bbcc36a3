"""The extension status page (STAT-1..3, PARK-2, guide 15): states, filters, full screen,
parked calls, node-down banner, the push stream, click-to-call and who may see it."""
from __future__ import annotations

import dataclasses
import time
from datetime import timedelta

import pytest

from fs_service.db import db, utcnow
from fs_service.models import NodeStatus
from fs_service.park import events as parking_store
from fs_service.park.lot import ParkHold
from fs_service.status import store as status_store
from fs_service.status.events import ChannelUp, RegistrationUp
from tests.factories import make_account, make_extension, make_user
from tests.integration.test_api_support import log_in


@pytest.fixture
def office(app):
    return build_office()


def build_office():
    """acme.test: 100 (Alice, a user), 101 (Bob Martin), 102 (Accueil); an admin without extension."""
    account, admin = make_account(name="Acme", sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    make_extension(account, number="100", user=alice)
    make_extension(account, number="101", caller_id_name="Bob Martin")
    make_extension(account, number="102", caller_id_name="Accueil")
    return dataclasses.make_dataclass("Office", ["account", "admin", "alice"])(account, admin, alice)


def register(user: str, node: str = "fs1", domain: str = "acme.test") -> None:
    status_store.apply_changes(node, [RegistrationUp(f"cid-{user}", user, domain, expires=time.time() + 300)])


def url(office, tail: str = "") -> str:
    return f"/accounts/{office.account.id}/status{tail}"


def rows(page: str) -> list[tuple[str, str]]:
    """(number, state) of the extension rows, in page order."""
    import re
    return re.findall(r'<tr data-number="(\d+)" data-state="(\w+)"', page)


def test_the_page_shows_each_extension_available_in_call_or_disconnected(client, office):
    register("100")
    register("101")
    status_store.apply_changes("fs1", [ChannelUp("u1", "101", "acme.test", "answered", "101", "102")])
    log_in(client, office.alice)
    page = client.get(url(office)).text
    assert "État des postes téléphoniques" in page
    assert rows(page) == [("100", "available"), ("101", "in_call"), ("102", "disconnected")]
    assert "Disponible · 1" in page and "En appel · 1" in page and "Déconnecté · 1" in page
    assert page.count('name="target"') == 1 and 'name="target" value="100"' in page  # only available ones


def test_filter_by_state_search_and_sort_by_name_work_as_a_plain_get_form(client, office):
    register("100")
    log_in(client, office.admin)
    assert rows(client.get(url(office, "?state=available")).text) == [("100", "available")]
    assert rows(client.get(url(office, "?q=bob")).text) == [("101", "disconnected")]
    by_name = [n for n, _ in rows(client.get(url(office, "?sort=name")).text)]
    assert by_name == ["102", "100", "101"]  # Accueil, Alice Tremblay, Bob Martin
    assert len(rows(client.get(url(office, "?state=bogus&sort=bogus")).text)) == 3  # shown, not an error


def test_full_screen_works_without_javascript_as_a_link(client, office):
    log_in(client, office.admin)
    page = client.get(url(office, "?full=1&q=10")).text
    assert 'class="status-page fullscreen"' in page and "Quitter le plein écran" in page
    assert f'href="/accounts/{office.account.id}/status?q=10"' in page


def test_parked_calls_show_slot_caller_and_waiting_time(client, office):
    parking_store.apply_changes("fs1", [ParkHold("acme.test", "701", "p1", "4185551234", "Client Inc", "100",
                                                 time.time() - 75)])
    log_in(client, office.alice)
    page = client.get(url(office)).text
    section = page[page.index('id="parked-calls"'):]
    assert 'data-slot="701"' in section and "Client Inc" in section and "4185551234" in section
    assert ">1:15<" in section or ">1:16<" in section


def test_a_node_down_or_silent_shows_a_banner_and_the_page_still_works(make_app):
    app = make_app(freeswitch_nodes="fs1=127.0.0.1:1", esl_probe_seconds=20)
    with app.app_context():
        account, admin = make_account(sip_domain="acme.test")
        client = app.test_client()
        log_in(client, admin)
        assert "FreeSWITCH est injoignable (fs1)" in client.get(f"/accounts/{account.id}/status").text
        status_store.mark_node("fs1", True)
        assert "injoignable" not in client.get(f"/accounts/{account.id}/status").text
        db.session.get(NodeStatus, "fs1").last_seen_at = utcnow() - timedelta(seconds=61)
        db.session.commit()  # its `pbx esl` died without saying so: 3 probes missed
        assert "injoignable" in client.get(f"/accounts/{account.id}/status").text


def test_users_and_admins_see_it_other_tenants_get_404_and_visitors_log_in(client, office):
    other, other_admin = make_account(sip_domain="beta.test")
    assert client.get(url(office)).status_code == 302
    assert client.get(url(office, "/stream")).status_code == 401
    log_in(client, other_admin)
    assert client.get(url(office)).status_code == 404
    assert client.get(url(office, "/stream")).status_code == 404
    log_in(client, office.alice)
    assert client.get(url(office)).status_code == 200
