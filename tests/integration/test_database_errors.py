"""What each door does with a database error: an outage (connection lost, lock held, pool
empty) is a clear 503 and is waited out by the ESL lanes; any other database error is a bug
(a 500, and a lane drops that one change) -- never confused with each other."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from esl_handlers.lanes import Lanes
from fs_service.db import DatabaseUnavailable, unavailable


def outage() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


def bug() -> sa.exc.ProgrammingError:
    return sa.exc.ProgrammingError("SELEC 1", {}, Exception("syntax error"))


@pytest.mark.parametrize("error,expected", [
    (outage(), True), (sa.exc.TimeoutError("QueuePool limit reached"), True),
    (sa.exc.InterfaceError("x", {}, Exception("connection already closed")), True),
    (DatabaseUnavailable("down"), True), (bug(), False),
    (sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key")), False), (ValueError("x"), False),
])
def test_outages_are_told_from_bugs(error, expected):
    assert unavailable(error) is expected


@pytest.fixture
def app(make_app):
    """An app of its own: the tests add views to it, which Flask refuses on one that has served."""
    app = make_app(fresh=True)
    with app.app_context():
        yield app


@pytest.fixture
def failing_view(app):
    raised = {"error": outage()}

    def boom():
        raise raised["error"]

    for path in ("/api/v1/boom", "/boom"):
        app.add_url_rule(path, path, boom)
    return raised


def test_an_outage_is_a_503_json_for_the_api_and_a_plain_page_for_the_ui(client, failing_view):
    api = client.get("/api/v1/boom")
    assert (api.status_code, api.get_json()["error_id"], api.headers["Retry-After"]) == (503, "database_unavailable", "2")
    page = client.get("/boom")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert b'data-error-id="database_unavailable"' in page.data and b"Traceback" not in page.data


def test_any_other_database_error_stays_a_bug_not_a_503(client, failing_view):
    failing_view["error"] = bug()
    with pytest.raises(sa.exc.ProgrammingError):  # TESTING propagates it; production renders the 500
        client.get("/api/v1/boom")


def test_a_lane_waits_out_an_outage_in_order_and_drops_only_a_bad_change(app):
    lanes = Lanes(app, threaded=False, linger=0, outage_backoff=(0.01, 0.05))
    applied, outages_left = [], [3]

    def apply(batch: list) -> None:
        if outages_left[0]:
            outages_left[0] -= 1
            raise outage()
        if "bad" in batch:
            raise bug()
        applied.extend(batch)

    for item in ("a", "b", "bad", "c"):
        lanes.put("lane", apply, item)
    assert lanes.wait_idle(5)
    assert applied == ["a", "b", "c"]  # held through three failed attempts, nothing lost, order kept
    assert (lanes.outages, lanes.failed, lanes.applied) == (1, 1, 4)
