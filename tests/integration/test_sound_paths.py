"""Which sounds an account may play (issue 14.5, fs_service.sound_files): its own uploads and the
shipped prompts only. Anything else is a 400 naming the field that changes nothing, through the
API and the forms; a row saved before the rule is skipped at call time, never played; MP3 is
refused (the switch has no mod_shout) with a message in French and English."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from fs_service import call_versions, sound_files
from fs_service.audio_files import MP3_REFUSED
from fs_service.audio_storage import current_storage
from fs_service.db import db
from fs_service.models import PhoneNumber, Treatment, WelcomeMenu
from tests.fakes.voicemail_world import vm_app  # noqa: F401 (fixture)
from tests.integration.test_api_support import API, assert_error, bearer, count, log_in
from tests.integration.test_ivr_conf import ivr_conf
from tests.integration.test_public_calls import acme, call, frozen, plays  # noqa: F401 (fixtures)
from tests.integration.test_public_menu import menu  # noqa: F401 (fixture)
from tests.integration.test_sound_uploads import closure_api, files, path_of, stored_files
from tests.integration.test_ui_numbers import site  # noqa: F401 (fixture)
from tests.unit.test_audio_files import wav

HEX = "0123456789abcdef" * 2
# An MPEG-1 layer III frame header after an ID3 tag: what an .mp3 file starts with.
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


@pytest.fixture
def app(vm_app):
    return vm_app


def bad_paths(site) -> dict[str, str]:
    root = str(current_storage().fs_root)
    own, foreign = f"{root}/a.example.com", f"{root}/b.example.com/number-{site.foreign.id}/closure-{HEX}.wav"
    return {
        "another tenant's upload": foreign,
        "a voicemail message of the account": f"{own}/201/msg-{HEX}.wav",
        "a mailbox greeting of the account": f"{own}/201/greeting-{HEX}.wav",
        "a call recording": f"/var/lib/freeswitch/recordings/a.example.com/2026-01-01/{HEX}.wav",
        "recordings_dir expansion": "$${recordings_dir}/a.example.com/x.wav",
        "channel variable": "${base_dir}/x.wav",
        "dot-dot out of the own folder": f"{own}/number-{site.number.id}/../../b.example.com/"
                                         f"number-{site.foreign.id}/closure-{HEX}.wav",
        "dot-dot from a prompt": "pbx/../../../etc/passwd.wav",
        "double slash": f"{root}//a.example.com/number-{site.number.id}/closure-{HEX}.wav",
        "a system file": "/etc/passwd.wav",
        "an http URL": "http://evil.example/x.wav",
        "shout": "shout://evil.example/x.mp3",
        "tone_stream": "tone_stream://%(2000,4000,440)",
        "local_stream": "local_stream://moh",
        "shell": "shell://cat /etc/passwd",
        "an MP3 path": "pbx/office-closed.mp3",
        "an unknown prompt": "pbx/no-such-prompt.wav",
        "a FreeSWITCH stock sound": "ivr/ivr-welcome.wav",
        "another kind of file in the own folder": f"{own}/number-{site.number.id}/other-{HEX}.wav",
        "a relative copy of the own folder": f"a.example.com/number-{site.number.id}/closure-{HEX}.wav",
    }


BAD_NAMES = [  # the keys of bad_paths (which needs the app for the storage root)
    "another tenant's upload", "a voicemail message of the account", "a mailbox greeting of the account",
    "a call recording", "recordings_dir expansion", "channel variable", "dot-dot out of the own folder",
    "dot-dot from a prompt", "double slash", "a system file", "an http URL", "shout", "tone_stream",
    "local_stream", "shell", "an MP3 path", "an unknown prompt", "a FreeSWITCH stock sound",
    "another kind of file in the own folder", "a relative copy of the own folder"]


def upload_closure(client, account, admin, number) -> str:
    url = f"{API}/accounts/{account.id}/numbers/{number.id}/closure-message/audio"
    uploaded = client.put(url, data=files(wav()), headers=bearer(admin))
    assert uploaded.status_code == 200, uploaded.get_json()
    return uploaded.get_json()["closure_message_path"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_path_the_account_may_not_play_is_400_naming_the_field_for_every_setting(client, site, name):
    path = bad_paths(site)[name]
    headers = bearer(site.admin)
    base = f"{API}/accounts/{site.account.id}"
    before = count(Treatment)
    body = assert_error(client.put(closure_api(site, ""), json={"closure_message_path": path}, headers=headers),
                        400, "validation_error", "closure_message_path")
    assert sound_files.RULE in str(body["details"])
    assert_error(client.post(f"{base}/treatments", json={"kind": "message", "message_path": path},
                             headers=headers), 400, "validation_error", "message_path")
    assert_error(client.post(f"{base}/menus", json={"name": "Accueil", "greeting_path": path}, headers=headers),
                 400, "validation_error", "greeting_path")
    assert path_of(site.number) is None and count(Treatment) == before and count(WelcomeMenu) == 0
    assert sound_files.sound_problem("a.example.com", path) is not None  # the core says the same


def test_another_tenants_real_upload_is_refused_and_stays_its_own(client, site):
    theirs = upload_closure(client, site.other, site.other_admin, site.foreign)
    assert_error(client.put(closure_api(site, ""), json={"closure_message_path": theirs}, headers=bearer(site.admin)),
                 400, "validation_error", "closure_message_path")
    assert path_of(site.number) is None and path_of(site.foreign) == theirs


def test_shipped_prompts_and_the_accounts_own_uploads_are_accepted(client, site):
    headers = bearer(site.admin)
    base = f"{API}/accounts/{site.account.id}"
    mine = upload_closure(client, site.account, site.admin, site.number)
    made = client.post(f"{base}/treatments", json={"kind": "message", "message_path": mine}, headers=headers)
    assert made.status_code == 201 and made.get_json()["message_path"] == mine
    menu = client.post(f"{base}/menus", json={"name": "Accueil", "greeting_path": "pbx/menu-default-greeting.wav"},
                       headers=headers)
    assert menu.status_code == 201, menu.get_json()
    greeting = client.put(f"{base}/menus/{menu.get_json()['id']}/greeting", data=files(wav()), headers=headers)
    assert greeting.status_code == 200
    own_greeting = greeting.get_json()["greeting_path"]
    assert client.post(f"{base}/treatments", json={"kind": "message", "message_path": own_greeting},
                       headers=headers).status_code == 201
    kept = client.put(closure_api(site, ""), json={"closure_message_path": "pbx/office-closed.wav"}, headers=headers)
    assert kept.status_code == 200 and kept.get_json()["closure_message_path"] == "pbx/office-closed.wav"


def test_the_menu_form_shows_the_rule_beside_the_field_in_french(client, site):
    log_in(client, site.admin)
    form = {"name": "Accueil", "language": "fr", "greeting_path": "/etc/passwd.wav", "timeout_seconds": "5",
            "repeat_count": "3", "dial_by_extension": "on", "timeout_treatment_id": ""}
    response = client.post(f"/accounts/{site.account.id}/menus/new", data=form)
    assert response.status_code == 400 and 'data-field="greeting_path"' in response.text
    assert "Doit être un son téléversé par ce compte ou une invite fournie (pbx/&lt;nom&gt;.wav)." in response.text
    assert count(WelcomeMenu) == 0


# -- MP3 ----------------------------------------------------------------------------------------
def test_an_mp3_upload_is_refused_with_its_reason_and_stores_nothing(client, site, app):
    body = assert_error(client.put(closure_api(site), data=files(MP3, "message.mp3"), headers=bearer(site.admin)),
                        400, "invalid_audio", "file")
    assert body["details"]["file"] == [MP3_REFUSED]
    assert path_of(site.number) is None and stored_files(current_storage().local_root) == []


def test_an_mp3_upload_is_refused_in_french_beside_the_upload_field(client, site):
    log_in(client, site.admin)
    sent = client.post(f"/accounts/{site.account.id}/numbers/{site.number.id}/closure/upload",
                       data=files(MP3, "message.mp3"), content_type="multipart/form-data")
    assert sent.status_code == 400
    assert ("Les fichiers MP3 ne sont pas acceptés (le système téléphonique ne peut pas les jouer) : "
            "exportez l’audio en WAV.") in sent.text
    assert path_of(site.number) is None


# -- rows saved before the rule -----------------------------------------------------------------
def _corrupt(account_id: int, statement) -> None:
    """Write behind the core's back (as an old row would be), then renew the routing token."""
    db.session.execute(statement)
    call_versions.touch(account_id, routing=True)
    db.session.commit()
    db.session.expire_all()


