"""Uploading, playing and deleting a number's closure message and a welcome menu's greeting, in the
UI and the API (HRS-4, guide 1.2): WAV checked by content, stored where FreeSWITCH plays it,
served only to the account's admins, bad files a 400 naming the field that change nothing."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from fs_service import sound_files
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.models import PhoneNumber, WelcomeMenu
from fs_service.numbers import menus, rules as numbers, treatments
from tests.fakes.voicemail_world import vm_app  # noqa: F401 (fixture)
from tests.integration.test_api_support import API, assert_error, bearer, log_in
from tests.integration.test_ui_numbers import site  # noqa: F401 (fixture)
from tests.unit.test_audio_files import wav, with_format_tag


@pytest.fixture
def app(vm_app):
    """The shared fixtures (accounts, numbers, calls) on an app whose storage folder is the test's."""
    return vm_app


@pytest.fixture
def storage(app) -> Path:
    return Path(app.config["PBX"].voicemail_storage)


@pytest.fixture
def menu(site):
    found = menus.create_menu(site.account, name="Accueil", language="fr")
    db.session.commit()
    return found


def files(data: bytes, name: str = "message.wav") -> dict:
    return {"file": (io.BytesIO(data), name)}


def closure_api(site, tail: str = "/audio", number=None) -> str:
    return f"{API}/accounts/{site.account.id}/numbers/{(number or site.number).id}/closure-message{tail}"


def greeting_api(site, menu) -> str:
    return f"{API}/accounts/{site.account.id}/menus/{menu.id}/greeting"


def path_of(number) -> str | None:
    db.session.expire_all()
    return db.session.get(PhoneNumber, number.id).closure_message_path


def stored_files(storage: Path) -> list[Path]:
    return sorted(storage.rglob("*.wav"))


# -- API: closure message ----------------------------------------------------------------------
def test_api_uploads_plays_and_deletes_the_closure_message(client, site, storage):
    headers = bearer(site.admin)
    data = wav(2.0)
    uploaded = client.put(closure_api(site), data=files(data, "anything.bin"), headers=headers)
    assert uploaded.status_code == 200, uploaded.get_json()
    path = uploaded.get_json()["closure_message_path"]
    assert path.startswith(str(storage)) and f"/a.example.com/number-{site.number.id}/closure-" in path
    assert Path(path).read_bytes() == data and sound_files.sound_problem("a.example.com", path) is None
    played = client.get(closure_api(site), headers=headers)
    assert (played.status_code, played.mimetype, played.data) == (200, "audio/wav", data)
    assert played.headers["Cache-Control"] == "private, no-cache"
    part = client.get(closure_api(site), headers={**headers, "Range": "bytes=0-3"})
    assert (part.status_code, part.data) == (206, b"RIFF")
    assert client.delete(closure_api(site, ""), headers=headers).status_code == 204
    assert path_of(site.number) is None and stored_files(storage) == []
    assert client.get(closure_api(site), headers=headers).status_code == 404


def test_a_new_upload_replaces_the_old_file(client, site, storage):
    headers = bearer(site.admin)
    first = client.put(closure_api(site), data=files(wav(1.0)), headers=headers).get_json()["closure_message_path"]
    second = client.put(closure_api(site), data=files(wav(2.0, 16000, 2)), headers=headers).get_json()
    assert stored_files(storage) == [Path(second["closure_message_path"])] and not Path(first).exists()


BAD_FILES = {
    "not a WAV": files(b"%PDF-1.4 not audio", "message.wav"),
    "compressed": files(with_format_tag(wav(), 6)),
    "44.1 kHz": files(wav(0.2, 44100)),
    "empty": files(b""),
    "no file part": {},
    "a text field instead of a file": {"file": "hello"},
}


