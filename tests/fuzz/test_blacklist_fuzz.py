"""The blacklist evaluator (fs_service/blacklist/match.py) against random rules and random
caller numbers and privacy headers: the verdict the written rules give, never a crash, and
screening time that does not grow with the number of rules."""
from __future__ import annotations

import time

from hypothesis import given, strategies as st

from fs_service.blacklist.match import MAX_CALLER_DIGITS, Matcher, Rule, caller_forms
from tests.fuzz import FUZZ

KINDS = ("equals", "starts_with", "ends_with", "contains")
DIGITS = st.text(alphabet="0123", min_size=1, max_size=6)  # a small alphabet, so rules do match
RULES = st.lists(st.tuples(st.sampled_from(["block", "allow"]), st.sampled_from(KINDS), DIGITS), max_size=25).map(
    lambda items: [Rule(i + 1, action, kind, digits) for i, (action, kind, digits) in enumerate(items)])
CALLERS = st.one_of(st.text(max_size=40), st.from_regex(r"\A\+?1?[0-3]{0,14}\Z"),
                    st.sampled_from(["anonymous", "+15149073400", "5149073400", "", " 100 ", "٣٣٣"]))
VARIABLES = st.dictionaries(st.sampled_from(["sip_Privacy", "sip_Remote-Party-ID", "pbx_privacy_hide_number", "x"]),
                            st.one_of(st.text(max_size=30), st.sampled_from(["id", "none", "privacy=full;x", "true"])),
                            max_size=3)


def matches(rule: Rule, number: str) -> bool:
    return {"equals": number == rule.digits, "starts_with": number.startswith(rule.digits),
            "ends_with": number.endswith(rule.digits), "contains": rule.digits in number}[rule.match]


@FUZZ
@given(CALLERS, st.one_of(st.none(), VARIABLES))
def test_caller_forms_are_ascii_digit_strings_or_nothing(caller, variables):
    forms = caller_forms(caller, variables)
    if forms is None:
        return
    assert 1 <= len(forms) <= 2
    assert all(f.isascii() and f.isdigit() and len(f) <= MAX_CALLER_DIGITS + 1 for f in forms)
    assert forms[0] == caller.strip().removeprefix("+")


@FUZZ
@given(RULES, CALLERS)
def test_the_verdict_is_the_one_the_written_rules_give(rules, caller):
    forms = caller_forms(caller)
    screening = Matcher(rules).screen(forms)
    if forms is None:
        assert screening.allowed and screening.rule_id is None
        return
    hits = {action: [r for r in rules if r.action == action and any(matches(r, f) for f in forms)]
            for action in ("block", "allow")}
    has_allow = any(r.action == "allow" for r in rules)
    assert screening.allowed == (not hits["block"] and (not has_allow or bool(hits["allow"])))
    named = {r.id: r for r in rules}.get(screening.rule_id)
    if not screening.allowed and hits["block"]:
        assert named in hits["block"]
    elif screening.rule_id is not None:
        assert named in hits["allow"]


def test_screening_one_caller_against_100000_rules_stays_fast():
    rules = [Rule(i, "block", KINDS[i % 4], f"{i:07d}"[: 3 + i % 5]) for i in range(1, 100001)]
    matcher = Matcher(rules)
    started = time.perf_counter()
    for caller in ("+15149073400", "8885550199", "anonymous", "1" * 32):
        matcher.screen(caller_forms(caller))
    assert time.perf_counter() - started < 0.5
