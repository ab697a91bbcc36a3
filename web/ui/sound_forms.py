"""Upload forms for sounds (closure message, menu greeting): the core's and the schema's English
sentences shown in the visitor's language, next to the file input they concern."""
from __future__ import annotations

from flask_babel import gettext
from marshmallow import ValidationError

from fs_service.audio_files import MAX_SECONDS, MAX_UPLOAD_BYTES
from fs_service.errors import PbxError

from ..messages import N_
from .common import error_map

MEGABYTES = MAX_UPLOAD_BYTES // (1024 * 1024)
MESSAGES = {
    "not a WAV file (RIFF/WAVE audio expected)": N_("This is not a WAV file (RIFF/WAVE audio expected)."),
    "the WAV file must be uncompressed PCM audio": N_("The WAV file must be uncompressed PCM audio."),
    "the WAV file is damaged": N_("The WAV file is damaged."),
    "the WAV file must be 8- or 16-bit, mono or stereo": N_("The WAV file must be 8- or 16-bit, mono or stereo."),
    "the audio must be sampled at 8 kHz or 16 kHz": N_("The audio must be sampled at 8 kHz or 16 kHz."),
    "MP3 files are not accepted (the switch cannot play them): export the audio as WAV":
        N_("MP3 files are not accepted (the phone system cannot play them): export the audio as WAV."),
    "the file is empty": N_("Choose a file: this one is empty."),
    "the file holds no audio": N_("The file holds no audio."),
    "not a file upload": N_("Choose a file."),
    "Missing data for required field.": N_("Choose a file."),
}
WITH_LIMIT = {
    f"the file is larger than {MEGABYTES} MB": (N_("The file is larger than %(num)s MB."), MEGABYTES),
    f"the audio is longer than {MAX_SECONDS} seconds": (N_("The audio is longer than %(num)s seconds."), MAX_SECONDS),
}


def _translated(message: str) -> str:
    if message in MESSAGES:
        return gettext(MESSAGES[message])
    if message in WITH_LIMIT:
        text, number = WITH_LIMIT[message]
        return gettext(text, num=number)
    return message


def upload_errors(exc: ValidationError | PbxError, field: str) -> dict[str, list[str]]:
    """Per-field messages, the upload's own under ``field`` (the input's name in the page)."""
    raw = error_map(exc, {"file": field})
    originals = exc.messages if isinstance(exc, ValidationError) else (exc.details or {})
    if isinstance(originals, dict) and "file" in originals:
        raw[field] = [_translated(str(m)) for m in originals["file"]]
    return raw


def upload_hint() -> str:
    return gettext("A WAV file, 8 or 16 kHz, at most %(num)s MB (stereo and 8-bit files are converted).",
                   num=MEGABYTES)
