"""Blacklist matching (BL-1, BL-2): the guide's table, both NANP forms, allow-only accounts,
withheld numbers never matched, and a cost that does not grow with the number of rules."""
from __future__ import annotations

import time

import pytest

from fs_service.blacklist.match import Matcher, Rule, caller_forms, withheld


def matcher(*rules: tuple[str, str, str]) -> Matcher:
    return Matcher(Rule(i + 1, action, match, digits) for i, (action, match, digits) in enumerate(rules))


def allowed(m: Matcher, caller: str, variables=None) -> bool:
    return m.screen(caller_forms(caller, variables)).allowed


@pytest.mark.parametrize("match,digits,caller,hit", [
    ("equals", "5149073400", "5149073400", True),  # guide 8.2's example
    ("equals", "5149073400", "+15149073400", True),  # E.164 from the carrier
    ("equals", "5149073400", "15149073400", True),
    ("equals", "15149073400", "5149073400", True),
    ("equals", "5149073400", "5149073401", False),
    ("equals", "5149073400", "514907340", False),
    ("contains", "5555", "4185555123", True),  # [...]5555[...]
    ("contains", "5555", "4185551234", False),
    ("starts_with", "514", "5149999999", True),  # 514[...]
    ("starts_with", "514", "+15149999999", True),
    ("starts_with", "514", "4185145555", False),
    ("starts_with", "1514", "5149999999", True),
    ("ends_with", "3400", "5149073400", True),  # [...]3400
    ("ends_with", "3400", "5143400999", False),
    ("ends_with", "3400", "+15149073400", True),
    ("equals", "011331234567", "011331234567", True),  # international, as displayed
])
def test_guide_match_kinds_on_every_caller_form(match, digits, caller, hit):
    assert allowed(matcher(("block", match, digits)), caller) is not hit


@pytest.mark.parametrize("caller,variables", [
    ("anonymous", {}), ("Anonymous", {}), ("", {}), (None, {}), ("unknown", {}), ("private", {}),
    ("unavailable", {}), ("restricted", {}),
    ("4185551234", {"sip_Privacy": "id"}),  # Privacy: id keeps the number in caller_id_number (NOTES §7)
    ("4185551234", {"sip_Privacy": "user;id"}),
    ("4185551234", {"sip_Remote-Party-ID": '"Client" <sip:4185551234@x>;party=calling;privacy=full'}),
])
def test_withheld_or_missing_numbers_are_never_matched_and_always_pass(caller, variables):
    everything = matcher(("block", "contains", "1"), ("block", "contains", "4"), ("allow", "equals", "5145550000"))
    assert allowed(everything, caller, variables)


def test_privacy_none_or_name_only_still_shows_the_number():
    assert not withheld({"sip_Privacy": "none"})
    assert not withheld({"sip_Remote-Party-ID": "<sip:4185551234@x>;privacy=off"})
    assert not allowed(matcher(("block", "equals", "4185551234")), "4185551234", {"sip_Privacy": "none"})


def test_allow_rules_refuse_every_caller_that_matches_none():
    m = matcher(("allow", "starts_with", "418"), ("allow", "equals", "5145550100"))
    assert allowed(m, "4185551234") and allowed(m, "+15145550100")
    assert not allowed(m, "5145550101")
    assert m.screen(caller_forms("5145550101")).reason == "blacklist: allow rules exist and none matched"


def test_a_block_rule_wins_over_an_allow_rule():
    m = matcher(("allow", "starts_with", "418"), ("block", "equals", "4185551234"))
    screening = m.screen(caller_forms("4185551234"))
    assert not screening.allowed and screening.rule_id == 2 and "rule #2" in screening.reason
    assert allowed(m, "4185550000")


def test_no_rules_lets_everyone_through():
    assert allowed(matcher(), "4185551234")


def test_matching_cost_does_not_grow_with_the_number_of_rules():
    kinds = ("equals", "starts_with", "ends_with", "contains")

    def rules(count: int) -> Matcher:  # same kinds and pattern lengths, 100 times more rules
        return matcher(*[("block", kinds[i % 4], f"{7000000 + i * 7919:010d}"[: 4 + i % 7]) for i in range(count)])

    callers = [f"418555{n:04d}" for n in range(2000)]

    def cost(m: Matcher) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for caller in callers:
                m.screen(caller_forms(caller))
            best = min(best, time.perf_counter() - started)
        return best

    assert cost(rules(20000)) < 3 * cost(rules(200))  # set probes per caller, not a scan of the rules


def test_freeswitchs_own_privacy_flag_withholds_the_number():
    assert withheld({"pbx_privacy_hide_number": "true"})
    assert not withheld({"pbx_privacy_hide_number": "false"})
