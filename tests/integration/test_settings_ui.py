"""The settings page (EXT-3, EXT-4): sections of the guide, admin-only section, no-JS forms,
errors beside their field with nothing stored, and saved = live on the next call."""
from __future__ import annotations

import lxml.html
import pytest

from fs_service.db import db
from fs_service.extensions import settings as core
from tests.factories import make_account, make_extension
from tests.integration.test_api_support import log_in
from tests.integration.test_settings_support import CALL_101, acme, actions, bridges  # noqa: F401

SECTIONS_FR = ["Langue par défaut", "Musique d'attente", "Durée de la sonnerie", "Ne pas déranger",
               "Renvoi d'appel", "Lorsque je suis déjà au téléphone", "Boîte vocale", "Find-me / follow-me",
               "Le renvoi d'appel doit être désactivé pour que le find-me/follow-me soit enclenché."]


def page_url(acme, number: str) -> str:
    return f"/accounts/{acme.account.id}/extensions/{acme.exts[number].id}/settings"


def form_of(html: str, **changes) -> dict[str, str]:
    """What a browser submits from the page's form, with ``changes`` typed in (None unticks)."""
    values = dict(lxml.html.fromstring(html).get_element_by_id("settings").form_values())
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return values


def submit(client, acme, number: str, **changes):
    html = client.get(page_url(acme, number)).text
    return client.post(page_url(acme, number), data=form_of(html, **changes))


def marked(html: str, kind: str, name: str) -> list[str]:
    """The messages the page shows beside input ``name`` (kind: "field" errors, "warning")."""
    return [p.text_content() for p in lxml.html.fromstring(html).xpath(f"//p[@data-{kind}='{name}']")]


def settings(ext) -> dict:
    db.session.expire_all()
    return core.read_settings(ext, as_admin=True)


@pytest.fixture
def admin(client, acme):
    log_in(client, acme.admin)
    return client


@pytest.fixture
def alice(client, acme):
    log_in(client, acme.alice)
    return client


def test_the_page_has_the_guides_sections_and_the_admin_section_for_admins(admin, acme):
    html = admin.get(page_url(acme, "101")).text
    assert all(section in html for section in SECTIONS_FR)
    assert "Paramètres d'administration" in html and 'name="recording"' in html
    assert '<option value="+15145550199"' in html and '<option value="102"' in html


def test_a_user_sees_their_settings_without_the_admin_section(alice, acme):
    html = alice.get(page_url(acme, "100")).text
    assert all(section in html for section in SECTIONS_FR)
    assert "Paramètres d'administration" not in html
    assert not any(f'name="{name}"' in html for name in core.ADMIN_ONLY_FIELDS)


def test_a_user_cannot_post_an_admin_only_setting(alice, acme):
    before = settings(acme.exts["100"])
    response = submit(alice, acme, "100", recording="all", ring_seconds="44")
    assert response.status_code == 403 and settings(acme.exts["100"]) == before
    assert "Ce paramètre est réservé aux administrateurs du compte." in response.text


def test_a_user_cannot_open_a_colleagues_or_another_tenants_settings(alice, acme):
    assert alice.get(page_url(acme, "101")).status_code == 403
    assert alice.post(page_url(acme, "101"), data={"dnd": "on"}).status_code == 403
    other, _ = make_account()
    foreign = make_extension(other, number="101")
    assert alice.get(f"/accounts/{other.id}/extensions/{foreign.id}/settings").status_code == 404
    assert settings(acme.exts["101"])["dnd"] is False


def test_a_user_saves_their_own_settings(alice, acme):
    response = submit(alice, acme, "100", ring_seconds="30", dnd="on", busy_behaviour="voicemail")
    assert response.status_code == 302
    saved = settings(acme.exts["100"])
    assert (saved["ring_seconds"], saved["dnd"], saved["busy_behaviour"]) == (30, True, "voicemail")
    assert "Paramètres du poste 100 sauvegardés." in alice.get(response.headers["Location"]).text


def test_unticked_boxes_are_saved_as_off_without_javascript(admin, acme):
    submit(admin, acme, "101", dnd="on", uc_enabled="on")
    submit(admin, acme, "101", dnd=None, uc_enabled=None)
    saved = settings(acme.exts["101"])
    assert saved["dnd"] is False and saved["uc_enabled"] is False


