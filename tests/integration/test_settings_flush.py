"""Saved = live for the directory: FreeSWITCH may cache a SIP user's directory entry, so a save
that changes one of its variables queues exactly that user's flush (and its softphones'), after
the commit; a dialplan-only setting needs none (the dialplan is never cached)."""
from __future__ import annotations

import pytest

from fs_service import outbox
from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.outbox import FlushDirectoryUser
from tests.integration.test_settings_support import acme, save, settings_url  # noqa: F401


@pytest.fixture
def sent():
    """Every intent released after a commit (the ESL door's place), in order."""
    released: list = []
    outbox.set_dispatcher(released.extend)
    yield released
    outbox.set_dispatcher(None)


FLUSH_101 = FlushDirectoryUser("101", "acme.test")
DIRECTORY_CHANGES = [
    {"caller_id_name": "Reception"},
    {"language": "en"},
    {"music_on_hold": "moh"},
    {"long_distance": "disabled"},
    {"international": "unlimited"},
    {"outbound_caller_id_name": "Sales", "outbound_caller_id_number": "+15145550199"},
    {"hide_caller_id": True},
]


@pytest.mark.parametrize("change", DIRECTORY_CHANGES)
def test_a_directory_variable_change_flushes_the_sip_user(client, acme, sent, change):
    save(client, acme, "101", **change)
    assert sent == [FLUSH_101]


def test_the_extensions_softphones_are_flushed_too(client, acme, sent):
    phone = extensions.create_softphone(acme.account, acme.exts["101"], "laptop")
    db.session.commit()
    sent.clear()
    save(client, acme, "101", language="en")
    assert sent == [FLUSH_101, FlushDirectoryUser(phone.sip_username, "acme.test")]


@pytest.mark.parametrize("change", [{"ring_seconds": 40}, {"dnd": True}, {"recording": "all"},
                                    {"forward_mode": "always", "forward_destination": "102"},
                                    {"language": "fr"}])  # unchanged value
def test_a_dialplan_only_or_unchanged_setting_flushes_nothing(client, acme, sent, change):
    save(client, acme, "101", **change)
    assert sent == []


def test_a_refused_save_flushes_nothing(client, acme, sent):
    response = client.patch(settings_url(acme, "101"), json={"language": "en", "ring_seconds": 999},
                            headers=acme.headers)
    assert response.status_code == 400 and sent == []


def test_quick_edit_flushes_each_changed_extension_once(client, acme, sent):
    rows = [{"id": acme.exts["101"].id, "language": "en", "caller_id_name": "Desk"},
            {"id": acme.exts["102"].id, "ring_seconds": 10},
            {"id": acme.exts["105"].id, "hide_caller_id": True}]
    response = client.patch(f"/api/v1/accounts/{acme.account.id}/extensions", json={"extensions": rows},
                            headers=acme.headers)
    assert response.status_code == 200
    assert sent == [FLUSH_101, FlushDirectoryUser("105", "acme.test")]
