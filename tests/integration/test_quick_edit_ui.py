"""The quick edit page (EXT-5): one table, every column of the spec, one Save, all or nothing."""
from __future__ import annotations

import lxml.html
import pytest

from fs_service.db import db
from fs_service.extensions import settings as core
from tests.integration.test_api_support import log_in
from tests.integration.test_settings_support import CALL_101, acme, actions  # noqa: F401

COLUMNS_FR = ["Numéro", "Nom", "Identification de l'appelant", "Langue", "Musique d'attente",
              "Faire sonner pendant", "Enregistrement", "Dnd", "Boîte vocale", "Find-me / follow-me",
              "Renvoi d'appel", "Interurbain", "Internationaux", "UC"]


def url(acme) -> str:
    return f"/accounts/{acme.account.id}/extensions/quick-edit"


def table_form(html: str, changes: dict[str, str | None]) -> dict[str, list[str]]:
    """What the browser submits: every row's inputs, with ``changes`` typed in (None unticks)."""
    form = lxml.html.fromstring(html).forms[-1]
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = [value]
    return values


def cell(acme, number: str, field: str) -> str:
    return f"{acme.exts[number].id}.{field}"


def stored(acme) -> dict[str, dict]:
    db.session.expire_all()
    return {n: core.read_settings(ext, as_admin=True) for n, ext in acme.exts.items()}


@pytest.fixture
def admin(client, acme):
    log_in(client, acme.admin)
    return client


def test_the_table_has_every_column_of_the_spec_and_one_row_per_extension(admin, acme):
    html = admin.get(url(acme)).text
    page = lxml.html.fromstring(html)
    headers = [th.text_content() for th in page.xpath("//table[@id='quick-edit']/thead/tr[2]/th")]
    assert headers == COLUMNS_FR
    assert page.xpath("//table[@id='quick-edit']/tbody/tr/@data-number") == ["100", "101", "102", "105"]
    assert f'name="{cell(acme, "101", "fmfm_ring_seconds")}"' in html


def test_all_rows_are_saved_with_one_save(admin, client, acme):
    html = admin.get(url(acme)).text
    changes = {cell(acme, "101", "ring_seconds"): "33", cell(acme, "102", "dnd"): "on",
               cell(acme, "105", "language"): "en", cell(acme, "100", "recording"): "all",
               cell(acme, "101", "forward_mode"): "no_answer", cell(acme, "101", "forward_destination"): "102"}
    response = admin.post(url(acme), data=table_form(html, changes))
    assert response.status_code == 302
    after = stored(acme)
    assert (after["101"]["ring_seconds"], after["102"]["dnd"], after["105"]["language"], after["100"]["recording"]) \
        == (33, True, "en", "all")
    assert "4 postes sauvegardés." in admin.get(response.headers["Location"]).text
    assert ("transfer", "102 XML acme.test") in actions(client, CALL_101)


def test_unticking_a_box_in_the_table_turns_the_setting_off(admin, acme):
    admin.post(url(acme), data=table_form(admin.get(url(acme)).text, {cell(acme, "102", "dnd"): "on"}))
    admin.post(url(acme), data=table_form(admin.get(url(acme)).text, {cell(acme, "102", "dnd"): None}))
    assert stored(acme)["102"]["dnd"] is False


def test_one_bad_cell_saves_nothing_and_the_page_shows_which_cell(admin, acme):
    before = stored(acme)
    bad = cell(acme, "102", "ring_seconds")
    changes = {cell(acme, "101", "ring_seconds"): "33", bad: "999"}
    response = admin.post(url(acme), data=table_form(admin.get(url(acme)).text, changes))
    assert response.status_code == 400 and stored(acme) == before
    page = lxml.html.fromstring(response.text)
    assert page.xpath("//td[contains(@class, 'has-error')]/@data-error-cell") == [bad]
    assert [p.text_content() for p in page.xpath(f"//p[@data-field='{bad}']")] == ["Doit être entre 0 et 300."]
    summary = page.xpath(f"//div[@id='quick-edit-errors']//li[@data-cell='{bad}']")[0].text_content()
    assert summary.startswith("Poste 102 — Faire sonner pendant")
    assert page.xpath(f"//input[@name='{cell(acme, '101', 'ring_seconds')}']/@value") == ["33"]  # as typed


def test_a_cell_refused_by_a_rule_is_marked_too(admin, acme):
    bad = cell(acme, "105", "forward_destination")
    changes = {cell(acme, "105", "forward_mode"): "always", bad: "105"}
    response = admin.post(url(acme), data=table_form(admin.get(url(acme)).text, changes))
    page = lxml.html.fromstring(response.text)
    assert response.status_code == 400
    assert [p.text_content() for p in page.xpath(f"//p[@data-field='{bad}']")] == [
        "Un poste ne peut pas se renvoyer vers lui-même."]
    assert stored(acme)["105"]["forward_mode"] == "off"


def test_quick_edit_is_for_admins_only(client, acme):
    log_in(client, acme.alice)
    assert client.get(url(acme)).status_code == 403
    own = cell(acme, "100", "dnd")
    assert client.post(url(acme), data={"row": [str(acme.exts["100"].id)], own: "on"}).status_code == 403
    assert stored(acme)["100"]["dnd"] is False


def test_the_extension_list_links_to_quick_edit_for_admins(admin, acme):
    assert f'href="{url(acme)}"' in admin.get(f"/accounts/{acme.account.id}/extensions").text
