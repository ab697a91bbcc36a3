"""The voicemail dialogues, run by the IVR engine for each call the dialplan hands over.

``pbx_vm_action`` (set by the dialplan) picks the dialogue: ``deposit``, ``login`` or
``closure-record`` (a company number's closure message, HRS-4).
"""
from __future__ import annotations

from typing import Mapping

from ...ivr import Answer, Dialogue, Play, Script
from ..closure_store import ClosureStore
from .closure import closure
from .common import p
from .deposit import deposit
from .retrieval import login


def voicemail_script(store, closures: ClosureStore | None = None) -> Script:
    """The engine script for one process: dialogues bound to ``store`` (store.VoicemailStore)
    and ``closures`` (closure_store.ClosureStore; by default one on the same app)."""
    closures = closures or ClosureStore(store.app)

    def script(variables: Mapping[str, str]) -> Dialogue:
        action = variables.get("pbx_vm_action")
        if action == "deposit":
            return deposit(store, dict(variables))
        if action == "login":
            return login(store, dict(variables))
        if action == "closure-record":
            return closure(closures, dict(variables))
        return _unknown()
    return script


def _unknown() -> Dialogue:
    yield Answer()
    yield Play(p("vm-mailbox-unavailable"))


__all__ = ["voicemail_script", "deposit", "login", "closure"]
