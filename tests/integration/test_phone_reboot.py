"""Rebooting a phone (guide 7.5) through the fake FreeSWITCH: one ``check_sync`` per extension
on the phone, after the commit, nothing for other phones; a phone in a call reboots when the
status batch that ends its call is applied."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.phones import reboot, rules
from fs_service.status import store as status_store
from fs_service.status.events import ChannelDown, ChannelUp
from tests.factories import make_account, make_extension
from tests.helpers import until
from tests.integration.test_api_support import API, bearer
from tests.integration.test_saved_is_live import fake_fs, live_app  # noqa: F401 (fixtures)


def syncs(fake_fs) -> list[str]:
    return [c for c in fake_fs.api_commands() if "check_sync" in c]


@pytest.fixture
def phones(live_app, fake_fs):
    account, admin = make_account(sip_domain="acme.test")
    ext = {n: make_extension(account, number=n) for n in ("101", "102", "103")}
    desk = rules.add_phone(account, mac="001565aabbcc", name="Desk", model="yealink_t46u")
    other = rules.add_phone(account, mac="001565aabbcd", name="Other", model="yealink_t46u")
    rules.assign(account, desk, ext["101"].id, 1)
    rules.assign(account, desk, ext["102"].id, 2)
    rules.assign(account, other, ext["103"].id, 1)
    db.session.commit()
    until(lambda: any("xml_flush_cache" in c for c in fake_fs.api_commands()))
    fake_fs.commands.clear()
    return account, admin, desk, other


def test_reboot_from_the_api_syncs_that_phones_extensions_only(live_app, fake_fs, phones):
    account, admin, desk, _ = phones
    client = live_app.test_client()
    response = client.post(f"{API}/accounts/{account.id}/phones/{desk.id}/reboot", headers=bearer(admin))
    assert response.status_code == 202 and response.get_json() == {"rebooted": True}
    assert sorted(until(lambda: len(syncs(fake_fs)) == 2 and syncs(fake_fs))) == [
        "sofia profile internal check_sync 101@acme.test", "sofia profile internal check_sync 102@acme.test"]


def test_nothing_is_sent_before_the_commit_nor_after_a_rollback(live_app, fake_fs, phones):
    _, _, desk, other = phones
    reboot.request_reboot(desk)
    db.session.flush()
    db.session.rollback()
    reboot.request_reboot(other)
    db.session.commit()
    assert until(lambda: syncs(fake_fs)) == ["sofia profile internal check_sync 103@acme.test"]


def test_a_phone_in_a_call_reboots_when_the_call_ends(live_app, fake_fs, phones):
    _, _, desk, _ = phones
    status_store.apply_changes("fs1", [ChannelUp("call-1", "102", "acme.test", "answered")])
    assert reboot.request_reboot(desk) is False
    db.session.commit()
    assert desk.reboot_pending is True
    status_store.apply_changes("fs1", [ChannelUp("call-2", "103", "acme.test", "answered")])
    status_store.apply_changes("fs1", [ChannelDown("call-2")])  # another phone's call: still waiting
    db.session.refresh(desk)
    assert desk.reboot_pending is True and syncs(fake_fs) == []
    status_store.apply_changes("fs1", [ChannelDown("call-1")])
    assert sorted(until(lambda: len(syncs(fake_fs)) == 2 and syncs(fake_fs))) == [
        "sofia profile internal check_sync 101@acme.test", "sofia profile internal check_sync 102@acme.test"]
    db.session.refresh(desk)
    assert desk.reboot_pending is False
