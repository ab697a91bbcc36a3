"""MACs as people type them (DEV-1), and the time zone data phones get, without a database."""
from __future__ import annotations

import pytest

from fs_service.errors import ValidationFailed
from fs_service.phones.provisioning import posix_tz
from fs_service.phones.rules import check_timezone, normalise_mac


@pytest.mark.parametrize("typed", ["00:15:65:AA:BB:CC", "00-15-65-aa-bb-cc", "0015.65aa.bbcc", "001565AABBCC",
                                   " 00 15 65 aa bb cc ", "00:15:65:aa:BB:cc"])
def test_common_spellings_of_a_mac_are_stored_as_12_lowercase_hex_digits(typed):
    assert normalise_mac(typed) == "001565aabbcc"


@pytest.mark.parametrize("typed, why", [
    ("", "empty"), ("00:15:65:AA:BB", "11 digits"), ("00:15:65:AA:BB:CC:DD", "14 digits"),
    ("00:15:65:AA:BB:CG", "not hex"), ("00_15_65_AA_BB_CC", "unknown separator"),
    ("00:00:00:00:00:00", "all zeros"), ("01:00:5E:00:00:01", "multicast"), ("ff:ff:ff:ff:ff:ff", "broadcast"),
])
def test_anything_else_is_refused_naming_the_mac_field(typed, why):
    with pytest.raises(ValidationFailed) as refused:
        normalise_mac(typed)
    assert list(refused.value.details) == ["mac"], why


def test_time_zones_are_iana_names_and_phones_get_their_posix_rule():
    assert check_timezone("America/Toronto") == "America/Toronto"
    with pytest.raises(ValidationFailed):
        check_timezone("Mars/Olympus")
    assert posix_tz("America/Toronto") == "EST5EDT,M3.2.0,M11.1.0"
    assert posix_tz("No/Such_Zone") == ""
