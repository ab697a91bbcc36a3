"""The ESL facade: one small method per FreeSWITCH command, replies parsed into results.

Command strings come only from commands.py / originate.py builders; the facade sends them
over one EslConnection and parses the reply: CommandResult (ok / body / job id) for actions,
plain rows for queries. Slow commands (originate) go through ``bgapi`` with our own Job-UUID,
and the BACKGROUND_JOB event carrying that id resolves the job (its output is the event's
inner body, NOTES §9.6); a job that never reports becomes an error result after its timeout.
Every wait is bounded by the connection's timeout.
"""
from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any, Callable

from gevent.event import AsyncResult
from gevent.timeout import Timeout

from fs_service.switch_commands import CommandResult

from . import commands, originate as originate_cmd
from .commands import parse_api_response
from .connection import EslConnection
from .errors import EslUnavailable

Then = Callable[[Any], Any]


class EslCommandError(Exception):
    """FreeSWITCH answered a query with an error or with output we cannot parse."""


class Job:
    """A bgapi job: ``job_id`` at once, ``result()`` when its BACKGROUND_JOB arrives."""

    def __init__(self, facade: "EslFacade", job_id: str, waiter: AsyncResult, timeout: float) -> None:
        self.job_id, self._facade, self._waiter, self._timeout = job_id, facade, waiter, timeout

    @property
    def ready(self) -> bool:
        """True once the job reported (or was refused at once)."""
        return self._waiter.ready()

    def result(self, timeout: float | None = None) -> CommandResult:
        wait = self._timeout if timeout is None else timeout
        try:
            return self._waiter.get(timeout=wait)
        except Timeout:
            self._facade._jobs.pop(self.job_id, None)
            return CommandResult(False, f"-ERR no BACKGROUND_JOB within {wait:g}s", self.job_id)
        except EslUnavailable as exc:
            return CommandResult(False, f"-ERR {exc.reason}", self.job_id)


