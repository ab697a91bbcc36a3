"""Where a fax may go (fs_service.fax.destinations): 911 and N11 services never, local and
toll-free always, long distance and international by the sender's extension toll class —
"with code" refused, since a fax cannot type an access code. Checked at submit and resend."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from reportlab.lib.pagesizes import LETTER

from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.fax.destinations import fax_destination
from fs_service.models import FaxJob
from fs_service.numbers import rules as numbers
from tests.factories import make_extension
from tests.integration.test_fax_api import base, bearer, send
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.unit.test_fax_support import make_pdf

LONG_DISTANCE = "1-418-555-0199"
INTERNATIONAL = "011 33 1 42 68 53 00"


def extension(world, user=None, **toll_modes):
    """An extension of ``user`` (the sender by default) with these toll classes."""
    ext = make_extension(world.account, user=user or world.sender)
    for field, mode in toll_modes.items():
        setattr(ext, field, mode)
    db.session.commit()
    return ext


def refusal(world, destination: str) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        fax_destination(world.account, world.sender, destination)
    assert list(refused.value.details) == ["destination"]
    return refused.value.error_id, refused.value.details["destination"][0]


@pytest.mark.parametrize("destination, error_id", [
    ("911", "fax_emergency"), ("9911", "fax_emergency"), ("+1 911", "validation_error"),
    ("311", "fax_service_number"), ("511", "fax_service_number"), ("411", "fax_service_number"),
    ("12", "validation_error"), ("", "validation_error")])
def test_emergency_service_and_malformed_numbers_are_never_fax_destinations(world, destination, error_id):
    extension(world, long_distance="unlimited", international="unlimited")
    assert refusal(world, destination)[0] == error_id


@pytest.mark.parametrize("destination, toll_class", [("514-555-0105", "local"), ("1 800 555 0199", "toll_free"),
                                                     ("+18885550199", "toll_free")])
def test_local_and_toll_free_numbers_need_no_toll_right(world, destination, toll_class):
    extension(world, long_distance="disabled", international="disabled")
    assert fax_destination(world.account, world.sender, destination).toll_class == toll_class


@pytest.mark.parametrize("mode, allowed", [("disabled", False), ("code", False), ("unlimited", True)])
@pytest.mark.parametrize("destination, field", [(LONG_DISTANCE, "long_distance"), (INTERNATIONAL, "international")])
def test_long_distance_and_international_obey_the_extension_toll_class(world, mode, allowed, destination, field):
    extension(world, **{field: mode})
    if allowed:
        assert fax_destination(world.account, world.sender, destination).toll_class == field
        return
    error_id, message = refusal(world, destination)
    assert error_id == "fax_toll_refused"
    assert ("access code" in message) == (mode == "code")


MONTREAL_FORMS = ["514-555-0199", "5145550199", "15145550199", "+15145550199", "+1 (514) 555-0199",
                  "1 514 555 0199", "438 555 0199", "+1 438-555-0199"]


@pytest.mark.parametrize("destination", MONTREAL_FORMS)
def test_a_local_number_is_local_in_every_form_for_a_sender_allowed_local_calls_only(world, destination):
    """Issue 13: +15145550199 was refused as long distance while 5145550199 was local. The
    account's numbers are in 514: 514 and its overlays (438, 263) are local, whatever the form."""
    extension(world, long_distance="disabled", international="disabled")
    dialed = fax_destination(world.account, world.sender, destination)
    assert (dialed.toll_class, dialed.carrier_number) == ("local", "1" + re.sub(r"\D", "", destination)[-10:])


@pytest.mark.parametrize("destination", ["418-555-0199", "4185550199", "14185550199", "+14185550199",
                                         "+1 (418) 555-0199", "450 555 0199"])
def test_a_long_distance_number_is_long_distance_in_every_form(world, destination):
    extension(world, long_distance="disabled", international="unlimited")
    assert refusal(world, destination) == ("fax_toll_refused", "long-distance faxes are not allowed for your extension")


@pytest.mark.parametrize("destination", ["011 33 1 42 68 53 00", "+33 1 42 68 53 00", "+33142685300"])
def test_an_international_number_is_international_in_every_form(world, destination):
    extension(world, long_distance="unlimited", international="disabled")
    assert refusal(world, destination) == ("fax_toll_refused", "international faxes are not allowed for your extension")


