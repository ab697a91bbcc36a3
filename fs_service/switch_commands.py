"""What a door may ask the switches to do at once, and how they answered.

The web door places click-to-call calls and drives running conferences, but doors never import
each other: it asks through this port, and the process wires the ESL door's implementation to it
(pbx/app.py → esl_handlers/switch_commands.py). Changes that can wait go through the outbox
(fs_service/outbox.py) instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the port names the core's own request types; nothing is imported at run time
    from .conferences.dialout import DialOut
    from .conferences.live import MemberCommand
    from .models import Conference
    from .status.click_to_call import OriginateRequest


@dataclass(frozen=True)
class CommandResult:
    """Outcome of one command: ok is False when FreeSWITCH answered -ERR or -USAGE (or could not
    be reached: the body says why)."""

    ok: bool
    body: str
    job_id: str | None = None


class SwitchCommands(Protocol):
    """Commands answered while the person waits; each is audited in their name by the door."""

    def knows_node(self, node: str) -> bool:
        """Whether ``node`` is one of this process's switches (a call's node may be stale)."""

    def place_call(self, request: OriginateRequest) -> CommandResult:
        """Click-to-call: start ``request``; ok once FreeSWITCH accepted the job."""

    def call_into_room(self, call: DialOut) -> CommandResult:
        """Dial a participant out into a running conference."""

    def control(self, command: MemberCommand) -> CommandResult:
        """Mute, unmute or kick one member of a running conference."""

    def set_recording(self, room: Conference, on: bool) -> CommandResult | None:
        """Start or stop the recording of a running room (None: the room is not running)."""

    def end_room(self, room: Conference) -> CommandResult | None:
        """Hang up everyone in a running room: it ends now (None: the room is not running)."""