def test_forward_to_a_chosen_extension_is_live_on_the_next_call(admin, client, acme):
    response = submit(admin, acme, "101", forward_enabled="on", forward_rule="always", forward_kind="extension",
                      forward_extension="102")
    assert response.status_code == 302
    assert ("transfer", "102 XML acme.test") in actions(client, CALL_101)


def test_follow_me_through_the_page_is_live_on_the_next_call(admin, client, acme):
    submit(admin, acme, "101", fmfm_enabled="on", fmfm_number="(514) 555-7777", fmfm_ring_seconds="12")
    found = actions(client, CALL_101)
    assert ("set", "call_timeout=12") in found and bridges(found)[1].endswith("sofia/gateway/carrier/15145557777")


@pytest.mark.parametrize("changes, field, message", [
    ({"ring_seconds": "999"}, "ring_seconds", "Doit être entre 0 et 300."),
    ({"forward_enabled": "on", "forward_kind": "external", "forward_external": "911"}, "forward_destination",
     "Les numéros d'urgence et de services ne peuvent pas recevoir d'appels renvoyés."),
    ({"forward_enabled": "on", "forward_kind": "extension", "forward_extension": ""}, "forward_destination",
     "Requis lorsque le renvoi d'appel est activé."),
    ({"long_distance": "code", "long_distance_code": ""}, "long_distance_code",
     "Requis lorsque les appels demandent un code d'accès."),
    ({"outbound_caller_id_name": "Ventes"}, "outbound_caller_id_number",
     "Entrez le nom et le numéro d'appelant externe, ou aucun des deux."),
])
def test_a_refused_field_is_a_400_with_the_message_beside_it_and_nothing_stored(admin, acme, changes, field, message):
    before = settings(acme.exts["101"])
    response = submit(admin, acme, "101", language="en", **changes)
    assert response.status_code == 400
    assert marked(response.text, "field", field) == [message]
    assert settings(acme.exts["101"]) == before
    page = lxml.html.fromstring(response.text)
    assert page.get_element_by_id("f-language").value == "en"  # what was typed is kept


def test_accents_in_the_caller_id_name_are_saved_with_a_warning_beside_the_field(admin, acme):
    response = submit(admin, acme, "101", outbound_caller_id_name="Société", outbound_caller_id_number="+15145550100")
    page = admin.get(response.headers["Location"]).text
    assert settings(acme.exts["101"])["outbound_caller_id_name"] == "Société"
    assert marked(page, "warning", "outbound_caller_id_name")[0].startswith("Le nom d'appelant externe contient des accents")


def test_follow_me_while_forwarding_shows_the_fwd3_warning(admin, acme):
    submit(admin, acme, "101", forward_enabled="on", forward_rule="always", forward_kind="extension",
           forward_extension="102", fmfm_enabled="on", fmfm_number="5145557777")
    html = admin.get(page_url(acme, "101")).text
    assert marked(html, "warning", "fmfm_enabled") == [
        "Le find-me/follow-me n'est pas utilisé tant que le renvoi d'appel est activé."]


def test_the_page_is_in_english_on_request(admin, acme):
    admin.get("/lang/en")
    html = admin.get(page_url(acme, "101")).text
    assert "Default language" in html and "Administration settings" in html
    response = submit(admin, acme, "101", ring_seconds="999")
    assert marked(response.text, "field", "ring_seconds") == ["Must be from 0 to 300."]


def test_the_extension_page_links_to_its_settings(admin, acme):
    html = admin.get(f"/accounts/{acme.account.id}/extensions/{acme.exts['101'].id}").text
    assert f'href="{page_url(acme, "101")}"' in html


def test_the_form_is_refused_without_its_csrf_token(make_app):
    app = make_app(csrf=True)
    with app.app_context():
        account, admin = make_account()
        ext = make_extension(account, number="101")
        client = app.test_client()
        log_in(client, admin)
        url = f"/accounts/{account.id}/extensions/{ext.id}/settings"
        assert 'name="csrf_token"' in client.get(url).text
        assert client.post(url, data={"ring_seconds": "40"}).status_code == 400
        assert settings(ext)["ring_seconds"] == 20
