"""Toll classes of dialed numbers (fs_service.calls.dialing, EXT-4; issue 13): a number has one
class whatever its form — ``NPANXXXXXX``, ``1NPANXXXXXX``, ``+1NPANXXXXXX``, after the optional
``9`` — local when its area code is local to the account (its numbers' area codes and their
overlays), and the carrier dials the same 11 digits. Calls and faxes read it alike."""
from __future__ import annotations

from dataclasses import replace

import pytest

from fs_service.calls.dialing import LOCAL, LONG_DISTANCE, NO_LOCAL_AREA, TOLL_FREE, classify, local_areas
from fs_service.calls.model import AccountRouting, Identity
from fs_service.calls.outbound import plan_outbound
from fs_service.calls.steps import Ring
from tests.unit.test_callplan_extension import BASE

MONTREAL = local_areas(["+15145550100"])  # an account whose number is in 514


def forms(ten: str) -> list[str]:
    """Every way of dialing one NANP number."""
    return [ten, "1" + ten, "+1" + ten, "9" + ten, "91" + ten, " +1" + ten + " "]


@pytest.mark.parametrize("ten, toll_class", [
    ("5145550199", LOCAL),           # the account's own area code
    ("4385550199", LOCAL),           # 514's overlays
    ("2635550199", LOCAL),
    ("4185550199", LONG_DISTANCE),   # Québec city
    ("4505550199", LONG_DISTANCE),   # a neighbouring area code, not an overlay
    ("4165550199", LONG_DISTANCE),   # Toronto
    ("2125550199", LONG_DISTANCE),   # New York
    ("8005550199", TOLL_FREE),
    ("8885550199", TOLL_FREE),
])
@pytest.mark.parametrize("index", range(6))
def test_every_form_of_a_number_has_its_class_and_one_carrier_number(ten, toll_class, index):
    found = classify(forms(ten)[index], MONTREAL)
    assert (found.toll_class, found.carrier_number) == (toll_class, "1" + ten)


@pytest.mark.parametrize("dialed, toll_class, carrier", [
    ("011331234567", "international", "011331234567"), ("+33123456789", "international", "01133123456789"),
    ("9011442071234567", "international", "011442071234567"), ("+442071234567", "international", "011442071234567"),
    ("+5145550199", "international", "0115145550199"),  # + then 51: Peru, not Montréal
    ("911", "emergency", "911"), ("9911", "emergency", "911"), ("311", "service", "311"),
    ("511", "service", "511"), ("411", "long_distance", "411"),
])
def test_international_emergency_and_service_numbers(dialed, toll_class, carrier):
    found = classify(dialed, MONTREAL)
    assert (found.toll_class, found.carrier_number) == (toll_class, carrier)


@pytest.mark.parametrize("dialed", ["5551234", "0145551234", "1145551234", "abc", "+1", "01112", "999",
                                    "+1911", "+15145550", "1514555019", "+1-514-555-0199"])
def test_invalid_external_numbers(dialed):
    assert classify(dialed, MONTREAL) is None


@pytest.mark.parametrize("dialed", forms("5145550199"))
def test_without_a_local_area_no_number_is_local_in_any_form(dialed):
    assert classify(dialed).toll_class == classify(dialed, NO_LOCAL_AREA).toll_class == LONG_DISTANCE
    assert classify("1" + "8005550199").toll_class == TOLL_FREE


@pytest.mark.parametrize("numbers, areas", [
    (["+15145550100"], {"514", "438", "263"}),
    (["15145550100", "5145550101"], {"514", "438", "263"}),   # any form of the account's numbers
    (["+14185550100", "+15145550100"], {"418", "581", "367", "514", "438", "263"}),
    (["+15875550100"], {"403", "780", "587", "825", "368"}),  # an overlay of two territories
    (["+12125550100"], {"212"}),                              # no overlay known: the area code alone
    (["+33123456789", None, ""], set()),                      # not NANP: no local area
])
def test_local_areas_of_an_account(numbers, areas):
    assert local_areas(numbers) == areas


ROUTING = AccountRouting(1, "acme.test", "carrier", Identity("Acme", "15145550100"), MONTREAL)
LOCAL_ONLY = replace(BASE, long_distance="disabled", international="disabled")


@pytest.mark.parametrize("dialed", forms("5145550199"))
def test_a_local_call_in_any_form_rings_the_carrier_for_an_extension_barred_from_long_distance(dialed):
    plan = plan_outbound(dialed, LOCAL_ONLY, ROUTING)
    ring = [step for step in plan.steps if isinstance(step, Ring)]
    assert plan.reason == "local call" and ring[0].targets[0].address == "15145550199"


@pytest.mark.parametrize("dialed", forms("4185550199"))
def test_a_long_distance_call_in_any_form_is_barred_for_it(dialed):
    assert plan_outbound(dialed, LOCAL_ONLY, ROUTING).reason == "long_distance calls disabled"
