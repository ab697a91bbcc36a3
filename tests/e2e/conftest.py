"""Real-switch tier: two FreeSWITCH 1.11 processes and ``pbx run`` for the whole session.

Without a FreeSWITCH (no bundle beside the project, none on the PATH, no PBX_TEST_FREESWITCH)
the tier is skipped with that reason — except under CI (``CI`` set), where it fails: CI must
never pass without having run it. When a test fails, the switches' and the control plane's
logs are copied to ``.cache/e2e-logs/`` (and the run folder is printed).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .calls import hang_up_everything
from .rig import Rig, keep_logs, wait_for
from .switch import ROOT, find_freeswitch
from .world import build_world

LOGS = ROOT / ".cache" / "e2e-logs"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.timeout(300))


@pytest.fixture(scope="session")
def freeswitch_command() -> list[str]:
    command, why = find_freeswitch()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail(f"real-switch tier cannot run under CI: {why}")
        pytest.skip(f"real-switch tier skipped: {why}")
    return command


@pytest.fixture(scope="session")
def rig(freeswitch_command, tmp_path_factory, request):
    root = tmp_path_factory.mktemp("e2e-rig")
    rig = Rig(root, freeswitch_command)
    failed_before = request.session.testsfailed
    try:
        rig.start_control_plane()
        rig.start_sut()
        rig.world = build_world(rig.operator, rig.peer_sip_port)
        rig.start_peer(rig.world.phones())
        wait_for(lambda: _all_registered(rig), 30, what="every phone registered")
        yield rig
    finally:
        if request.session.testsfailed > failed_before or not getattr(rig, "world", None):
            print(f"\nreal-switch tier logs: {keep_logs(rig, LOGS)} (run folder {root})")
        rig.stop()


def _all_registered(rig: Rig) -> bool:
    """Both sides agree: the switch under test lists each phone, and each phone got its 200 OK."""
    reg = rig.sut.api("sofia status profile internal reg")
    gateways = rig.peer.api("sofia status gateway")
    return (all(f"User:       \t{p.user}@{p.domain}" in reg for p in rig.phones)
            and gateways.count("REGED") == len(rig.phones))


@pytest.fixture(autouse=True)
def calm_switches(request):
    """Every scenario starts and ends with no call on either switch."""
    if "rig" not in request.fixturenames:
        yield
        return
    rig = request.getfixturevalue("rig")
    hang_up_everything(rig.sut, rig.peer)
    yield
    hang_up_everything(rig.sut, rig.peer)


@pytest.fixture(scope="session")
def world(rig):
    return rig.world


@pytest.fixture
def settings(rig, world):
    """PATCH an extension's settings for one test and put the old values back after it."""
    saved = []

    def change(number: str, **values):
        path = f"/accounts/{world.acme.id}/extensions/{world.acme.extensions[number]['id']}/settings"
        before = rig.operator.get(path)
        saved.append((path, {k: before[k] for k in values}))
        return rig.operator.patch(path, values)

    yield change
    for path, values in reversed(saved):
        rig.operator.patch(path, values)
