"""Refusals of carrier calls: blacklist block and allow rules on the recorded inbound requests
(an anonymous caller is never matched), unknown numbers and disabled accounts (BL-1, BL-2)."""
from __future__ import annotations

from fs_service.blacklist import rules as blacklist
from fs_service.db import db
from tests.helpers import xml_curl_body
from tests.integration.test_public_calls import (ANONYMOUS_CALL, DID_CALL, acme, actions, bridges, call,  # noqa: F401
                                                 frozen)


def test_blocked_caller_is_rejected_before_answer(client, acme, frozen):
    account, _, _ = acme
    blacklist.create_rule(account, action="block", match="starts_with", digits="418")
    db.session.commit()
    frozen(2026, 11, 25, 10, 0)
    assert call(client) == [("hangup", "CALL_REJECTED")]


def test_allow_rules_refuse_everyone_else_but_never_anonymous_callers(client, acme, frozen):
    account, _, _ = acme
    rule = blacklist.create_rule(account, action="allow", match="equals", digits="5145559999")
    db.session.commit()
    frozen(2026, 11, 25, 10, 0)
    assert call(client) == [("hangup", "CALL_REJECTED")]
    assert bridges(call(client, ANONYMOUS_CALL)) == ["user/100@acme.test"]
    blacklist.update_rule(account, rule, dict(digits="4185551234"))
    db.session.commit()
    assert bridges(call(client)) == ["user/100@acme.test"]  # saved = live: the new rule applies


def test_anonymous_caller_is_never_matched_by_block_rules(client, acme, frozen):
    account, _, _ = acme
    blacklist.create_rule(account, action="block", match="contains", digits="0")
    db.session.commit()
    frozen(2026, 11, 25, 10, 0)
    assert bridges(call(client, ANONYMOUS_CALL)) == ["user/100@acme.test"]


def test_unknown_number_is_refused_as_unallocated(client, acme, frozen):
    body = xml_curl_body(*DID_CALL).replace(b"Caller-Destination-Number=5145550100",
                                            b"Caller-Destination-Number=5145550199")
    assert actions(client, body) == [("hangup", "UNALLOCATED_NUMBER")]


def test_number_of_a_disabled_account_is_unallocated(client, acme, frozen):
    acme[0].enabled = False
    db.session.commit()
    assert call(client) == [("hangup", "UNALLOCATED_NUMBER")]
