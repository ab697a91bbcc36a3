"""Pieces shared by the voicemail dialogues: prompt files, language, recording, goodbyes."""
from __future__ import annotations

from typing import Generator

from ... import prompts
from ...ivr import Command, Event, Play, Record, RecordDone, SetVar
from ...ivr.steps import menu

Sub = Generator[Command, Event, object]
LANGUAGES = ("fr", "en")
BEEP = "tone_stream://%(500,0,800)"
SILENCE_SECONDS = 3  # of silence ends a recording (the `record` application's silence hits)


def p(*prompt_ids: str) -> tuple[str, ...]:
    """Prompt files (KeyError for an id missing from the table: caught by the tests)."""
    return tuple(prompts.path(prompt_id) for prompt_id in prompt_ids)


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else "fr"


def use_language(language: str) -> Sub:
    """Prompts (``pbx/<id>.wav`` under ``sound_prefix``) in ``language`` from now on; the global
    ``sound_prefix_<lang>`` comes from vars.xml (a channel variable lookup falls back to globals)."""
    yield SetVar("sound_prefix", f"${{sound_prefix_{language_of(language)}}}")


def record(store, path: str, max_seconds: int) -> Sub:
    """Beep, record; returns the seconds recorded (from the file when FreeSWITCH did not say)."""
    yield Play((BEEP,))
    event = yield Record(path, max_seconds, silence_seconds=SILENCE_SECONDS)
    seconds = event.seconds if isinstance(event, RecordDone) else 0.0
    return seconds or store.seconds_of(path)


def choose(files: tuple[str, ...], keys: str, tries: int = 3, timeout_ms: int = 5000) -> Sub:
    """A menu; after a wrong key or silence "Invalid choice" and the menu again, ``tries`` times.
    With one try (review menus, where silence means "go on") nothing is said on silence."""
    invalid = prompts.path("vm-invalid-choice") if tries > 1 else ""
    return (yield from menu(files, keys, tries=tries, invalid_file=invalid, timeout_ms=timeout_ms))
