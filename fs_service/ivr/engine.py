"""The IVR state machine: a dialogue is a generator; the engine feeds it events.

A dialogue reads like the call it describes (``choice = yield GetDigits(...)``) while the
engine keeps the protocol strict and pure: exactly one command out per event in, hangups and
timeouts turned into exceptions thrown into the dialogue (so it can still save a recording),
a dialogue that forgets to hang up is hung up for it, and a bug in a dialogue ends the call
cleanly instead of leaving the caller in silence. No I/O here: the outbound socket server
(esl_handlers/outbound) and the tests drive it the same way.
"""
from __future__ import annotations

import logging
from typing import Callable, Generator, Mapping

from .commands import LEAVES_CALL, Command, End, Hangup
from .events import CallEnded, CommandTimedOut, Event, HungUp, Started, Timeout

log = logging.getLogger("pbx.ivr")

Dialogue = Generator[Command, Event, None]
Script = Callable[[Mapping[str, str]], Dialogue]


class Ivr:
    """One call's dialogue. ``start`` then ``feed`` until the command is :class:`End`."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._dialogue: Dialogue | None = None
        self._left_call = False  # a Transfer/Hangup was issued: nothing more to do on the channel
        self.finished = False

    def start(self, variables: Mapping[str, str]) -> Command:
        """First command of the dialogue for a call with these channel variables."""
        self._dialogue = self._script(dict(variables))
        return self._advance(lambda d: next(d))

    def feed(self, event: Event) -> Command:
        """The outcome of the last command; returns the next command (End when over)."""
        if self.finished or self._dialogue is None:
            return End()
        if isinstance(event, Started):
            raise ValueError("Started is given to start(), not feed()")
        if self._left_call:
            return self._close()
        if isinstance(event, HungUp):
            return self._end_with(CallEnded("caller hung up"), hang_up=False)
        if isinstance(event, Timeout):
            return self._end_with(CommandTimedOut("command did not complete"), hang_up=True)
        return self._advance(lambda d: d.send(event))

    # -- internals -----------------------------------------------------------------------
    def _advance(self, step: Callable[[Dialogue], Command]) -> Command:
        try:
            command = step(self._dialogue)
        except StopIteration:
            return self._finish_politely()
        except CallEnded:
            return self._close()
        except Exception:
            log.exception("ivr dialogue failed; hanging up")
            return self._hang_up()
        if isinstance(command, End):
            return self._finish_politely()
        if isinstance(command, LEAVES_CALL):
            self._left_call = True
        return command

    def _end_with(self, error: CallEnded, hang_up: bool) -> Command:
        """Let the dialogue clean up (save a recording…); whatever it yields is ignored."""
        try:
            self._dialogue.throw(error)
        except (StopIteration, CallEnded):
            pass
        except Exception:
            log.exception("ivr dialogue failed while ending")
        return self._hang_up() if hang_up else self._close()

    def _finish_politely(self) -> Command:
        return self._close() if self._left_call else self._hang_up()

    def _hang_up(self) -> Command:
        self._left_call = True
        self._dialogue_close()
        return Hangup()

    def _close(self) -> Command:
        self._dialogue_close()
        self.finished = True
        return End()

    def _dialogue_close(self) -> None:
        if self._dialogue is not None:
            try:
                self._dialogue.close()
            except Exception:  # a finally block that fails must not hide the call's end
                log.exception("ivr dialogue failed while closing")
