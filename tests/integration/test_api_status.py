"""GET /api/v1/accounts/<id>/status: extension states, parked calls and node health (STAT-1/2, PARK-2)."""
from __future__ import annotations

import time

from fs_service.park import events as parking_store
from fs_service.park.lot import ParkHold
from fs_service.status import store as status_store
from tests.factories import make_account
from tests.integration.test_api_support import assert_error, bearer
from tests.integration.test_ui_status import office, register  # noqa: F401 - fixture


def status(client, office, user, query: str = ""):
    return client.get(f"/api/v1/accounts/{office.account.id}/status{query}", headers=bearer(user))


def test_states_parked_calls_and_nodes_in_one_answer(client, office):
    register("100")
    parking_store.apply_changes("fs1", [ParkHold("acme.test", "701", "p1", "4185551234", "Client", "100",
                                                 time.time() - 30)])
    body = status(client, office, office.alice).get_json()
    assert [(e["number"], e["state"], e["registrations"], e["active_calls"]) for e in body["extensions"]] == [
        ("100", "available", 1, 0), ("101", "disconnected", 0, 0), ("102", "disconnected", 0, 0)]
    [parked] = body["parked_calls"]
    assert (parked["slot"], parked["caller_number"], parked["parked_by"]) == ("701", "4185551234", "100")
    assert 25 <= parked["duration_seconds"] < 90 and parked["parked_at"]
    assert body["nodes"] == []  # no FreeSWITCH configured in the tests


def test_filters_search_and_sort(client, office):
    register("101")
    numbers = lambda q: [e["number"] for e in status(client, office, office.admin, q).get_json()["extensions"]]  # noqa: E731
    assert numbers("?state=available") == ["101"]
    assert numbers("?q=accueil") == ["102"]
    assert numbers("?sort=name") == ["102", "100", "101"]


def test_bad_filters_are_400_naming_the_field(client, office):
    assert_error(status(client, office, office.admin, "?state=busy"), 400, "validation_error", "state")
    assert_error(status(client, office, office.admin, "?sort=age"), 400, "validation_error", "sort")
    assert_error(status(client, office, office.admin, "?colour=red"), 400, "validation_error", "colour")


def test_a_down_node_is_reported(make_app):
    app = make_app(freeswitch_nodes="fs1=127.0.0.1:1,fs2=127.0.0.1:2")
    with app.app_context():
        account, admin = make_account()
        status_store.mark_node("fs2", True)
        body = app.test_client().get(f"/api/v1/accounts/{account.id}/status", headers=bearer(admin)).get_json()
    assert [(n["name"], n["up"], n["error"]) for n in body["nodes"]] == [("fs1", False, "never connected"),
                                                                        ("fs2", True, None)]


def test_other_tenants_get_404_and_visitors_401(client, office):
    _, stranger = make_account(sip_domain="beta.test")
    assert_error(status(client, office, stranger), 404, "not_found")
    assert client.get(f"/api/v1/accounts/{office.account.id}/status").status_code == 401
