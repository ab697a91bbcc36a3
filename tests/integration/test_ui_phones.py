"""Phone pages (guide 12, 14, 7.5): add by MAC, model and line keys, the display list with
positions, ▲ ▼ and favourites, copy with confirmation, reboot; users see their phones only."""
from __future__ import annotations

from fs_service.db import db
from fs_service.models import Device
from fs_service.phones import display, rules
from tests.integration.test_api_support import log_in
from tests.integration.test_phones_api import site  # noqa: F401


def _as(client, user):
    log_in(client, user)
    return client


def _entries(device):
    db.session.expire_all()
    return [(e.kind, e.ref, e.favourite, e.position) for e in display.entries_of(device)]


def test_admin_adds_a_phone_chooses_its_model_and_assigns_two_extensions(client, site):
    admin = _as(client, site.admin)
    refused = admin.post(f"/accounts/{site.account.id}/phones", data={"mac": "00:15:65:zz", "name": "Desk"})
    assert refused.status_code == 400 and 'data-field="mac"' in refused.text
    added = admin.post(f"/accounts/{site.account.id}/phones", data={"mac": "00-15-65-AA-BB-CC", "name": "Desk"})
    device = db.session.query(Device).one()
    assert added.status_code == 302 and device.mac == "001565aabbcc"
    url = f"/accounts/{site.account.id}/phones/{device.id}"
    assert admin.post(f"{url}/settings", data={"name": "Desk", "model": "yealink_t46u",
                                               "timezone": "America/Halifax"}).status_code == 302
    assert admin.post(f"{url}/lines", data={"extension_id": site.ext["101"].id, "line_key": "1"}).status_code == 302
    taken = admin.post(f"{url}/lines", data={"extension_id": site.ext["102"].id, "line_key": "1"})
    assert taken.status_code == 400 and 'data-field="line_key"' in taken.text
    page = admin.get(url).text
    assert "Yealink T46U" in page and "/provisioning/" in page and 'data-key="1"' in page
    assert "Téléphones" in admin.get(f"/accounts/{site.account.id}/phones").text


def test_the_display_list_is_ordered_with_arrows_and_saved(client, site):
    device = rules.add_phone(site.account, mac="001565aabbcc", name="Desk", model="yealink_t46u")
    rules.assign(site.account, device, site.ext["101"].id, 1)
    db.session.commit()
    admin = _as(client, site.admin)
    url = f"/accounts/{site.account.id}/phones/{device.id}/display"
    for number in ("103", "104", "105"):
        assert admin.post(f"{url}/add", data={"kind": "extension", "ref": site.ext[number].id}).status_code == 302
    ids = [site.ext[n].id for n in ("103", "104", "105")]
    form = {"count": "3", "configure_books": "on"}
    for i, ext_id in enumerate(ids):
        form.update({f"kind-{i}": "extension", f"ref-{i}": str(ext_id), f"position-{i}": str(i + 1), f"favourite-{i}": "on"})
    assert admin.post(url, data={**form, "action": "move-2:up"}).status_code == 302
    assert _entries(device) == [("extension", ids[0], True, 1), ("extension", ids[2], True, 2),
                                ("extension", ids[1], True, 3)]
    clash = admin.post(url, data={**form, "position-1": "1", "action": "save"})
    assert clash.status_code == 400 and 'data-field="entries.1.position"' in clash.text
    page = admin.get(url).text
    assert "Configurer les carnets d&#39;adresses sur le téléphone" in page or "Configurer les carnets" in page


def test_copy_needs_confirmation(client, site):
    source = rules.add_phone(site.account, mac="001565aabbcc", name="A", model="yealink_t46u")
    target = rules.add_phone(site.account, mac="001565aabbcd", name="B", model="yealink_t46u")
    display.set_display(site.admin, site.account, source, [display.Entry("company", None, False, 1)])
    db.session.commit()
    admin = _as(client, site.admin)
    url = f"/accounts/{site.account.id}/phones/{source.id}/display/copy"
    assert admin.post(url, data={"targets": str(target.id)}).status_code == 400
    assert _entries(target) == []
    assert admin.post(url, data={"targets": str(target.id), "confirm": "on"}).status_code == 302
    assert _entries(target) == [("company", None, False, 1)]


def test_a_user_sees_and_reboots_only_the_phones_of_their_extensions(client, site):
    mine = rules.add_phone(site.account, mac="001565aabbcc", name="Mine", model="yealink_t46u")
    theirs = rules.add_phone(site.account, mac="001565aabbcd", name="Theirs", model="yealink_t46u")
    rules.assign(site.account, mine, site.ext["101"].id, 1)
    db.session.commit()
    user = _as(client, site.user)
    listing = user.get(f"/accounts/{site.account.id}/phones").text
    assert "Mine" in listing and "Theirs" not in listing
    assert user.get(f"/accounts/{site.account.id}/phones/{theirs.id}").status_code == 404
    page = user.get(f"/accounts/{site.account.id}/phones/{mine.id}").text
    assert "/provisioning/" not in page
    assert user.post(f"/accounts/{site.account.id}/phones/{mine.id}/reboot").status_code == 302
    assert user.post(f"/accounts/{site.account.id}/phones/{mine.id}/settings", data={"name": "x"}).status_code == 403


def test_errors_beside_the_fields_are_in_french(client, site):
    admin = _as(client, site.admin)
    refused = admin.post(f"/accounts/{site.account.id}/phones", data={"mac": "00:15:65", "name": "Desk"})
    assert "12 chiffres hexadécimaux" in refused.text
    rules.add_phone(site.account, mac="001565aabbcc", name="Desk", model="yealink_t46u")
    db.session.commit()
    again = admin.post(f"/accounts/{site.account.id}/phones", data={"mac": "00:15:65:aa:bb:cc", "name": "Desk"})
    assert again.status_code == 400 and "Ce téléphone est déjà enregistré." in again.text
