"""Uploaded WAV files (closure message, menu greeting) and the speech measure of recordings (HRS-4)."""
from __future__ import annotations

import io
import math
import random
import struct
import wave

import pytest

from fs_service.audio_files import MAX_UPLOAD_BYTES, Audio, AudioProblem, check_upload, speech_seconds


def wav(seconds: float = 1.0, rate: int = 8000, channels: int = 1, width: int = 2, loud: float = 8000.0) -> bytes:
    """A tone (or silence with ``loud=0``) as a WAV file's bytes."""
    out = io.BytesIO()
    frames = bytearray()
    for n in range(int(seconds * rate)):
        value = loud * math.sin(2 * math.pi * 440 * n / rate)
        sample = struct.pack("<h", int(value)) if width == 2 else bytes([int(value / 256) + 128])
        frames += sample * channels
    with wave.open(out, "wb") as audio:
        audio.setnchannels(channels)
        audio.setsampwidth(width)
        audio.setframerate(rate)
        audio.writeframes(bytes(frames))
    return out.getvalue()


def with_format_tag(data: bytes, tag: int) -> bytes:
    position = data.index(b"fmt ") + 8
    return data[:position] + tag.to_bytes(2, "little") + data[position + 2:]


def test_an_8_khz_mono_file_is_kept_as_it_is():
    data = wav(2.0)
    audio = check_upload(data)
    assert (audio.rate, round(audio.seconds, 2)) == (8000, 2.0) and audio.data == data


@pytest.mark.parametrize("channels,width", [(2, 2), (1, 1), (2, 1)])
def test_stereo_and_8_bit_files_become_16_bit_mono_at_the_same_rate(tmp_path, channels, width):
    audio = check_upload(wav(1.0, 16000, channels, width))
    with wave.open(io.BytesIO(audio.data)) as stored:
        assert (stored.getnchannels(), stored.getsampwidth(), stored.getframerate(), stored.getnframes()) == \
            (1, 2, 16000, 16000)
    (tmp_path / "stored.wav").write_bytes(audio.data)
    assert speech_seconds(tmp_path / "stored.wav") == pytest.approx(1.0)  # the voice survived the conversion


BAD = {
    "empty": (b"", "the file is empty"),
    "a PDF named .wav": (b"%PDF-1.4\n" + b"x" * 100, "not a WAV file (RIFF/WAVE audio expected)"),
    "RIFF but AVI": (b"RIFF\x00\x00\x00\x00AVI LIST", "not a WAV file (RIFF/WAVE audio expected)"),
    "a-law compressed": (with_format_tag(wav(), 6), "the WAV file must be uncompressed PCM audio"),
    "44.1 kHz": (wav(0.2, 44100), "the audio must be sampled at 8 kHz or 16 kHz"),
    "no samples": (wav(0.0), "the file holds no audio"),
    "truncated header": (wav()[:30], "the WAV file is damaged"),
    "too big": (b"RIFF" + b"\x00" * MAX_UPLOAD_BYTES, f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB"),
}


@pytest.mark.parametrize("data,problem", BAD.values(), ids=BAD.keys())
def test_bad_uploads_are_refused_with_a_reason(data, problem):
    with pytest.raises(AudioProblem) as refused:
        check_upload(data)
    assert str(refused.value) == problem


def test_random_bytes_never_crash_the_check():
    """Damaged files are either accepted as audio or refused with a reason: nothing else escapes."""
    chance = random.Random(5)
    base = wav(0.5)
    outcomes = set()
    for _ in range(300):
        data = bytearray(base)
        for _ in range(chance.randint(1, 20)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        try:
            result = check_upload(bytes(data[:chance.randint(0, len(data))]))
        except AudioProblem as refused:
            assert str(refused)
            outcomes.add("refused")
        else:
            assert isinstance(result, Audio) and result.data
            outcomes.add("accepted")
    assert outcomes == {"refused", "accepted"}  # the fuzzing reached both sides


SPEECH = {
    "silence": (wav(4.0, loud=0), 0.0),
    "line noise": (wav(4.0, loud=150), 0.0),
    "half a second of voice": (wav(0.5), 0.5),
    "three seconds of voice": (wav(3.0), 3.0),
    "16 kHz voice": (wav(2.0, 16000), 2.0),
}


@pytest.mark.parametrize("data,seconds", SPEECH.values(), ids=SPEECH.keys())
def test_speech_counts_only_loud_frames(tmp_path, data, seconds):
    path = tmp_path / "rec.wav"
    path.write_bytes(data)
    assert speech_seconds(path) == pytest.approx(seconds, abs=0.03)


def test_speech_of_a_missing_or_broken_file_is_none(tmp_path):
    assert speech_seconds(tmp_path / "missing.wav") == 0.0
    (tmp_path / "broken.wav").write_bytes(b"RIFF....WAVEjunk")
    assert speech_seconds(tmp_path / "broken.wav") == 0.0
    assert speech_seconds(None) == 0.0
