"""Click-to-call (STAT-3): the core's checks and originate request, the command string, and the
bgapi job through a live listener or a short connection to the fake FreeSWITCH."""
from __future__ import annotations

import dataclasses
import logging
import re
import time

import gevent
import pytest

from esl_handlers import calls
from esl_handlers.originate import originate, safe_name
from fs_service.db import db
from fs_service.errors import Conflict, NotFound, ValidationFailed
from fs_service.extensions import rules as extensions
from fs_service.status import store as status_store
from fs_service.status.click_to_call import OriginateRequest, click_to_call
from fs_service.status.events import RegistrationUp
from tests.factories import make_account, make_extension, make_user
from tests.helpers import until
from tests.integration.test_esl_listener_support import esl, fake_fs  # noqa: F401 - fixtures


@pytest.fixture
def office(app):
    account, _ = make_account(sip_domain="acme.test")
    alice = make_extension(account, number="100", user=make_user(account, first_name="Alice",
                                                                  last_name="Tremblay"))
    bob = make_extension(account, number="101", caller_id_name="Bob Martin")
    return account, alice, bob


def register(user: str, node: str = "fs1", expires_in: int = 300, domain: str = "acme.test") -> None:
    status_store.apply_changes(node, [RegistrationUp(f"cid-{user}-{node}", user, domain,
                                                     expires=time.time() + expires_in)])


def request_for(**overrides) -> OriginateRequest:
    values = dict(node="fs1", domain="acme.test", ring_users=("100",), destination="101", context="acme.test",
                  display_name="Bob Martin", display_number="101", caller_name="Alice Tremblay",
                  caller_number="100", from_extension="100")
    values.update(overrides)
    return OriginateRequest(**values)


# -- the core ------------------------------------------------------------------------------

def test_the_users_phone_rings_first_showing_the_target_then_the_dialplan_calls_it(office):
    account, alice, bob = office
    register("100")
    assert click_to_call(account, alice, "101") == request_for()


def test_registered_softphones_of_the_user_ring_together_with_the_desk_phone(office):
    account, alice, _ = office
    phone = extensions.create_softphone(account, alice, "laptop")
    db.session.commit()
    register("100")
    register(phone.sip_username)
    assert click_to_call(account, alice, "101").ring_users == ("100", phone.sip_username)


def test_the_call_is_placed_on_the_node_where_the_phone_is_registered(office):
    account, alice, _ = office
    register("100", node="fs2")
    assert click_to_call(account, alice, "101").node == "fs2"


@pytest.mark.parametrize("case, error, error_id", [
    ("no_extension", ValidationFailed, "no_extension"),
    ("unregistered", Conflict, "phone_not_registered"),
    ("expired", Conflict, "phone_not_registered"),
    ("other_account", NotFound, "target_not_found"),
    ("unknown", NotFound, "target_not_found"),
    ("myself", ValidationFailed, "same_extension"),
])
def test_click_to_call_refusals_say_why(office, case, error, error_id):
    account, alice, _ = office
    beta, _ = make_account(sip_domain="beta.test")
    make_extension(beta, number="200")
    register("100", expires_in=-5 if case == "expired" else 300)
    if case == "unregistered":
        db.session.execute(db.text("DELETE FROM registrations"))
        db.session.commit()
    actor = None if case == "no_extension" else alice
    target = {"other_account": "200", "unknown": "999", "myself": "100"}.get(case, "101")
    with pytest.raises(error) as raised:
        click_to_call(account, actor, target)
    assert raised.value.error_id == error_id and raised.value.message


# -- the command string --------------------------------------------------------------------

def test_originate_quotes_names_with_spaces_and_routes_through_the_account_dialplan():
    assert originate(request_for(ring_users=("100", "100-1"))) == (
        "originate {origination_caller_id_name='Bob Martin',origination_caller_id_number=101,"
        "effective_caller_id_name='Alice Tremblay',effective_caller_id_number=100,click_to_call_from=100,"
        "originate_timeout=30}user/100@acme.test,user/100-1@acme.test 101 XML acme.test")


def test_names_cannot_break_out_of_the_variables_or_expand_anything():
    assert safe_name("O'Brien, {x}=${system(ls)} [ok]|^") == "O\u2019Brien xsystem(ls) ok"
    assert safe_name("Zoé  Côté") == "Zoé Côté"
    assert safe_name("'''") == "\u2019\u2019\u2019" and safe_name(",,,") == "Unknown"


@pytest.mark.parametrize("field, value", [("destination", "101 &bridge"), ("ring_users", ("100 x",)),
                                          ("domain", "acme.test XML"), ("display_number", "1'0")])
def test_values_freeswitch_would_split_are_refused(field, value):
    with pytest.raises(ValueError):
        originate(request_for(**{field: value}))


# -- through the ESL door --------------------------------------------------------------------

def job_uuid_sent(fake) -> str:
    line = next(c for c in fake.commands if c.startswith("bgapi originate"))
    return re.search(r"Job-UUID: (\S+)", line).group(1)


def test_place_call_on_the_live_listener_gets_its_background_job_result(app, esl, caplog):
    caplog.set_level(logging.INFO, logger="pbx.esl.calls")
    app.config["PBX"] = dataclasses.replace(app.config["PBX"], freeswitch_nodes=f"fs1=127.0.0.1:{esl.fake.port}")
    esl.fake.set_reply("originate", "+OK 5a8d6c3e-0000-4000-8000-000000000001\n")
    result = calls.place_call(app, request_for())
    assert result.ok and result.job_id == job_uuid_sent(esl.fake)
    assert esl.fake.commands[-1].startswith("bgapi originate {origination_caller_id_name='Bob Martin'")
    assert esl.fake.commands.count(f"auth {esl.fake.password}") == 1  # no second connection
    until(lambda: "originate finished" in caplog.text)
    assert "ok=True" in caplog.text and result.job_id in caplog.text


def test_place_call_without_a_listener_uses_a_short_connection_and_reports_the_cause(make_app, fake_fs):
    app = make_app(freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}", esl_timeout=1.0)
    with app.app_context():
        result = calls.place_call(app, request_for())
        assert result.ok  # accepted; the job then fails: the fake's phone is not registered
        until(lambda: fake_fs.client_count == 0)
    assert fake_fs.commands[1] == "event plain BACKGROUND_JOB"


def test_a_job_that_never_reports_becomes_an_error_result_after_its_timeout(esl):
    esl.fake.set_reply("originate", lambda cmd: gevent.sleep(3) or "+OK late\n")
    job = esl.listener.facade.originate(request_for(), timeout=0.2)
    started = time.monotonic()
    result = job.result()
    assert not result.ok and "no BACKGROUND_JOB" in result.body and result.job_id == job.job_id
    assert time.monotonic() - started < 1.0


def test_an_unregistered_phone_ends_the_job_with_freeswitchs_cause(esl):
    result = esl.listener.facade.originate(request_for()).result(timeout=2)
    assert (result.ok, result.body) == (False, "-ERR USER_NOT_REGISTERED")


def test_a_call_to_an_unknown_node_is_refused_without_connecting(app):
    assert calls.place_call(app, request_for(node="fs9")).body.startswith("-ERR unknown FreeSWITCH node")
