"""A dialed number's toll class does not depend on its form (issue 13), through the recorded
dialplan request of a phone calling out: the account's number is in 514, so 514 (and its
overlay 438) is local in every form and rings the carrier as 11 digits for a phone barred from
long distance, while 418 is long distance in every form and barred."""
from __future__ import annotations

import pytest

from fs_service.db import db
from tests.integration.test_dialplan_requests import CALL_OUT, acme  # noqa: F401 (fixture)
from tests.integration.test_settings_support import actions, bridges

GATEWAY = "sofia/gateway/carrier/"


@pytest.fixture
def local_only(acme):  # noqa: F811
    account, exts = acme
    exts["100"].long_distance = "disabled"
    db.session.commit()
    return exts["100"]


@pytest.mark.parametrize("dialed", ["5145559876", "15145559876", "+15145559876", "95145559876", "4385559876",
                                    "+14385559876"])
def test_a_local_number_in_any_form_goes_out_for_a_phone_barred_from_long_distance(client, local_only, dialed):
    found = bridges(actions(client, CALL_OUT, dialed))
    assert [leg.split("}")[-1] for leg in found] == [GATEWAY + "1" + dialed[-10:]]


@pytest.mark.parametrize("dialed", ["4185559876", "14185559876", "+14185559876", "914185559876"])
def test_a_long_distance_number_in_any_form_is_barred(client, local_only, dialed):
    found = actions(client, CALL_OUT, dialed)
    assert bridges(found) == [] and ("hangup", "OUTGOING_CALL_BARRED") in found
