"""The fax REST API (FAX-1..7): send as multipart, per-file refusals that queue nothing, the outbox
with progress, resend, the received faxes with PDF and preview, and the fax settings' rights."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from reportlab.lib.pagesizes import A4, LETTER, landscape

from fs_service.accounts import login as auth
from fs_service.db import db
from fs_service.models import FaxJob, ReceivedFax
from tests.factories import make_account, make_operator, make_user
from tests.integration.test_fax_ui import form
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.unit.test_fax_support import LEGAL, encrypted_pdf, make_pdf, padded_to


def bearer(user) -> dict:
    token = auth.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def base(world) -> str:
    return f"/api/v1/accounts/{world.account.id}/fax"


def send(client, world, user, *documents, **overrides):
    data = form(world, **overrides)
    data["documents"] = [(io.BytesIO(content), name) for name, content in documents]
    return client.post(f"{base(world)}/jobs", data=data, content_type="multipart/form-data", headers=bearer(user))


@pytest.fixture
def client(world):
    return world.app.test_client()


def test_a_fax_is_sent_as_multipart_and_comes_back_queued(world, client):
    response = send(client, world, world.sender, ("a.pdf", make_pdf(LETTER)), ("b.pdf", make_pdf(A4)))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["state"], body["pages_total"], body["pages_sent"], body["destination"]) == ("queued", 3, 0,
                                                                                           "15145550105")
    listed = client.get(f"{base(world)}/jobs", headers=bearer(world.sender)).get_json()
    assert [j["id"] for j in listed] == [body["id"]]
    pdf = client.get(f"{base(world)}/jobs/{body['id']}/pdf", headers=bearer(world.sender))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_every_refused_document_is_listed_with_its_reason_and_nothing_is_queued(world, client):
    response = send(client, world, world.sender, ("ok.pdf", make_pdf(LETTER)),
                    ("land.pdf", make_pdf(landscape(A4))), ("legal.pdf", make_pdf(LEGAL)),
                    ("locked.pdf", encrypted_pdf()), ("big.pdf", padded_to(make_pdf(LETTER), 2 * 1024 * 1024)))
    assert response.status_code == 400
    body = response.get_json()
    assert body["error_id"] == "fax_documents_rejected"
    assert [(r["file"], r["page"], r["error_id"]) for r in body["documents_rejected"]] == [
        ("land.pdf", 1, "pdf_landscape"), ("legal.pdf", 1, "pdf_wrong_size"), ("locked.pdf", None, "pdf_encrypted"),
        ("big.pdf", None, "pdf_too_large")]
    assert len(body["details"]["documents"]) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FaxJob)) == 0


@pytest.mark.parametrize("field, value", [("destination", "911"), ("destination", "abc"), ("to_phone", ""),
                                          ("language", "de"), ("comments", "")])
def test_bad_fields_are_a_400_naming_the_field(world, client, field, value):
    response = send(client, world, world.sender, ("ok.pdf", make_pdf(LETTER)), **{field: value})
    assert response.status_code == 400 and field in response.get_json()["details"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FaxJob)) == 0


def test_the_check_endpoint_gives_each_files_verdict(world, client):
    data = {"documents": [(io.BytesIO(make_pdf(A4)), "a4.pdf"), (io.BytesIO(make_pdf(LEGAL)), "legal.pdf")]}
    verdicts = client.post(f"{base(world)}/documents/check", data=data, content_type="multipart/form-data",
                           headers=bearer(world.sender)).get_json()
    assert [(v["filename"], v["ok"], v.get("error_id")) for v in verdicts] == [("a4.pdf", True, None),
                                                                              ("legal.pdf", False, "pdf_wrong_size")]


def test_without_the_right_sending_is_403(world, client):
    other = make_user(world.account)
    assert send(client, world, other, ("ok.pdf", make_pdf(LETTER))).status_code == 403
    assert client.get(f"{base(world)}/jobs", headers=bearer(other)).status_code == 403


def test_resend_is_refused_while_the_fax_is_on_its_way(world, client):
    job = world.submit()
    headers = bearer(world.sender)
    assert client.post(f"{base(world)}/jobs/{job.id}/resend", headers=headers).status_code == 409
    db.session.execute(sa.update(FaxJob).values(state="sent"))
    db.session.commit()
    again = client.post(f"{base(world)}/jobs/{job.id}/resend", headers=headers)
    assert again.status_code == 201 and again.get_json()["state"] == "queued"


def test_received_faxes_are_listed_with_pdf_and_thumbnail(world, client):
    tiff = world.storage.local("in/rx-1-abc.tif")
    world.storage.write("in/rx-1-abc.tif", b"")
    from tests.integration.test_fax_receive import fax_machine_tiff
    fax_machine_tiff(tiff, make_pdf(LETTER), "204x98")
    db.session.add(ReceivedFax(account_id=world.account.id, number_id=world.fax_number.id, caller_number="4185559999",
                               pages=1, channel_uuid="abc", tiff_path="in/rx-1-abc.tif"))
    db.session.commit()
    from esl_handlers.fax_worker import FaxWorker
    assert FaxWorker(world.app).convert_received() == 1
    headers = bearer(world.sender)
    [row] = client.get(f"{base(world)}/received", headers=headers).get_json()
    assert (row["caller_number"], row["pages"], row["ready"]) == ("4185559999", 1, True)
    assert client.get(f"{base(world)}/received/{row['id']}/pdf", headers=headers).data.startswith(b"%PDF")
    png = client.get(f"{base(world)}/received/{row['id']}/thumbnail", headers=headers)
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    page = client.get(f"/accounts/{world.account.id}/fax/inbox", headers=headers)
    assert page.status_code == 200 and f"/fax/inbox/{row['id']}/thumbnail.png" in page.text
    outsider = make_user(world.account)
    assert client.get(f"{base(world)}/received", headers=bearer(outsider)).status_code == 404


def test_fax_numbers_options_are_the_operators_and_recipients_the_admins(world, client):
    url = f"{base(world)}/numbers/{world.fax_number.id}"
    admin = bearer(world.admin)
    assert client.patch(url, json={"fax_inbound_emails": "x@acme.test"}, headers=admin).status_code == 200
    refused = client.patch(url, json={"is_fax": False}, headers=admin)
    assert refused.status_code == 403 and refused.get_json()["details"] == {"is_fax": ["reserved to the operator"]}
    operator = bearer(make_operator())
    assert client.patch(url, json={"fax_confirmation_email": False}, headers=operator).get_json()[
        "fax_confirmation_email"] is False
    assert client.patch(url, json={"fax_inbound_emails": "nope"}, headers=admin).status_code == 400


def test_the_admin_grants_and_withdraws_the_right(world, client):
    colleague = make_user(world.account)
    url = f"{base(world)}/users/{colleague.id}"
    assert client.put(url, json={"can_fax": True}, headers=bearer(world.admin)).get_json()["can_fax"] is True
    assert client.put(url, json={"can_fax": True}, headers=bearer(world.sender)).status_code == 403
    _, stranger_admin = make_account()
    assert client.put(url, json={"can_fax": False}, headers=bearer(stranger_admin)).status_code == 404
