"""A small reusable IVR engine: dialogues as generators of channel commands (data)."""
from .commands import Answer, Bridge, Command, End, GetDigits, Hangup, Play, Record, Say, SetVar, Transfer
from .engine import Dialogue, Ivr, Script
from .events import CallEnded, CommandTimedOut, Digits, Done, Event, HungUp, PlaybackDone, RecordDone, Started, Timeout

__all__ = ["Answer", "Bridge", "Command", "End", "GetDigits", "Hangup", "Play", "Record", "Say", "SetVar",
           "Transfer", "Dialogue", "Ivr", "Script", "CallEnded", "CommandTimedOut", "Digits", "Done",
           "Event", "HungUp", "PlaybackDone", "RecordDone", "Started", "Timeout"]
