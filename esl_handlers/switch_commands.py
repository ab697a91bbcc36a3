"""The ESL door's answer to the core's :class:`fs_service.switch_commands.SwitchCommands`: the
commands the web door sends while a person waits, over this process's ESL connections (the
listener's when it runs here, a short connection otherwise). Wired by pbx/app.py."""
from __future__ import annotations

from flask import Flask

from fs_service.conferences.dialout import DialOut
from fs_service.conferences.live import MemberCommand
from fs_service.models import Conference
from fs_service.status.click_to_call import OriginateRequest
from fs_service.switch_commands import CommandResult

from . import calls, conference_control


class EslSwitchCommands:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def knows_node(self, node: str) -> bool:
        return conference_control.knows_node(self.app, node)

    def place_call(self, request: OriginateRequest) -> CommandResult:
        return calls.place_call(self.app, request)

    def call_into_room(self, call: DialOut) -> CommandResult:
        return conference_control.call_into_room(self.app, call)

    def control(self, command: MemberCommand) -> CommandResult:
        return conference_control.control(self.app, command)

    def set_recording(self, room: Conference, on: bool) -> CommandResult | None:
        return conference_control.set_recording(self.app, room, on)

    def end_room(self, room: Conference) -> CommandResult | None:
        return conference_control.end_now(self.app, room)
