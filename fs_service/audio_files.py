"""WAV audio the PBX accepts from people, and how much speech a recording holds. Pure: bytes in,
bytes or numbers out, no database, no Flask.

**Uploads** (closure messages, welcome menu greetings) must be WAV by *content* (a RIFF/WAVE
header with a PCM ``fmt`` chunk), whatever the file is called, at 8 or 16 kHz — the rates
FreeSWITCH's phone codecs run at, so it plays them without resampling. Two differences are
converted because it is exact and simple with the standard library: stereo becomes mono (the
channels averaged) and 8-bit samples become 16-bit. Other rates are refused with a clear
message rather than resampled here (a good resampler is not "simple"; any audio editor exports
8 or 16 kHz). The stored file is always PCM 16-bit mono.

**MP3 is refused**, with its own message: the switch loads mod_sndfile and mod_native_file, not
mod_shout (freeswitch-conf/autoload_configs/modules.conf.xml), so it cannot play MP3, and the
installed system has no converter (no sox, no ffmpeg); any audio editor exports WAV.

**Speech** (HRS-4 "recording a short silence disables the message"): FreeSWITCH's ``record``
reports the file's length, not how much of it was voice, and a caller who says nothing still
leaves seconds of line noise. :func:`speech_seconds` counts the 20 ms frames whose mean
absolute amplitude passes :data:`SPEECH_LEVEL` — the same energy measure the ``record``
application uses for its silence detection (switch_ivr.c, threshold 200 in our Record command).
"""
from __future__ import annotations

import io
import struct
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

RATES = (8000, 16000)
MAX_UPLOAD_BYTES = 8 * 1024 * 1024  # about 4 minutes at 16 kHz, 8 at 8 kHz
MAX_SECONDS = 300
SPEECH_LEVEL = 200  # mean |sample| of a 20 ms frame (16-bit scale) above which it is voice
FRAME_SECONDS = 0.02
WAVE_FORMAT_PCM = 1
MP3_REFUSED = "MP3 files are not accepted (the switch cannot play them): export the audio as WAV"


class AudioProblem(ValueError):
    """Why an upload is refused (a stable English sentence, shown next to the field)."""


@dataclass(frozen=True)
class Audio:
    """Checked audio, ready to store: ``data`` is a PCM 16-bit mono WAV file."""
    data: bytes
    rate: int
    seconds: float


def _pcm_format(data: bytes) -> int | None:
    """The ``fmt`` chunk's format tag, read from the RIFF chunks (None when there is none)."""
    position = 12
    while position + 8 <= len(data):
        size = int.from_bytes(data[position + 4:position + 8], "little")
        if data[position:position + 4] == b"fmt ":
            return int.from_bytes(data[position + 8:position + 10], "little") if size >= 2 else None
        position += 8 + size + (size & 1)
    return None


def _samples(frames: bytes, width: int) -> array:
    """16-bit signed samples from 8-bit unsigned or 16-bit little-endian ones."""
    if width == 1:
        return array("h", ((b - 128) << 8 for b in frames))
    samples = array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _mono(samples: array, channels: int) -> array:
    if channels == 1:
        return samples
    return array("h", (sum(samples[i:i + channels]) // channels for i in range(0, len(samples), channels)))


def _wav_bytes(samples: array, rate: int) -> bytes:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(samples.tobytes())
    return out.getvalue()


def _looks_like_mp3(data: bytes) -> bool:
    """An ID3 tag, or an MPEG audio frame header (11 sync bits, layer bits not 00)."""
    return data[:3] == b"ID3" or (len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0
                                  and data[1] & 0x06 != 0)


def _read(data: bytes) -> tuple[array, int, int]:
    """(mono 16-bit samples, rate, original channel count) of a WAV file's bytes."""
    if _looks_like_mp3(data):
        raise AudioProblem(MP3_REFUSED)
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioProblem("not a WAV file (RIFF/WAVE audio expected)")
    if _pcm_format(data) != WAVE_FORMAT_PCM:
        raise AudioProblem("the WAV file must be uncompressed PCM audio")
    try:
        with wave.open(io.BytesIO(data), "rb") as audio:
            channels, width, rate = audio.getnchannels(), audio.getsampwidth(), audio.getframerate()
            frames = audio.readframes(audio.getnframes())
    except (wave.Error, EOFError, RuntimeError, ValueError, OverflowError, struct.error) as exc:
        # the wave module reports a lying chunk size as RuntimeError/struct.error (found by fuzzing)
        raise AudioProblem("the WAV file is damaged") from exc
    if width not in (1, 2) or channels not in (1, 2):
        raise AudioProblem("the WAV file must be 8- or 16-bit, mono or stereo")
    return _mono(_samples(frames[:len(frames) - len(frames) % (width * channels)], width), channels), rate, channels


def check_upload(data: bytes) -> Audio:
    """The upload as a PCM 16-bit mono WAV, or :class:`AudioProblem` saying what is wrong."""
    if not data:
        raise AudioProblem("the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise AudioProblem(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    samples, rate, _channels = _read(data)
    if rate not in RATES:
        raise AudioProblem("the audio must be sampled at 8 kHz or 16 kHz")
    seconds = len(samples) / rate
    if not samples:
        raise AudioProblem("the file holds no audio")
    if seconds > MAX_SECONDS:
        raise AudioProblem(f"the audio is longer than {MAX_SECONDS} seconds")
    return Audio(_wav_bytes(samples, rate), rate, seconds)


def speech_in(samples: array, rate: int) -> float:
    """Seconds of 20 ms frames louder than :data:`SPEECH_LEVEL`."""
    size = max(int(rate * FRAME_SECONDS), 1)
    loud = sum(1 for start in range(0, len(samples) - size + 1, size)
               if sum(abs(s) for s in samples[start:start + size]) > SPEECH_LEVEL * size)
    return loud * size / float(rate or 1)


def speech_seconds(path: Path | None) -> float:
    """Seconds of voice in a recorded WAV file; 0 when it is missing or unreadable."""
    try:
        samples, rate, _channels = _read(path.read_bytes()) if path is not None else (array("h"), 1, 1)
    except (OSError, AudioProblem):
        return 0.0
    return speech_in(samples, rate)
