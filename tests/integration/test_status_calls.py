"""Click-to-call from the status page and the API (STAT-3): the user's own phone rings first,
then the target through the account's dialplan; every refusal says why."""
from __future__ import annotations

import dataclasses
import re

import pytest

from tests.factories import make_account
from tests.integration.test_api_support import assert_error, bearer, log_in
from tests.integration.test_esl_listener_support import esl, fake_fs  # noqa: F401 - fixtures
from tests.integration.test_ui_status import build_office, office, register, url  # noqa: F401 - fixture


def use_node(app, fake) -> None:
    """The app places calls on the fake's node, where the user's phone answers."""
    app.config["PBX"] = dataclasses.replace(app.config["PBX"], freeswitch_nodes=f"fs1=127.0.0.1:{fake.port}",
                                            click_to_call_ring_seconds=25)
    fake.set_reply("originate", "+OK 5a8d6c3e-0000-4000-8000-000000000001\n")


def originates(fake) -> list[str]:
    return [c for c in fake.commands if c.startswith("bgapi originate")]


def test_clicking_an_available_extension_rings_my_phone_then_calls_it(app, client, office, esl):
    use_node(app, esl.fake)
    register("100")
    register("101")
    log_in(client, office.alice)
    page = client.post(url(office, "/call"), data={"target": "101", "q": "10"}, follow_redirects=True)
    assert "Votre téléphone (poste 100) va sonner : décrochez pour appeler le 101." in page.text
    assert page.request.path == url(office) and page.request.args.get("q") == "10"  # back to the same view
    [command] = originates(esl.fake)
    assert re.search(r"\}user/100@acme\.test 101 XML acme\.test\n", command)
    assert "originate_timeout=25" in command and "effective_caller_id_number=100" in command


@pytest.mark.parametrize("who, target, message", [
    ("admin", "101", "Aucun poste ne vous est attribué"),
    ("alice", "999", "Ce poste n&#39;existe pas dans ce compte."),
    ("alice", "100", "C&#39;est votre propre poste."),
    ("alice", "101", "Votre téléphone n&#39;est pas connecté"),
])
def test_click_to_call_refusals_are_explained(client, office, who, target, message):
    log_in(client, getattr(office, who))
    page = client.post(url(office, "/call"), data={"target": target}, follow_redirects=True)
    assert page.status_code == 200 and message in page.text


def api(office, tail: str) -> str:
    return f"/api/v1/accounts/{office.account.id}{tail}"


def test_the_api_places_the_call_and_answers_202_with_the_job(app, client, office, esl):
    use_node(app, esl.fake)
    register("100")
    response = client.post(api(office, "/calls"), json={"target": "101"}, headers=bearer(office.alice))
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["from_extension"] == "100" and body["target"] == "101" and body["ring_seconds"] == 25
    assert body["job_id"] in esl.fake.commands[-1]


def test_a_job_freeswitch_fails_at_once_is_reported_with_its_cause(app, client, office, esl):
    use_node(app, esl.fake)
    esl.fake.set_reply("originate", "-ERR USER_NOT_REGISTERED\n")
    register("100")
    response = client.post(api(office, "/calls"), json={"target": "101"}, headers=bearer(office.alice))
    if response.status_code == 503:  # the job's failure arrived before the API answered
        assert "USER_NOT_REGISTERED" in assert_error(response, 503, "call_not_placed")["message"]
    else:
        assert response.status_code == 202  # accepted first: the cause goes to the log


def test_the_api_refusals_use_the_error_vocabulary(make_app):
    app = make_app(freeswitch_nodes="fs1=127.0.0.1:1", esl_timeout=0.5)  # nothing listens there
    with app.app_context():
        site = build_office()
        client, alice = app.test_client(), bearer(site.alice)

        def post(body, who=alice):
            return client.post(api(site, "/calls"), json=body, headers=who)

        assert_error(post({"target": "12a"}), 400, "validation_error", "target")
        assert_error(post({"target": "101", "x": 1}), 400, "validation_error", "x")
        assert_error(post({"target": "101"}, bearer(site.admin)), 400, "no_extension")
        assert_error(post({"target": "999"}), 404, "target_not_found")
        assert_error(post({"target": "100"}), 400, "same_extension")
        assert_error(post({"target": "101"}), 409, "phone_not_registered")
        register("100")
        body = assert_error(post({"target": "101"}), 503, "call_not_placed")
        assert "could not be placed" in body["message"]


def test_another_tenant_cannot_call_or_even_see_the_account(client, office):
    _, stranger = make_account(sip_domain="beta.test")
    response = client.post(api(office, "/calls"), json={"target": "101"}, headers=bearer(stranger))
    assert_error(response, 404, "not_found")
