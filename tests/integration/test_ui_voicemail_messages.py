"""Listening to voicemail in the browser (issue 7 item 7): new and saved messages with a player,
download, mark saved / new, delete with confirmation; the lamp follows."""
from __future__ import annotations

from tests.integration.test_api_support import log_in
from tests.integration.test_api_voicemail_support import (add_message, app, file_of, lamps, messages_of,  # noqa: F401
                                                          site)


def _box(site, box, tail: str = "") -> str:
    return f"/accounts/{site.account.id}/voicemail/{box.id}{tail}"


def test_the_box_page_lists_new_and_saved_messages_with_a_player_and_a_download_link(client, site):
    new = add_message(site.own, caller="4185550001", seconds=2)
    saved = add_message(site.own, folder="saved", caller="4185550002")
    log_in(client, site.user)
    page = client.get(_box(site, site.own)).text
    assert "Boîte vocale 201" in page and "(2 messages / 100)" in page
    new_section = page[page.index('id="folder-new"'):page.index('id="folder-saved"')]
    saved_section = page[page.index('id="folder-saved"'):]
    audio = _box(site, site.own, f"/messages/{new.id}/audio")
    assert f'<audio controls preload="none" src="{audio}">' in new_section and "4185550001" in new_section
    assert f'href="{audio}?download=1" download' in new_section and "2 s" in new_section
    assert "Sauvegarder" in new_section and f'data-message="{saved.id}"' in saved_section
    assert "Marquer comme nouveau" in saved_section


def test_an_empty_box_says_so(client, site):
    log_in(client, site.admin)
    page = client.get(_box(site, site.general)).text
    assert "(0 message / 100)" in page and page.count("Aucun message.") == 2


def test_the_player_gets_the_recording_as_audio_wav_and_can_seek(client, site):
    message = add_message(site.own)
    stored = file_of(message.audio_path).read_bytes()
    log_in(client, site.user)
    url = _box(site, site.own, f"/messages/{message.id}/audio")
    whole = client.get(url)
    assert whole.status_code == 200 and whole.mimetype == "audio/wav" and whole.data == stored
    part = client.get(url, headers={"Range": "bytes=44-99"})
    assert part.status_code == 206 and part.data == stored[44:100]
    assert part.headers["Content-Range"] == f"bytes 44-99/{len(stored)}"
    download = client.get(f"{url}?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;") and download.data == stored


def test_marking_saved_turns_the_lamp_off_and_marking_new_turns_it_on(client, site, lamps):
    message = add_message(site.own)
    log_in(client, site.user)
    url = _box(site, site.own, f"/messages/{message.id}/folder")
    response = client.post(url, data={"folder": "saved"}, follow_redirects=True)
    assert "Message sauvegardé." in response.text
    assert [m.folder for m in messages_of(site.own)] == ["saved"] and lamps[-1]["MWI-Messages-Waiting"] == "no"
    client.post(url, data={"folder": "new"})
    assert [m.folder for m in messages_of(site.own)] == ["new"] and lamps[-1]["MWI-Messages-Waiting"] == "yes"


def test_a_bad_folder_is_400_and_changes_nothing(client, site):
    message = add_message(site.own)
    log_in(client, site.user)
    url = _box(site, site.own, f"/messages/{message.id}/folder")
    assert client.post(url, data={"folder": "trash"}).status_code == 400
    assert [m.folder for m in messages_of(site.own)] == ["new"]


def test_deleting_a_message_asks_first_then_removes_it_and_its_file(client, site, lamps):
    message = add_message(site.own, caller="4185550001")
    recording = file_of(message.audio_path)
    log_in(client, site.user)
    url = _box(site, site.own, f"/messages/{message.id}/delete")
    confirm = client.get(url).text
    assert "Supprimer le message de 4185550001" in confirm and recording.exists()
    response = client.post(url, follow_redirects=True)
    assert "Message supprimé." in response.text
    assert messages_of(site.own) == [] and not recording.exists()
    assert lamps[-1]["MWI-Voice-Message"] == "0/0 (0/0)"


def test_a_message_of_another_box_is_not_found_through_this_box(client, site):
    message = add_message(site.general)
    log_in(client, site.admin)
    assert client.get(_box(site, site.colleague, f"/messages/{message.id}/audio")).status_code == 404
    assert client.post(_box(site, site.colleague, f"/messages/{message.id}/delete")).status_code == 404
    assert len(messages_of(site.general)) == 1


def test_admins_open_any_box_of_their_account(client, site):
    message = add_message(site.own)
    log_in(client, site.admin)
    assert client.get(_box(site, site.own)).status_code == 200
    assert client.get(_box(site, site.own, f"/messages/{message.id}/audio")).status_code == 200
