"""Rendered SIP users are cached per process and never served stale (saved = live)."""
from __future__ import annotations

import hashlib

from fs_service.accounts import rules as accounts
from fs_service.db import db
from fs_service.extensions import directory, rules as extensions
from tests.factories import make_account, make_extension, make_user
from tests.helpers import xml_curl_body
from tests.integration.test_xml_curl_directory import parse, post, user_element, variables

SIP_AUTH_100 = ("internal-call-answered", "0030-directory-sip_auth.form")


def a1(doc, user="100") -> str:
    return user_element(doc, user).xpath("params/param[@name='a1-hash']/@value")[0]


def test_a_repeated_lookup_is_served_from_the_cache(client, app, monkeypatch):
    account, _ = make_account(sip_domain="acme.test")
    make_extension(account, number="100")
    calls = []
    real = directory.find_sip_user
    monkeypatch.setattr(directory, "find_sip_user", lambda *a: calls.append(a) or real(*a))
    first = post(client, xml_curl_body(*SIP_AUTH_100)).data
    second = post(client, xml_curl_body(*SIP_AUTH_100)).data
    assert first == second and len(calls) == 1


def test_every_change_to_what_the_document_shows_is_served_at_once(client, app):
    account, _ = make_account(sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    ext = make_extension(account, number="100", user=alice)
    parse(post(client, xml_curl_body(*SIP_AUTH_100)))  # now cached
    new_password = extensions.regenerate_sip_password(account, ext)
    db.session.commit()
    doc = parse(post(client, xml_curl_body(*SIP_AUTH_100)))
    assert a1(doc) == hashlib.md5(f"100:acme.test:{new_password}".encode()).hexdigest()
    ext.caller_id_name = ""
    alice.first_name = "Alicia"  # the name shown comes from the user: a User change counts too
    db.session.commit()
    doc = parse(post(client, xml_curl_body(*SIP_AUTH_100)))
    assert variables(user_element(doc, "100"))["effective_caller_id_name"] == "Alicia Tremblay"


def test_a_deleted_extension_is_not_found_at_once(client, app):
    account, _ = make_account(sip_domain="acme.test")
    ext = make_extension(account, number="100")
    parse(post(client, xml_curl_body(*SIP_AUTH_100)))
    extensions.delete_extension(account, ext)
    db.session.commit()
    doc = parse(post(client, xml_curl_body(*SIP_AUTH_100)))
    assert doc.xpath("//result/@status") == ["not found"]


def test_changes_in_another_account_do_not_clear_this_accounts_documents(client, app, monkeypatch):
    account, _ = make_account(sip_domain="acme.test")
    other, _ = make_account(sip_domain="beta.test")
    make_extension(account, number="100")
    post(client, xml_curl_body(*SIP_AUTH_100))
    accounts.create_user(other, email="someone@beta.test")
    db.session.commit()
    calls = []
    monkeypatch.setattr(directory, "find_sip_user", lambda *a: calls.append(a))
    post(client, xml_curl_body(*SIP_AUTH_100))
    assert calls == []
