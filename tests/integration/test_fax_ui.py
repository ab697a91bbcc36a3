"""The fax pages (guide 6, FAX-1..5): the send form refuses each bad document with its own reason
and queues nothing, a good send renders a 1728-px TIFF and lands in the outbox, the outbox shows
live progress and spandsp's reason, "send again", the PDF download, and the right is the admin's."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from reportlab.lib.pagesizes import A4, LETTER, landscape

from fax.tiff import read_tiff_pages
from fs_service.db import db
from fs_service.models import FaxJob
from tests.factories import PASSWORD, make_account, make_user
from tests.helpers import ui_login
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.unit.test_fax_support import LEGAL, encrypted_pdf, make_pdf, padded_to

TWO_MB = 2 * 1024 * 1024


def login(app, user):
    client = app.test_client()
    ui_login(client, user.email, PASSWORD)
    return client


def form(world, **overrides) -> dict:
    values = {"destination": "514-555-0105", "sender_number_id": str(world.fax_number.id),
              "sender_phone_id": str(world.phone_number.id), "language": "fr", "subject": "Contrat",
              "to_name": "John Doe", "to_company": "Acme inc.", "to_phone": "514 555-0000",
              "from_name": "Chrystiane Gaudet", "from_company": "Ubity inc.", "comments": "Bonne lecture."}
    values.update(overrides)
    return values


def post(client, world, *documents: tuple[str, bytes], **overrides):
    data = form(world, **overrides)
    data["documents"] = [(io.BytesIO(content), name) for name, content in documents]
    return client.post(f"/accounts/{world.account.id}/fax/send", data=data, content_type="multipart/form-data")


def queued() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(FaxJob))


def stored_files(world) -> list[Path]:
    return [p for p in (world.storage.local_root / "out").rglob("*") if p.is_file()]


REFUSALS = [
    ("paysage.pdf", lambda: make_pdf(landscape(LETTER)), "paysage.pdf, page 1 : la page est en paysage"),
    ("a4-paysage.pdf", lambda: make_pdf(landscape(A4)), "a4-paysage.pdf, page 1 : la page est en paysage"),
    ("legal.pdf", lambda: make_pdf(LEGAL), "legal.pdf, page 1 : la page mesure 612×1008 pt"),
    ("secret.pdf", lambda: encrypted_pdf("secret"), "secret.pdf : le PDF est chiffré ou protégé par mot de passe"),
    ("gros.pdf", lambda: padded_to(make_pdf(LETTER), TWO_MB),
     "gros.pdf : le fichier fait 2 Mo ; la limite est de 1,5 Mo"),
]


@pytest.mark.parametrize("name, make, reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_each_bad_document_is_refused_with_its_own_reason_and_nothing_is_queued(world, name, make, reason):
    client = login(world.app, world.sender)
    page = post(client, world, ("ok.pdf", make_pdf(LETTER)), (name, make()))
    assert page.status_code == 400
    text = page.text.replace("\u00a0", " ").replace("&#39;", "'")
    assert reason in text and "ok.pdf" not in re.findall(r'data-field="documents">([^<]*)', text)[0]
    assert "Rien n'a été envoyé" in text and 'value="Contrat"' in text
    assert queued() == 0 and stored_files(world) == []


def test_letter_and_a4_documents_become_a_1728_px_wide_fine_g4_tiff_and_a_queued_fax(world):
    client = login(world.app, world.sender)
    response = post(client, world, ("letter.pdf", make_pdf(LETTER)), ("a4.pdf", make_pdf(A4, A4)),
                    remember_subject="on")
    assert response.status_code == 302 and "/fax/outbox" in response.headers["Location"]
    [job] = db.session.scalars(sa.select(FaxJob))
    assert (job.state, job.pages_total, job.destination, job.subject) == ("queued", 4, "15145550105", "Contrat")
    pages = read_tiff_pages(world.storage.local(job.tiff_path))
    assert len(pages) == 4
    assert {(p.width, p.x_dpi, p.y_dpi, p.compression) for p in pages} == {(1728, 204.0, 196.0, 4)}
    db.session.refresh(world.sender)
    assert world.sender.fax_subject == "Contrat" and world.sender.fax_company is None


def test_a_missing_cover_field_is_named_and_nothing_is_queued(world):
    client = login(world.app, world.sender)
    page = post(client, world, ("ok.pdf", make_pdf(LETTER)), to_company="", sender_number_id=str(world.phone_number.id))
    assert page.status_code == 400
    assert 'data-field="to_company"' in page.text and queued() == 0


def test_the_sender_fax_must_be_a_fax_number_of_the_account(world):
    client = login(world.app, world.sender)
    page = post(client, world, ("ok.pdf", make_pdf(LETTER)), sender_number_id=str(world.phone_number.id))
    assert page.status_code == 400 and "Choisissez un des numéros de fax du compte." in page.text.replace("&#39;", "'")
    assert queued() == 0


def test_without_the_fax_right_the_form_is_refused(world):
    colleague = make_user(world.account)
    client = login(world.app, colleague)
    assert client.get(f"/accounts/{world.account.id}/fax/send").status_code == 403
    assert post(client, world, ("ok.pdf", make_pdf(LETTER))).status_code == 403
    assert queued() == 0


def test_the_form_remembers_the_users_choices(world):
    world.sender.fax_subject, world.sender.fax_hide_sender_fax = "Factures", True
    db.session.commit()
    page = login(world.app, world.sender).get(f"/accounts/{world.account.id}/fax/send")
    assert page.status_code == 200 and 'value="Factures"' in page.text
    assert re.search(r'name="hide_sender_fax" value="on"\s+checked', page.text)


def test_each_file_is_checked_before_the_form_is_sent(world):
    client = login(world.app, world.sender)
    data = {"documents": [(io.BytesIO(make_pdf(LETTER, A4)), "bon.pdf"), (io.BytesIO(b"GIF89a"), "image.pdf")]}
    verdicts = client.post(f"/accounts/{world.account.id}/fax/documents/check", data=data,
                           content_type="multipart/form-data").get_json()
    assert verdicts[0] == {"filename": "bon.pdf", "ok": True, "pages": 2}
    assert (verdicts[1]["ok"], verdicts[1]["error_id"]) == (False, "pdf_not_pdf")
    assert verdicts[1]["message"].startswith("image.pdf")
    assert queued() == 0


def test_the_outbox_shows_progress_and_the_spandsp_reason_of_a_failed_fax(world):
    sending = world.submit()
    failed = world.submit()
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == sending.id).values(state="sending", pages_sent=1))
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == failed.id).values(
        state="failed", failure_class="negotiation", result_code=2,
        result_text="Timed out waiting for initial communication"))
    db.session.commit()
    client = login(world.app, world.sender)
    page = client.get(f"/accounts/{world.account.id}/fax/outbox").text
    row = page[page.index(f'id="job-{sending.id}"'):]
    assert "Envoi en cours" in row and "page 1 / 2" in row
    row = page[page.index(f'id="job-{failed.id}"'):page.index(f'id="job-{sending.id}"')]
    assert "Échec" in row and "Timed out waiting for initial communication" in row
    assert "Les télécopieurs n&#39;ont pas pu communiquer" in row or "Les télécopieurs n'ont pas pu communiquer" in row
    live = client.get(f"/accounts/{world.account.id}/fax/outbox/status?ids={sending.id}").get_json()
    assert [(r["id"], r["state"], r["pages_sent"], r["pages_total"]) for r in live] == [(sending.id, "sending", 1, 2)]


def test_send_again_queues_a_copy_and_the_pdf_can_be_downloaded(world):
    job = world.submit()
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id).values(state="failed"))
    db.session.commit()
    client = login(world.app, world.sender)
    response = client.post(f"/accounts/{world.account.id}/fax/outbox/{job.id}/resend")
    assert response.status_code == 302
    copy = db.session.scalar(sa.select(FaxJob).where(FaxJob.id != job.id))
    assert (copy.state, copy.pages_total, copy.ladder_rung) == ("queued", 2, 0) and copy.tiff_path != job.tiff_path
    pdf = client.get(f"/accounts/{world.account.id}/fax/outbox/{copy.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_a_user_sees_only_their_faxes_and_another_tenant_nothing(world):
    job = world.submit()
    colleague = make_user(world.account)
    colleague.can_fax = True
    db.session.commit()
    assert login(world.app, colleague).get(f"/accounts/{world.account.id}/fax/outbox/{job.id}/pdf").status_code == 404
    assert login(world.app, world.admin).get(f"/accounts/{world.account.id}/fax/outbox/{job.id}/pdf").status_code == 200
    _, stranger = make_account()
    assert login(world.app, stranger).get(f"/accounts/{world.account.id}/fax/outbox").status_code == 404


def test_the_admin_grants_the_fax_right_and_sets_the_recipients_but_not_the_operator_options(world):
    colleague = make_user(world.account)
    client = login(world.app, world.admin)
    page = client.get(f"/accounts/{world.account.id}/fax/settings")
    assert page.status_code == 200 and "Qui peut envoyer des télécopies" in page.text
    client.post(f"/accounts/{world.account.id}/fax/settings/rights", data={"can_fax": [str(colleague.id)]})
    db.session.expire_all()
    assert (colleague.can_fax, world.sender.can_fax) == (True, False)
    url = f"/accounts/{world.account.id}/fax/settings/numbers/{world.fax_number.id}"
    client.post(url, data={"fax_inbound_emails": "a@acme.test; b@acme.test"})
    db.session.expire_all()
    assert world.fax_number.fax_inbound_emails == "a@acme.test, b@acme.test"
    forged = client.post(url, data={"fax_inbound_emails": "c@acme.test", "fax_confirmation_email": ""})
    assert forged.status_code == 403
    assert "Envoyer un courriel de confirmation : Réservé à l&#39;opérateur" in forged.text
    db.session.expire_all()
    assert world.fax_number.fax_confirmation_email is True  # the operator's setting, untouched
    assert world.fax_number.fax_inbound_emails == "a@acme.test, b@acme.test"  # nothing of a refused form
    bad = client.post(url, data={"fax_inbound_emails": "pas-une-adresse"})
    assert bad.status_code == 400 and "Adresse courriel invalide : pas-une-adresse." in bad.text


def test_a_user_cannot_open_the_fax_settings(world):
    assert login(world.app, world.sender).get(f"/accounts/{world.account.id}/fax/settings").status_code == 403