def test_an_old_closure_message_or_message_path_is_never_played(client, acme, frozen):
    account, number, _ = acme
    other = f"{current_storage().fs_root}/other.test/number-9/closure-{HEX}.wav"
    _corrupt(account.id, sa.update(PhoneNumber).where(PhoneNumber.id == number.id)
             .values(closure_message_path=other))
    _corrupt(account.id, sa.update(Treatment).where(Treatment.account_id == account.id, Treatment.kind == "message")
             .values(message_path="$${recordings_dir}/acme.test/x.wav"))
    frozen(2026, 11, 25, 20, 0)  # closed: the closure message, then the closed treatment, would play
    found = call(client)
    assert plays(found) == ["pbx/office-closed.wav"]  # the planner's "closed" default instead
    assert not any("recordings_dir" in data or "other.test" in data for _app, data in found)


def test_an_old_menu_greeting_falls_back_to_the_default_greeting(client, acme, menu):
    _corrupt(acme[0].id, sa.update(WelcomeMenu).where(WelcomeMenu.id == menu.id)
             .values(greeting_path="http://evil.example/x.wav"))
    element = ivr_conf(client, f"pbx_menu_{menu.id}", acme[1].id).xpath("//menus/menu")[0]
    assert element.get("greet-long") == "pbx/menu-default-greeting.wav"
