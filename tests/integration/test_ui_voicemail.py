"""Mailbox pages (VM-3..5, guide 3): list with "N messages / max", create, edit, empty, delete,
bad input, roles and tenants. Pages are French by default (the guide's wording)."""
from __future__ import annotations

import pytest

from fs_service import voicemail
from fs_service.db import db
from fs_service.models import Extension, Mailbox, Treatment
from tests.integration.test_api_support import count, log_in
from tests.integration.test_api_voicemail_support import (add_greeting, add_message, app, box_numbers,  # noqa: F401
                                                          box_state, file_of, greetings_of, lamps, messages_of, site)

FORM = {"number": "3100", "name": "Salle de conférence", "pin": "2468", "max_message_seconds": "180",
        "max_messages": "100", "email": "", "key0_treatment_id": "", "star_treatment_id": ""}


def _url(site, tail: str = "") -> str:
    return f"/accounts/{site.account.id}/voicemail{tail}"


def _as(client, user):
    log_in(client, user)
    return client


def test_the_list_shows_each_box_with_n_messages_over_the_maximum(client, site):
    add_message(site.general)
    add_message(site.general, folder="saved")
    voicemail.update_mailbox(site.account, site.own, {"email": "uma@example.com", "email_only": True})
    db.session.commit()
    page = _as(client, site.admin).get(_url(site)).text
    assert "Boîtes vocales" in page and 'data-number="201"' in page and 'data-number="3000"' in page
    row_3000 = page[page.index('data-number="3000"'):]
    assert "Boîte vocale générale" in row_3000 and "Indépendante" in row_3000
    assert "(2 messages / 100)" in row_3000 and "1 nouveau" in row_3000
    row_201 = page[page.index('data-number="201"'):page.index('data-number="202"')]
    assert "(0 message / 100)" in row_201 and "Poste 201" in row_201
    assert "uma@example.com" in row_201 and "Courriel seulement" in row_201
    assert "Courriel seulement" not in row_3000


def test_admin_adds_a_general_mailbox_with_the_guides_defaults(client, site):
    admin = _as(client, site.admin)
    form = admin.get(_url(site, "/new")).text
    assert "Ajouter une boîte vocale" in form and 'value="180"' in form and 'value="100"' in form
    assert "Par défaut : la réception" in form and "Par défaut : l&#39;accès à la boîte vocale" in form
    response = admin.post(_url(site, "/new"), data=FORM, follow_redirects=True)
    assert response.status_code == 200 and "Boîte vocale 3100 créée." in response.text
    box = voicemail.find_mailbox(site.account, "3100")
    assert (box.name, box.pin, box.max_message_seconds, box.max_messages, box.extension_id) == \
        ("Salle de conférence", "2468", 180, 100, None)
    assert (box.email, box.email_only, box.key0_treatment_id, box.star_treatment_id) == (None, False, None, None)


def test_a_blank_password_at_creation_gets_six_random_digits(client, site):
    _as(client, site.admin).post(_url(site, "/new"), data={**FORM, "pin": ""})
    pin = voicemail.find_mailbox(site.account, "3100").pin
    assert pin.isdigit() and len(pin) == 6


def test_do_not_store_without_an_email_is_refused_with_a_clear_message(client, site):
    response = _as(client, site.admin).post(_url(site, "/new"), data={**FORM, "email_only": "on"})
    assert response.status_code == 400
    assert 'data-field="email_only">Une adresse courriel est requise' in response.text
    assert 'name="email_only" value="on" checked' in response.text  # shown again as typed
    assert "3100" not in box_numbers(site.account)


BAD_FIELDS = [
    ("number", ""), ("number", "30a0"), ("number", "8500"), ("number", "911"), ("number", "201"),
    ("number", "3000"), ("number", "0123"), ("name", "x" * 81), ("name", "${x}"), ("pin", "12"),
    ("pin", "12ab"), ("max_message_seconds", ""), ("max_message_seconds", "5"), ("max_message_seconds", "abc"),
    ("max_messages", "0"), ("max_messages", "101"), ("max_messages", ""), ("email", "nope"),
    ("key0_treatment_id", "999999"), ("star_treatment_id", "x"),
]


@pytest.mark.parametrize("field, value", BAD_FIELDS)
def test_bad_input_is_400_beside_its_field_and_nothing_is_stored(client, site, field, value):
    before = count(Mailbox)
    response = _as(client, site.admin).post(_url(site, "/new"), data={**FORM, field: value})
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.text
    assert count(Mailbox) == before


def test_a_reserved_number_says_why_in_french_and_english(client, site):
    admin = _as(client, site.admin)
    response = admin.post(_url(site, "/new"), data={**FORM, "number": "8500"})
    assert "Numéro de boîte vocale invalide : le 8500 est réservé (accès à la boîte vocale)." in response.text
    admin.get("/lang/en")
    response = admin.post(_url(site, "/new"), data={**FORM, "number": "3000"})
    assert 'data-field="number">3000 is already used.' in response.text


