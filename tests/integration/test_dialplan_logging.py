"""What the dialplan door logs: refused calls at INFO (support is asked about those), every other
routing decision at DEBUG."""
from __future__ import annotations

from tests.integration.test_settings_support import CALL_101, acme, actions  # noqa: F401


def test_refused_calls_are_logged_at_info_and_routed_calls_at_debug(client, acme, caplog):
    caplog.set_level("DEBUG", logger="pbx.dialplan")
    actions(client, CALL_101)
    actions(client, CALL_101, destination="999")
    found = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "pbx.dialplan"]
    assert [level for level, _ in found] == ["DEBUG", "INFO"]
    assert "destination=999" in found[1][1] and "unknown destination" in found[1][1]
