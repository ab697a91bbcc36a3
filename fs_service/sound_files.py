"""Which audio paths may reach FreeSWITCH (greetings, closure messages, recorded messages).

Plans hand these paths to ``playback`` and to ``ivr.conf`` verbatim (the dialplan renderer
treats plan data as trusted), so the only defence is here: a path is letters, digits, ``_``,
``-``, ``.`` and ``/`` (no ``$`` that FreeSWITCH would expand, no space, no ``..``), ending in
an audio extension FreeSWITCH's sndfile/shout modules play.
"""
from __future__ import annotations

import re

_PATH = re.compile(r"^/?[A-Za-z0-9_-][A-Za-z0-9_./-]*\.(wav|mp3)$")
MAX_LENGTH = 255


def sound_path_problem(path: str | None) -> str | None:
    """Why ``path`` cannot be played, or None when it can."""
    if not path:
        return "required"
    if len(path) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    if not _PATH.match(path) or ".." in path.split("/") or "//" in path:
        return "must be a .wav or .mp3 path made of letters, digits, '_', '-', '.' and '/'"
    return None