class EslFacade:
    def __init__(self, conn: EslConnection, timeout: float | None = None) -> None:
        self.conn = conn
        self.timeout = conn.timeout if timeout is None else timeout
        self._jobs: dict[str, AsyncResult] = {}
        conn.register_handle("BACKGROUND_JOB", self._job_done)
        conn.register_handle("DISCONNECT", self._connection_lost)

    @property
    def node_name(self) -> str:
        return self.conn.node.name

    # -- plumbing ----------------------------------------------------------------------
    def _api(self, command: str, timeout: float | None = None, then: Then | None = None):
        """``api`` a command; ``then(result)`` runs in the reader in stream order (see
        EslConnection.send) and its value is returned instead of the CommandResult."""
        wait = self.timeout if timeout is None else timeout

        def parse(reply) -> object:
            result = parse_api_response(reply.data)
            return then(result) if then else result

        return self.conn.send(f"api {command}", timeout=wait, on_reply=parse)

    def _json_rows(self, command: str, timeout: float | None, then: Then | None) -> object:
        def rows(result: CommandResult) -> object:
            try:
                data = json.loads(result.body) if result.ok else None
            except ValueError:
                data = None
            if not isinstance(data, dict):
                raise EslCommandError(f"{command}: {result.body[:120]!r}")
            found = [row for row in data.get("rows", []) if isinstance(row, dict)]  # none: no "rows"
            return then(found) if then else found

        return self._api(command, timeout, rows)

    def bgapi(self, command: str, timeout: float) -> Job:
        job_id, waiter = str(uuidlib.uuid4()), AsyncResult()
        self._jobs[job_id] = waiter  # before sending: the event may follow the reply closely
        try:
            reply = self.conn.send(f"bgapi {command}", headers={"Job-UUID": job_id}, timeout=self.timeout)
        except EslUnavailable:
            self._jobs.pop(job_id, None)
            raise
        if not reply.data.startswith("+OK"):
            self._jobs.pop(job_id, None)
            waiter.set(CommandResult(False, reply.data, job_id))
        return Job(self, job_id, waiter, timeout)

    def _job_done(self, event) -> None:
        waiter = self._jobs.pop(event.get("Job-UUID") or "", None)
        if waiter is not None:
            result = parse_api_response(event.body)
            waiter.set(CommandResult(result.ok, result.body, event.get("Job-UUID")))

    def _connection_lost(self, error: EslUnavailable) -> None:
        jobs, self._jobs = self._jobs, {}
        for waiter in jobs.values():
            waiter.set_exception(error)

    # -- session -----------------------------------------------------------------------
    def subscribe(self, names: list[str], subclasses: list[str]) -> None:
        """``event plain A B CUSTOM x::y``: every word after CUSTOM is a subclass (NOTES §6)."""
        reply = self.conn.send(commands.event_subscription(names, subclasses))
        if not reply.data.startswith("+OK"):
            raise EslCommandError(f"event subscription refused: {reply.data[:120]!r}")

    def run_batch(self, command_lines: list[str]) -> list[CommandResult]:
        """Run pre-built commands (outbox intents) in order; on failure the exception's
        ``completed`` holds the answers received so far."""
        results: list[CommandResult] = []
        for line in command_lines:
            try:
                results.append(self._api(line))
            except EslUnavailable as exc:
                exc.completed = list(results)
                raise
        return results

    # -- one method per command ----------------------------------------------------------
    def send_event(self, name: str, headers: dict[str, str]) -> CommandResult:
        """``sendevent NAME`` with its headers; FreeSWITCH fires it (``+OK <event uuid>``)."""
        reply = self.conn.send(commands.sendevent(name), headers=headers)
        return CommandResult(reply.data.startswith("+OK"), reply.data)

    def status(self, timeout: float | None = None) -> CommandResult:
        return self._api(commands.status(), timeout)

    def xml_flush_cache(self, user: str, domain: str) -> CommandResult:
        return self._api(commands.xml_flush_cache(user, domain))

    def check_sync(self, user: str, domain: str, profile: str = commands.DEFAULT_PROFILE) -> CommandResult:
        return self._api(commands.sofia_check_sync(profile, user, domain))

    def kill_gateway(self, name: str, profile: str) -> CommandResult:
        return self._api(commands.sofia_killgw(profile, name))

    def rescan_profile(self, profile: str) -> CommandResult:
        return self._api(commands.sofia_profile_rescan(profile))

    def show_registrations(self, timeout: float | None = None, then: Then | None = None):
        """Rows of ``show registrations as json`` (``then(rows)``'s value when given)."""
        return self._json_rows(commands.show_registrations(), timeout, then)

    def show_channels(self, timeout: float | None = None, then: Then | None = None):
        """Rows of ``show channels as json`` (``then(rows)``'s value when given)."""
        return self._json_rows(commands.show_channels(), timeout, then)

    def valet_info(self, lot: str | None = None, timeout: float | None = None, then: Then | None = None):
        """The lots as XML; "" when mod_valet_parking is not loaded (then nothing is parked)."""
        def lots(result: CommandResult) -> object:
            if result.ok and result.body.lstrip().startswith("<lots"):
                xml = result.body
            elif "Command not found" in result.body:
                xml = ""
            else:
                raise EslCommandError(f"valet_info: {result.body[:120]!r}")
            return then(xml) if then else xml

        return self._api(commands.valet_info(lot), timeout, lots)

    def originate(self, request, timeout: float | None = None) -> Job:
        """bgapi originate (it blocks until answer); the job ends with ``+OK <uuid>`` or
        ``-ERR <CAUSE>`` such as USER_NOT_REGISTERED."""
        wait = timeout if timeout is not None else request.ring_seconds + self.timeout
        return self.bgapi(originate_cmd.originate(request), wait)

    def uuid_exists(self, uuid: str, timeout: float | None = None) -> bool:
        """True only when FreeSWITCH answers ``true`` (an error or anything else: no such channel)."""
        result = self._api(commands.uuid_exists(uuid), timeout)
        return result.ok and result.body.strip() == "true"

    def uuid_kill(self, uuid: str, cause: str = "NORMAL_CLEARING") -> CommandResult:
        return self._api(commands.uuid_kill(uuid, cause))

    def uuid_transfer(self, uuid: str, destination: str, context: str, leg: str = "") -> CommandResult:
        return self._api(commands.uuid_transfer(uuid, destination, context, leg))

    def conference_list(self, name: str) -> CommandResult:
        return self._api(commands.conference_list(name))

    def conference_kick(self, name: str, member_id: int) -> CommandResult:
        return self._api(commands.conference_kick(name, member_id))

    def conference_mute(self, name: str, member_id: int, mute: bool = True) -> CommandResult:
        return self._api(commands.conference_mute(name, member_id, mute))