def test_local_follows_the_accounts_numbers(world):
    """Local is where the account's numbers are: a number in 418 makes 418 local too."""
    extension(world, long_distance="disabled")
    assert refusal(world, "+14185550199")[0] == "fax_toll_refused"
    numbers.create_number(world.account, "+14185550100", label="Québec")
    db.session.commit()
    assert fax_destination(world.account, world.sender, "+14185550199").toll_class == "local"


def test_the_api_queues_a_plus_one_local_fax_for_a_sender_allowed_local_calls_only(world):
    client = world.app.test_client()
    extension(world, long_distance="disabled", international="disabled")
    response = send(client, world, world.sender, ("ok.pdf", make_pdf(LETTER)), destination="+1 514 555 0199")
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["destination"], response.get_json()["toll_class"]) == ("15145550199", "local")
    job = db.session.scalar(sa.select(FaxJob))
    assert (job.destination, job.toll_class) == ("15145550199", "local")


def test_the_most_open_of_the_senders_extensions_counts_and_none_means_local_only(world):
    assert refusal(world, LONG_DISTANCE)[1] == "you have no extension allowing long-distance calls"
    extension(world, long_distance="disabled")
    extension(world, long_distance="unlimited")
    assert fax_destination(world.account, world.sender, LONG_DISTANCE).carrier_number == "14185550199"


def test_a_colleagues_extension_gives_the_sender_nothing(world):
    extension(world, world.admin, long_distance="unlimited")
    assert refusal(world, LONG_DISTANCE)[0] == "fax_toll_refused"


def test_the_api_refuses_a_barred_destination_naming_the_field_and_queues_nothing(world):
    client = world.app.test_client()
    extension(world, international="code")
    response = send(client, world, world.sender, ("ok.pdf", make_pdf(LETTER)), destination=INTERNATIONAL)
    body = response.get_json()
    assert response.status_code == 400 and body["error_id"] == "fax_toll_refused"
    assert "access code" in body["details"]["destination"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FaxJob)) == 0


def test_the_send_page_shows_the_refusal_in_french(world):
    from tests.integration.test_fax_ui import login, post
    extension(world, long_distance="disabled")
    page = post(login(world.app, world.sender), world, ("ok.pdf", make_pdf(LETTER)), destination=LONG_DISTANCE)
    assert page.status_code == 400
    assert "Les télécopies interurbaines ne sont pas permises pour votre poste." in page.text


def test_resend_checks_the_toll_class_again(world):
    ext = extension(world, long_distance="unlimited")
    job = world.submit(destination=LONG_DISTANCE)
    assert (job.destination, job.toll_class) == ("14185550199", "long_distance")
    db.session.execute(sa.update(FaxJob).values(state="sent"))
    ext.long_distance = "code"
    db.session.commit()
    client = world.app.test_client()
    response = client.post(f"{base(world)}/jobs/{job.id}/resend", headers=bearer(world.sender))
    assert response.status_code == 400 and response.get_json()["error_id"] == "fax_toll_refused"
    ext.long_distance = "unlimited"
    db.session.commit()
    assert client.post(f"{base(world)}/jobs/{job.id}/resend", headers=bearer(world.sender)).status_code == 201


@pytest.mark.parametrize("destination, stored, allowed", [
    ("4165550199", "local", False),       # typed as 10 digits before issue 13: Toronto was "local"
    ("5145550199", "long_distance", True),  # typed +1 before issue 13 (accepted with unlimited then)
])
def test_resend_reads_the_class_again_from_the_digits(world, destination, stored, allowed):
    ext = extension(world, long_distance="unlimited")
    job = world.submit(destination=destination)
    db.session.execute(sa.update(FaxJob).values(state="sent", toll_class=stored))
    ext.long_distance = "disabled"
    db.session.commit()
    response = world.app.test_client().post(f"{base(world)}/jobs/{job.id}/resend", headers=bearer(world.sender))
    assert response.status_code == (201 if allowed else 400), response.get_json()
    if allowed:
        assert response.get_json()["toll_class"] == "local"
