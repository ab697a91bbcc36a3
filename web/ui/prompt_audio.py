"""The shipped prompts' audio for the pages' players (a "recorded message" treatment chooses
among them, web/ui/numbers_form.py): the WAV files ``make prompts`` generates under
``freeswitch-conf/sounds/<language>/pbx/`` (scripts/generate_prompts.py, plain layout) -- the
same text FreeSWITCH plays from its own copy. Any logged-in person may listen: they are the
product's prompts, no tenant's data. A prompt not generated on this host is a 404."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, send_file

from fs_service.errors import NotFound
from fs_service.prompts import LANGUAGES, PROMPTS

from .common import login_required

PROMPT_SOUNDS = Path(__file__).resolve().parents[2] / "freeswitch-conf" / "sounds"
bp = Blueprint("prompt_audio", __name__)


@bp.get("/prompts/<language>/<prompt_id>.wav")
@login_required
def audio(language: str, prompt_id: str):
    if language not in LANGUAGES or prompt_id not in PROMPTS:  # never a path built from free input
        raise NotFound("no such prompt")
    path = PROMPT_SOUNDS / language / "pbx" / f"{prompt_id}.wav"
    if not path.is_file():
        raise NotFound("this prompt was not generated on this server (make prompts)")
    response = send_file(path, mimetype="audio/wav", conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
