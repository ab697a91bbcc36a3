"""Voicemail messages over the API (VM-1, VM-5): list by folder, listen, download, save, delete."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.models import VoicemailMessage
from tests.integration.test_api_support import API, assert_error, bearer, count
from tests.integration.test_api_voicemail_support import (add_message, app, file_of, lamps, messages_of,  # noqa: F401
                                                          site)


def _messages(site, box) -> str:
    return f"{API}/accounts/{site.account.id}/mailboxes/{box.id}/messages"


def test_messages_are_listed_oldest_first_and_by_folder(client, site):
    first = add_message(site.own, caller="4185550001")
    second = add_message(site.own, caller="4185550002")
    saved = add_message(site.own, folder="saved")
    url, headers = _messages(site, site.own), bearer(site.user)
    assert [m["id"] for m in client.get(url, headers=headers).json] == [first.id, second.id, saved.id]
    assert [m["id"] for m in client.get(f"{url}?folder=new", headers=headers).json] == [first.id, second.id]
    listed = client.get(f"{url}?folder=saved", headers=headers).json
    assert [m["id"] for m in listed] == [saved.id]
    assert set(listed[0]) == {"id", "folder", "caller_number", "caller_name", "duration_seconds", "created_at",
                              "emailed_at"}
    assert client.get(f"{url}/{first.id}", headers=headers).json["caller_number"] == "4185550001"


@pytest.mark.parametrize("query, field", [("folder=old", "folder"), ("page=2", "page")])
def test_a_bad_listing_query_is_400_naming_the_field(client, site, query, field):
    response = client.get(f"{_messages(site, site.own)}?{query}", headers=bearer(site.admin))
    assert_error(response, 400, "validation_error", field)


def test_the_audio_is_the_recording_as_audio_wav_with_range_support(client, site):
    message = add_message(site.own, seconds=1.0)
    stored = file_of(message.audio_path).read_bytes()
    url, headers = f"{_messages(site, site.own)}/{message.id}/audio", bearer(site.user)
    whole = client.get(url, headers=headers)
    assert whole.status_code == 200 and whole.mimetype == "audio/wav" and whole.data == stored
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert "attachment" not in whole.headers.get("Content-Disposition", "")
    part = client.get(url, headers={**headers, "Range": "bytes=0-11"})
    assert part.status_code == 206 and part.data == stored[:12] and part.data[:4] == b"RIFF"
    download = client.get(f"{url}?download=true", headers=headers)
    assert download.data == stored
    assert download.headers["Content-Disposition"] == f"attachment; filename=voicemail-201-{message.id}.wav"


def test_a_recording_missing_on_disk_is_404_not_500(client, site):
    message = add_message(site.own)
    file_of(message.audio_path).unlink()
    response = client.get(f"{_messages(site, site.own)}/{message.id}/audio", headers=bearer(site.admin))
    assert_error(response, 404, "not_found")


def test_saving_the_last_new_message_turns_the_lamp_off(client, site, lamps):
    message = add_message(site.own)
    url = f"{_messages(site, site.own)}/{message.id}"
    moved = client.patch(url, headers=bearer(site.user), json={"folder": "saved"})
    assert moved.status_code == 200 and moved.json["folder"] == "saved"
    assert lamps[-1]["MWI-Messages-Waiting"] == "no" and lamps[-1]["MWI-Voice-Message"] == "0/1 (0/0)"
    assert client.patch(url, headers=bearer(site.user), json={"folder": "new"}).json["folder"] == "new"
    assert lamps[-1]["MWI-Messages-Waiting"] == "yes"


@pytest.mark.parametrize("body, field", [({"folder": "trash"}, "folder"), ({}, "folder"),
                                         ({"folder": "saved", "caller_number": "1"}, "caller_number")])
def test_a_bad_move_is_400_and_changes_nothing(client, site, body, field):
    message = add_message(site.own)
    response = client.patch(f"{_messages(site, site.own)}/{message.id}", headers=bearer(site.admin), json=body)
    assert_error(response, 400, "validation_error", field)
    assert [m.folder for m in messages_of(site.own)] == ["new"]


def test_deleting_a_message_removes_its_file_after_the_commit(client, site, lamps):
    message = add_message(site.own)
    path = file_of(message.audio_path)
    url = f"{_messages(site, site.own)}/{message.id}"
    assert client.delete(url, headers=bearer(site.user)).status_code == 204
    assert messages_of(site.own) == [] and not path.exists()
    assert lamps[-1]["MWI-Voice-Message"] == "0/0 (0/0)"
    assert_error(client.delete(url, headers=bearer(site.user)), 404, "not_found")


def test_a_message_is_reached_only_through_its_own_box(client, site):
    message = add_message(site.general)
    wrong = f"{_messages(site, site.colleague)}/{message.id}"
    headers = bearer(site.admin)
    for method in ("get", "delete"):
        assert_error(getattr(client, method)(wrong, headers=headers), 404, "not_found")
    assert_error(client.get(f"{wrong}/audio", headers=headers), 404, "not_found")
    assert_error(client.patch(wrong, headers=headers, json={"folder": "saved"}), 404, "not_found")
    assert count(VoicemailMessage) == 1


def test_a_user_cannot_reach_a_colleagues_messages(client, site):
    message = add_message(site.colleague)
    headers = bearer(site.user)
    url = f"{_messages(site, site.colleague)}"
    assert_error(client.get(url, headers=headers), 404, "not_found")
    assert_error(client.get(f"{url}/{message.id}/audio", headers=headers), 404, "not_found")
    assert_error(client.delete(f"{url}/{message.id}", headers=headers), 404, "not_found")
    # nor through their own box's URL
    assert_error(client.get(f"{_messages(site, site.own)}/{message.id}/audio", headers=headers), 404, "not_found")
    assert count(VoicemailMessage) == 1


def test_another_tenants_message_is_not_found_even_with_its_own_box_id(client, site):
    message = add_message(site.foreign)
    headers = bearer(site.admin)
    url = f"{API}/accounts/{site.account.id}/mailboxes/{site.foreign.id}/messages/{message.id}"
    assert_error(client.get(f"{url}/audio", headers=headers), 404, "not_found")
    other = f"{API}/accounts/{site.other.id}/mailboxes/{site.foreign.id}/messages/{message.id}/audio"
    assert_error(client.get(other, headers=headers), 404, "not_found")


def test_email_only_messages_in_transit_are_not_in_the_box(client, site):
    message = add_message(site.own)
    message.delete_after_email = True
    db.session.commit()
    url = _messages(site, site.own)
    assert client.get(url, headers=bearer(site.admin)).json == []
    assert_error(client.get(f"{url}/{message.id}/audio", headers=bearer(site.admin)), 404, "not_found")


def test_empty_without_a_body_keeps_the_greetings(client, site):
    add_message(site.own)
    response = client.post(f"{API}/accounts/{site.account.id}/mailboxes/{site.own.id}/empty", headers=bearer(site.user))
    assert response.status_code == 200, response.json
    assert messages_of(site.own) == []
