#!/usr/bin/env python3
"""Generate the PBX prompts (fs_service/prompts.py) as 8 kHz mono 16-bit WAV files with espeak-ng.

    .venv/bin/python scripts/generate_prompts.py                     # → freeswitch-conf/sounds/<lang>/pbx/
    .venv/bin/python scripts/generate_prompts.py --layout freeswitch \\
        --out /usr/share/freeswitch/sounds                           # → the sound_prefix folders of vars.xml

An existing file is kept (it may be a real recording that replaced the generated one) unless
--force. espeak-ng speaks at 22050 Hz; FreeSWITCH's telephone rate is 8000 Hz, so the audio is
resampled here (windowed-sinc low-pass, polyphase) with no other dependency. Numbers and dates
are not generated: FreeSWITCH's ``say`` (mod_say_fr/en) speaks them from the digit files of the
sound packs (freeswitch-sounds-fr-ca-june, -en-us-callie), see freeswitch-conf/sounds/README.md.
"""
from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import wave
from array import array
from operator import mul
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from fs_service.prompts import LANGUAGES, PROMPTS  # noqa: E402

VOICES = {"fr": "fr", "en": "en-us"}
FREESWITCH_PREFIX = {"fr": "fr/ca/june", "en": "en/us/callie"}  # sound_prefix_<lang> in vars.xml
RATE = 8000
TAPS = 64  # per polyphase branch: a sharp cut just under 4 kHz


def speak(text: str, language: str, speed: int) -> tuple[array, int]:
    """espeak-ng's WAV for ``text``: (16-bit samples, sample rate)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", VOICES[language], "-s", str(speed), "-w", str(out), text],
                       check=True, timeout=60, capture_output=True)
        with wave.open(str(out), "rb") as audio:
            if audio.getsampwidth() != 2 or audio.getnchannels() != 1:
                raise SystemExit("espeak-ng did not produce 16-bit mono audio")
            samples = array("h", audio.readframes(audio.getnframes()))
            return samples, audio.getframerate()


def _filter_bank(up: int, down: int) -> list[list[float]]:
    """Windowed-sinc low-pass below the lower Nyquist, split into ``up`` polyphase branches."""
    length = TAPS * up
    cutoff = 0.47 / max(up, down)  # of the upsampled rate, a margin below the 4 kHz Nyquist
    centre = (length - 1) / 2
    taps = []
    for m in range(length):
        x = m - centre
        sinc = 2 * cutoff if x == 0 else math.sin(2 * math.pi * cutoff * x) / (math.pi * x)
        window = 0.42 - 0.5 * math.cos(2 * math.pi * m / (length - 1)) + 0.08 * math.cos(4 * math.pi * m / (length - 1))
        taps.append(sinc * window * up)
    return [taps[phase::up] for phase in range(up)]


def resample(samples: array, source: int, target: int = RATE) -> array:
    """Rational resampling source → target (e.g. 22050 → 8000 = ×160 / 441)."""
    if source == target:
        return samples
    divisor = math.gcd(source, target)
    up, down = target // divisor, source // divisor
    bank = _filter_bank(up, down)
    padded = [0] * TAPS + list(samples)
    out = array("h")
    for n in range(len(samples) * up // down):
        position = n * down
        phase, base = position % up, position // up + TAPS
        window = padded[base - TAPS + 1:base + 1][::-1]
        value = sum(map(mul, window, bank[phase]))
        out.append(max(-32768, min(32767, int(round(value)))))
    return out


def write_wav(path: Path, samples: array, rate: int = RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(samples.tobytes())


def target(out: Path, layout: str, language: str, prompt_id: str) -> Path:
    folder = out / (FREESWITCH_PREFIX[language] if layout == "freeswitch" else language)
    return folder / "pbx" / f"{prompt_id}.wav"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "freeswitch-conf" / "sounds")
    parser.add_argument("--layout", choices=("plain", "freeswitch"), default="plain",
                        help="plain: <out>/<lang>/pbx; freeswitch: <out>/fr/ca/june/pbx, <out>/en/us/callie/pbx")
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    parser.add_argument("--only", nargs="+", metavar="ID", help="just these prompt ids")
    parser.add_argument("--speed", type=int, default=150, help="espeak-ng words per minute")
    parser.add_argument("--force", action="store_true", help="overwrite existing files (real recordings too)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only or []) - set(PROMPTS))
    if unknown:
        parser.error(f"unknown prompt ids: {', '.join(unknown)}")
    made = kept = 0
    for prompt_id in args.only or sorted(PROMPTS):
        for language in args.lang:
            path = target(args.out, args.layout, language, prompt_id)
            if path.exists() and not args.force:
                kept += 1
                continue
            samples, rate = speak(PROMPTS[prompt_id][language], language, args.speed)
            write_wav(path, resample(samples, rate))
            made += 1
    print(f"prompts: {made} generated, {kept} kept, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
