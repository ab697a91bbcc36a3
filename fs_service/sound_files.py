"""Which sounds an account may play to its callers (greetings, closure messages, message
treatments) — the one rule, used when a setting is saved and again when a call is planned.

Plans hand these paths to ``playback`` and to ``ivr.conf`` verbatim (the dialplan renderer
treats plan data as trusted), and FreeSWITCH opens whatever it is given: any file the switch can
read, ``$${…}``/``${…}`` expansions, ``http://``/``shout://``/``tone_stream://``/``shell://``
and other file-format prefixes. So a path is playable only when it is exactly one of:

- a **shipped prompt**: ``pbx/<id>.wav`` for an id of :data:`fs_service.prompts.PROMPTS`
  (relative to the channel's ``sound_prefix``, i.e. its language);
- one of **this account's own sounds** in the shared storage folder (fs_service.numbers.sound_uploads):
  ``<fs root>/<account's SIP domain>/number-<id>/closure-<hex>.wav`` or ``…/menu-<id>/greeting-<hex>.wav``,
  i.e. an upload, or a closure message recorded by phone (8400). Voicemail messages and
  greetings (``<domain>/<box digits>/…``), other tenants' folders and every other file are refused.

Only WAV: uploads are stored as PCM 16-bit mono WAV (fs_service.audio_files) and the switch loads
mod_sndfile and mod_native_file but not mod_shout, so an MP3 would not play.
"""
from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

from .audio_storage import current_storage
from .prompts import PROMPTS

log = logging.getLogger("pbx.sound_files")

MAX_LENGTH = 255
RULE = "must be one of this account's uploaded sounds or a shipped prompt (pbx/<name>.wav)"
_PROMPT = re.compile(r"pbx/([a-z0-9-]{1,64})\.wav")
_OWNER = re.compile(r"(number|menu)-[1-9][0-9]{0,17}")
_FILE = {"number": re.compile(r"closure-[0-9a-f]{32}\.wav"), "menu": re.compile(r"greeting-[0-9a-f]{32}\.wav")}


def is_shipped_prompt(path: str) -> bool:
    match = _PROMPT.fullmatch(path)
    return match is not None and match.group(1) in PROMPTS


def is_own_sound(domain: str, path: str, fs_root: PurePosixPath | str) -> bool:
    """True when ``path`` is exactly an upload (or by-phone closure message) of ``domain``."""
    root = PurePosixPath(fs_root)
    parts = PurePosixPath(path).parts
    if not domain or len(parts) != len(root.parts) + 3:
        return False
    tenant, owner, name = parts[len(root.parts):]
    folder = _OWNER.fullmatch(owner)
    # Compared as written (no "..", no "//", nothing before the root): the root is the operator's
    # setting, every other part is matched strictly, so nothing FreeSWITCH expands can slip in.
    return (tenant == domain and folder is not None and _FILE[folder.group(1)].fullmatch(name) is not None
            and path == str(root / tenant / owner / name))


def playable_problem(domain: str, path: str | None, fs_root: PurePosixPath | str) -> str | None:
    """Why account ``domain`` may not play ``path`` (a stable English sentence), None when it may."""
    if not path:
        return "required"
    if len(path) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    if is_shipped_prompt(path) or is_own_sound(domain, path, fs_root):
        return None
    return RULE


def sound_problem(domain: str, path: str | None) -> str | None:
    """:func:`playable_problem` against the running app's storage folder (as FreeSWITCH sees it)."""
    return playable_problem(domain, path, current_storage().fs_root)


def playable_or_none(domain: str, path: str | None, what: str) -> str | None:
    """At call time: ``path`` if the account may play it, else None (and a warning) — a row saved
    before the rule existed, or edited behind the core's back, is skipped, never played."""
    if path and sound_problem(domain, path) is None:
        return path
    if path:
        log.warning("sound not played (not the account's nor a shipped prompt) domain=%s %s path=%r",
                    domain, what, path)
    return None