@pytest.mark.parametrize("form", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_uploads_are_400_naming_the_file_and_change_nothing(client, site, storage, form):
    headers = bearer(site.admin)
    numbers.set_closure_message(site.account, site.number, "pbx/office-closed.wav")
    db.session.commit()
    response = client.put(closure_api(site), data=form, headers=headers)
    assert response.status_code == 400 and "file" in response.get_json()["details"], response.get_json()
    assert path_of(site.number) == "pbx/office-closed.wav" and stored_files(storage) == []


def test_a_file_over_the_limit_is_refused_before_the_content_is_read(client, site, storage, monkeypatch):
    import schema.sound_uploads as schema
    monkeypatch.setattr(schema, "MAX_UPLOAD_BYTES", 1000)
    body = assert_error(client.put(closure_api(site), data=files(wav(1.0)), headers=bearer(site.admin)), 400,
                        "validation_error", "file")
    assert "larger than" in body["details"]["file"][0] and stored_files(storage) == []


def test_a_shared_sound_path_is_not_served_and_not_deleted(client, site, tmp_path):
    headers = bearer(site.admin)
    client.put(closure_api(site, ""), json={"closure_message_path": "pbx/office-closed.wav"}, headers=headers)
    assert client.get(closure_api(site), headers=headers).status_code == 404
    assert client.delete(closure_api(site, ""), headers=headers).status_code == 204


def test_other_tenants_and_plain_users_never_reach_the_files(client, site, storage):
    client.put(closure_api(site), data=files(wav()), headers=bearer(site.admin))
    mine = path_of(site.number)
    stranger = bearer(site.other_admin)
    assert client.get(closure_api(site), headers=stranger).status_code == 404
    assert client.put(closure_api(site), data=files(wav()), headers=stranger).status_code == 404
    assert client.delete(closure_api(site, ""), headers=stranger).status_code == 404
    assert client.get(closure_api(site), headers=bearer(site.user)).status_code == 403
    # another tenant cannot point its own number (or menu) at this file to hear it
    foreign = f"{API}/accounts/{site.other.id}/numbers/{site.foreign.id}/closure-message"
    assert_error(client.put(foreign, json={"closure_message_path": mine}, headers=stranger), 400,
                 "validation_error", "closure_message_path")
    assert path_of(site.number) == mine and Path(mine).is_file()


def test_a_message_treatment_cannot_play_another_tenants_file(client, site, storage):
    client.put(closure_api(site), data=files(wav()), headers=bearer(site.admin))
    mine = path_of(site.number)
    with pytest.raises(ValidationFailed) as refused:
        treatments.create_treatment(site.other, kind="message", message_path=mine)
    assert "message_path" in str(refused.value.details)
    assert treatments.create_treatment(site.account, kind="message", message_path=mine).message_path == mine


# -- API: menu greeting --------------------------------------------------------------------------
def test_api_uploads_plays_and_deletes_a_menu_greeting(client, site, menu, storage):
    headers = bearer(site.admin)
    data = wav(3.0, 16000)
    uploaded = client.put(greeting_api(site, menu), data=files(data), headers=headers)
    assert uploaded.status_code == 200, uploaded.get_json()
    path = uploaded.get_json()["greeting_path"]
    assert f"/a.example.com/menu-{menu.id}/greeting-" in path and Path(path).read_bytes() == data
    assert client.get(greeting_api(site, menu), headers=headers).data == data
    assert client.delete(greeting_api(site, menu), headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(WelcomeMenu, menu.id).greeting_path is None and stored_files(storage) == []
    assert client.get(greeting_api(site, menu), headers=headers).status_code == 404


def test_a_bad_greeting_is_400_and_another_tenant_gets_404(client, site, menu, storage):
    assert_error(client.put(greeting_api(site, menu), data=files(b"RIFFxxxxWAVE"), headers=bearer(site.admin)),
                 400, "invalid_audio", "file")
    assert client.put(greeting_api(site, menu), data=files(wav()), headers=bearer(site.other_admin)).status_code == 404
    assert stored_files(storage) == []


def test_deleting_a_menu_deletes_its_uploaded_greeting(client, site, menu, storage):
    headers = bearer(site.admin)
    client.put(greeting_api(site, menu), data=files(wav()), headers=headers)
    assert client.delete(f"{API}/accounts/{site.account.id}/menus/{menu.id}", headers=headers).status_code == 204
    assert stored_files(storage) == []


def test_the_openapi_document_describes_the_uploads(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    upload = spec["paths"]["/api/v1/accounts/{account_id}/numbers/{number_id}/closure-message/audio"]["put"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    greeting = spec["paths"]["/api/v1/accounts/{account_id}/menus/{menu_id}/greeting"]
    assert {"put", "get", "delete"} <= set(greeting)
    assert "audio/wav" in greeting["get"]["responses"]["200"]["content"]


# -- UI ------------------------------------------------------------------------------------------
def ui_number(site, tail: str = "") -> str:
    return f"/accounts/{site.account.id}/numbers/{site.number.id}{tail}"


def test_ui_uploads_plays_and_deletes_the_closure_message(client, site, storage):
    log_in(client, site.admin)
    assert 'id="closure-player"' not in client.get(ui_number(site)).text
    sent = client.post(ui_number(site, "/closure/upload"), data=files(wav()), content_type="multipart/form-data")
    assert sent.status_code == 302
    page = client.get(ui_number(site)).text
    assert f'src="{ui_number(site, "/closure/audio")}"' in page and "<audio" in page
    assert client.get(ui_number(site, "/closure/audio")).mimetype == "audio/wav"
    assert client.post(ui_number(site, "/closure/delete")).status_code == 302
    assert path_of(site.number) is None and stored_files(storage) == []


def test_ui_refuses_a_bad_file_beside_the_upload_field_in_french(client, site, storage):
    log_in(client, site.admin)
    sent = client.post(ui_number(site, "/closure/upload"), data=files(wav(0.2, 44100)),
                       content_type="multipart/form-data")
    assert sent.status_code == 400
    assert 'data-field="closure_file">L’audio doit être échantillonné à 8 kHz ou 16 kHz.' in sent.text
    assert stored_files(storage) == [] and path_of(site.number) is None


def test_ui_audio_is_admin_only_and_per_tenant(client, site):
    client.put(closure_api(site), data=files(wav()), headers=bearer(site.admin))
    log_in(client, site.other_admin)
    assert client.get(ui_number(site, "/closure/audio")).status_code == 404
    log_in(client, site.user)
    assert client.get(ui_number(site, "/closure/audio")).status_code == 403


def test_ui_menu_greeting_upload_play_delete(client, site, menu, storage):
    log_in(client, site.admin)
    base = f"/accounts/{site.account.id}/menus/{menu.id}"
    assert 'id="greeting-upload"' in client.get(f"{base}/edit").text
    sent = client.post(f"{base}/greeting", data=files(wav()), content_type="multipart/form-data")
    assert sent.status_code == 302
    page = client.get(f"{base}/edit").text
    assert f'src="{base}/greeting/audio"' in page
    assert client.get(f"{base}/greeting/audio").status_code == 200
    refused = client.post(f"{base}/greeting", data=files(b"hello"), content_type="multipart/form-data")
    assert refused.status_code == 400 and 'data-field="greeting_file"' in refused.text
    assert client.post(f"{base}/greeting/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(WelcomeMenu, menu.id).greeting_path is None and stored_files(storage) == []
