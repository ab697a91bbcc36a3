"""The one table of reserved numbers and the suggestion of free extension numbers (EXT-1)."""
from __future__ import annotations

import pytest

from fs_service.numbering import RESERVED, extension_number_problem, suggest


@pytest.mark.parametrize("number", ["311", "511", "911", "211", "8500", "700", "701", "705", "709", "8300"])
def test_reserved_numbers_are_invalid_extensions(number):
    assert extension_number_problem(number).startswith("invalid extension")


@pytest.mark.parametrize("number", ["0", "012", "1", "123456", "12a", "", "１２３"])
def test_malformed_numbers_are_invalid_extensions(number):
    assert extension_number_problem(number).startswith("invalid extension")


@pytest.mark.parametrize("number", ["10", "100", "710", "2000", "99999"])
def test_ordinary_numbers_are_accepted(number):
    assert extension_number_problem(number) is None


def test_suggestions_follow_the_highest_number_and_skip_reserved_ones():
    assert suggest({"100", "101"}, 3) == ["102", "103", "104"]
    assert suggest({"698"}, 3) == ["699", "710", "712"]  # 711 is an N11 code
    assert suggest({"309", "310"}, 2) == ["312", "313"]
    assert suggest(set(), 2) == ["100", "101"]
    assert all(n not in RESERVED for n in suggest({"8498"}, 5))


def test_suggestions_fill_holes_when_the_top_is_full():
    assert suggest({"99999"}, 2) == ["100", "101"]