def test_admin_edits_every_field_of_a_box(client, site):
    treatment = Treatment(account_id=site.account.id, kind="voicemail_login")
    db.session.add(treatment)
    db.session.commit()
    admin = _as(client, site.admin)
    page = admin.get(_url(site, f"/{site.general.id}/edit")).text
    assert "Modifier la boîte vocale #3000" in page and 'value="4321"' in page
    assert f'<option value="{treatment.id}" >Accès à la boîte vocale</option>' in page.replace("  ", " ")
    data = {"name": "Test", "pin": "1234", "max_message_seconds": "60", "max_messages": "20",
            "email": "general@example.com", "email_only": "on", "key0_treatment_id": str(treatment.id),
            "star_treatment_id": ""}
    response = admin.post(_url(site, f"/{site.general.id}/edit"), data=data, follow_redirects=True)
    assert "Boîte vocale 3000 sauvegardée." in response.text
    assert box_state(site.general.id) == ("3000", "Test", "1234", 60, 20, "general@example.com", True,
                                          treatment.id, None, None)


@pytest.mark.parametrize("field, value", [("pin", "1"), ("max_messages", "200"), ("email", "x@"),
                                          ("name", "a\tb"), ("key0_treatment_id", "999999")])
def test_a_refused_edit_is_400_and_changes_nothing(client, site, field, value):
    before = box_state(site.general.id)
    data = {"name": "Changed", "pin": "1111", "max_message_seconds": "100", "max_messages": "50", "email": "",
            "key0_treatment_id": "", "star_treatment_id": "", field: value}
    response = _as(client, site.admin).post(_url(site, f"/{site.general.id}/edit"), data=data)
    assert response.status_code == 400 and f'data-field="{field}"' in response.text
    assert 'value="Changed"' in response.text or field == "name"
    assert box_state(site.general.id) == before


def test_emptying_keeps_the_greetings_unless_asked_and_turns_the_lamp_off(client, site, lamps):
    message = add_message(site.own)
    greeting = add_greeting(site.own, "unavailable")
    admin = _as(client, site.admin)
    confirm = admin.get(_url(site, f"/{site.own.id}/empty")).text
    assert "Voulez-vous aussi effacer vos messages d'accueil personnalisés?" in confirm
    assert "(1 message / 100)" in confirm
    response = admin.post(_url(site, f"/{site.own.id}/empty"), data={}, follow_redirects=True)
    assert "Boîte vocale 201 vidée : 1 message supprimé." in response.text
    assert messages_of(site.own) == [] and not file_of(message.audio_path).exists()
    assert greetings_of(site.own) == {"unavailable": greeting}
    assert lamps[-1] == {"MWI-Messages-Waiting": "no", "MWI-Message-Account": "sip:201@a.example.com",
                         "MWI-Voice-Message": "0/0 (0/0)"}


def test_emptying_with_also_delete_greetings_removes_messages_greetings_and_lamp(client, site, lamps):
    add_message(site.own)
    add_message(site.own)
    greetings = [add_greeting(site.own, kind) for kind in ("temporary", "name")]
    response = _as(client, site.admin).post(_url(site, f"/{site.own.id}/empty"),
                                            data={"delete_greetings": "on"}, follow_redirects=True)
    assert "2 messages supprimés." in response.text and "ont aussi été effacés" in response.text
    assert messages_of(site.own) == [] and greetings_of(site.own) == {}
    assert not any(file_of(path).exists() for path in greetings)
    assert lamps[-1]["MWI-Messages-Waiting"] == "no"


def test_admin_deletes_a_standalone_box_after_confirming(client, site):
    recording = file_of(add_message(site.general).audio_path)
    admin = _as(client, site.admin)
    confirm = admin.get(_url(site, f"/{site.general.id}/delete")).text
    assert "Voulez-vous vraiment supprimer la boîte vocale 3000?" in confirm
    response = admin.post(_url(site, f"/{site.general.id}/delete"), follow_redirects=True)
    assert "Boîte vocale 3000 supprimée." in response.text
    assert "3000" not in box_numbers(site.account) and not recording.exists()


def test_an_extensions_box_can_be_deleted_with_a_warning_and_created_again_from_the_extension(client, site):
    admin = _as(client, site.admin)
    ext_id = site.colleague.extension_id
    confirm = admin.get(_url(site, f"/{site.colleague.id}/delete")).text
    assert "Les appels au poste 202 n'iront plus dans une boîte vocale" in confirm
    admin.post(_url(site, f"/{site.colleague.id}/delete"))
    assert "202" not in box_numbers(site.account) and db.session.get(Extension, ext_id) is not None
    detail = admin.get(f"/accounts/{site.account.id}/extensions/{ext_id}").text
    assert "Créer sa boîte vocale" in detail
    form = admin.get(_url(site, f"/new?extension_id={ext_id}")).text
    assert "Boîte vocale du poste 202" in form
    data = {**FORM, "number": "202", "extension_id": str(ext_id)}
    assert admin.post(_url(site, "/new"), data=data).status_code == 302
    assert voicemail.find_mailbox(site.account, "202").extension_id == ext_id
    again = admin.post(_url(site, "/new"), data=data)
    assert again.status_code == 400 and 'data-field="extension_id"' in again.text


def test_the_extension_page_links_to_its_mailbox(client, site):
    page = _as(client, site.user).get(f"/accounts/{site.account.id}/extensions/{site.own.extension_id}").text
    assert "Messages de la boîte vocale 201" in page
    assert f'href="/accounts/{site.account.id}/voicemail/{site.own.id}"' in page
