"""The directory user document is built as text (issue 15): it must be byte for byte what lxml
writes for the same tree, for every kind of user and for values that need escaping."""
from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from fs_service.extensions.directory import SipUser
from xml_curl.directory import DIAL_STRING, _extension_dial_string, _variables, user_document
from xml_curl.documents import NOT_FOUND, add_params, document, to_bytes

EXTENSION = SipUser(user_id="101", domain="acme.test", password="s3cret", account_id=7, extension_id=42,
                    extension_number="101", kind="extension", caller_id_name="Alice Tremblay", language="fr",
                    long_distance="unlimited", international="disabled", outbound_caller_id_name=None,
                    outbound_caller_id_number=None, hide_caller_id=False)


def lxml_document(user: SipUser, cacheable_ms: int) -> bytes:
    """The tree the directory answer was built from before issue 15, serialised by lxml."""
    root, section = document("directory")
    domain = etree.SubElement(section, "domain", name=user.domain)
    add_params(domain, "params", "param", [("dial-string", DIAL_STRING)])
    users = etree.SubElement(etree.SubElement(domain, "groups"), "group", name="default")
    element = etree.SubElement(etree.SubElement(users, "users"), "user", id=user.user_id)
    if cacheable_ms > 0:
        element.set("cacheable", str(cacheable_ms))
    params = [("a1-hash", user.a1_hash), ("allow-empty-password", "false")]
    if user.kind == "extension" and user.softphone_users:
        params.append(("dial-string", _extension_dial_string(user)))
    if user.kind == "softphone":
        params.append(("mwi-account", f"{user.extension_number}@{user.domain}"))
    add_params(element, "params", "param", params)
    add_params(element, "variables", "variable", _variables(user))
    return to_bytes(root)


USERS = {
    "plain extension": EXTENSION,
    "with softphones": replace(EXTENSION, softphone_users=("101-1", "101-2")),
    "softphone": replace(EXTENSION, user_id="101-1", kind="softphone", password="other"),
    "outbound caller id, hidden, toll": replace(EXTENSION, outbound_caller_id_name="ACME", hide_caller_id=True,
                                                outbound_caller_id_number="15145550100",
                                                international="unlimited", music_on_hold="jazz"),
    "escaping": replace(EXTENSION, caller_id_name='Tom & "Jerry" <sales> ${x}\tœuvre 😀\r\nnext'),
    "unicode": replace(EXTENSION, caller_id_name="Émilie Côté", language="en"),
}


@pytest.mark.parametrize("cacheable_ms", [300000, 0])
@pytest.mark.parametrize("name", sorted(USERS))
def test_the_user_document_is_what_lxml_writes_for_the_same_tree(name, cacheable_ms):
    user = USERS[name]
    assert user_document(user, cacheable_ms) == lxml_document(user, cacheable_ms)


def test_a_value_lxml_refuses_is_refused_the_same_way():
    user = replace(EXTENSION, caller_id_name="bell\x07")
    with pytest.raises(ValueError):
        lxml_document(user, 1)
    with pytest.raises(ValueError):  # the view answers not-found, as it did when lxml raised
        user_document(user, 1)


def test_a_user_without_password_gets_the_not_found_document():
    assert user_document(replace(EXTENSION, password=""), 1) == NOT_FOUND
