"""A number's "create a treatment" form (issue 20 item 4, issue 18): a recorded message is
chosen among the account's own sounds and the shipped prompts (each with the URL its play
button loads), never typed; the conference entry is a kind; shipped prompts are served to the
page's player only when generated, and only by id."""
from __future__ import annotations

import re

import pytest

from fs_service.db import db
from fs_service.models import Treatment
from fs_service.numbers import rules as numbers, treatments
from tests.fakes.voicemail_world import vm_app  # noqa: F401 (fixture)
from tests.integration.test_api_support import log_in
from tests.integration.test_ui_numbers import _url, site  # noqa: F401 (fixture)
from tests.unit.test_audio_files import wav
from web.ui import prompt_audio


@pytest.fixture
def app(vm_app):
    return vm_app


def _options(page: str) -> dict[str, str]:
    select = re.search(r'<select id="f-t_message_path".*?</select>', page, re.S)[0]
    return dict(re.findall(r'<option value="([^"]+)" data-audio="([^"]+)"', select))


def test_the_message_is_chosen_among_the_accounts_sounds_and_the_prompts_each_playable(client, site):
    numbers.upload_closure_message(site.account, site.number, wav())
    numbers.upload_closure_message(site.other, site.foreign, wav())
    db.session.commit()
    log_in(client, site.admin)
    page = client.get(_url(site)).text
    assert 'name="t_message_path"' in page and '<input id="f-t_message_path"' not in page  # no typed path
    options = _options(page)
    own = site.number.closure_message_path
    assert options[own] == f"/accounts/{site.account.id}/numbers/{site.number.id}/closure/audio"
    assert site.foreign.closure_message_path not in options  # another tenant's sound is never offered
    assert options["pbx/office-closed.wav"] == "/prompts/fr/office-closed.wav"
    assert "Message de fermeture du +15145550100" in page and "Messages fournis avec le système" in page
    assert client.get(options[own]).status_code == 200
    response = client.post(_url(site, "/treatments"), data={"t_kind": "message", "t_message_path": own,
                                                            "t_message_then": "hangup"})
    assert response.status_code == 302
    assert db.session.query(Treatment).filter_by(kind="message", message_path=own).count() == 1


def test_the_conference_entry_is_a_kind_of_the_form(client, site):
    log_in(client, site.admin)
    assert '<option value="conference"' in client.get(_url(site)).text
    assert client.post(_url(site, "/treatments"), data={"t_kind": "conference"}).status_code == 302
    created = db.session.query(Treatment).filter_by(kind="conference").one()
    assert treatments.describe_treatment(created) == "conference"
    assert "Entrée des conférences" in client.get(_url(site)).text  # named in the open/closed selects


def test_a_shipped_prompt_is_served_by_id_when_generated(client, site, tmp_path, monkeypatch):
    monkeypatch.setattr(prompt_audio, "PROMPT_SOUNDS", tmp_path)
    log_in(client, site.admin)
    assert client.get("/prompts/fr/office-closed.wav").status_code == 404  # not generated here
    (tmp_path / "fr" / "pbx").mkdir(parents=True)
    (tmp_path / "fr" / "pbx" / "office-closed.wav").write_bytes(wav())
    found = client.get("/prompts/fr/office-closed.wav")
    assert found.status_code == 200 and found.mimetype == "audio/wav" and found.data == wav()
    assert client.get("/prompts/fr/not-a-prompt.wav").status_code == 404
    assert client.get("/prompts/de/office-closed.wav").status_code == 404
