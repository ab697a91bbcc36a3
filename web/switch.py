"""The switches as the web door reaches them: through the core's port, never the ESL door."""
from __future__ import annotations

from flask import current_app

from fs_service.switch_commands import SwitchCommands

EXTENSION_KEY = "pbx.switch_commands"


def switch() -> SwitchCommands:
    """The commands this app's process can send (wired by the app factory)."""
    return current_app.extensions[EXTENSION_KEY]
