"""Every prompt the voicemail plays exists in both languages, and generation makes valid WAVs."""
from __future__ import annotations

import re
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from fs_service import prompts
from fs_service.voicemail.dialogues.options import GREETINGS

ROOT = Path(__file__).resolve().parents[2]
DIALOGUES = ROOT / "fs_service" / "voicemail" / "dialogues"
DIALPLAN = ROOT / "xml_curl" / "dialplan.py"  # the switch's own fallback when the service is down


def prompt_ids_in_dialogues() -> set[str]:
    """Every literal prompt id in the dialogues (and the dialplan's fallback), plus the greeting
    titles built with an f-string."""
    found: set[str] = set()
    for source in [*DIALOGUES.glob("*.py"), DIALPLAN]:
        found.update(re.findall(r'"(vm-[a-z0-9-]+)"', source.read_text()))
    return (found - {"vm-greeting-"}) | {f"vm-greeting-{kind}" for kind in GREETINGS.values()}


def test_the_dialogues_use_prompts_from_the_table():
    used = prompt_ids_in_dialogues()
    assert len(used) > 40
    assert used <= set(prompts.PROMPTS), sorted(used - set(prompts.PROMPTS))


def test_every_voicemail_prompt_is_used_and_has_both_languages():
    voicemail_ids = {pid for pid in prompts.PROMPTS if pid.startswith("vm-")}
    assert voicemail_ids == prompt_ids_in_dialogues()
    for pid, texts in prompts.PROMPTS.items():
        assert set(texts) == {"fr", "en"} and all(t.strip() for t in texts.values()), pid


def test_unknown_prompt_is_an_error_not_silence():
    with pytest.raises(KeyError):
        prompts.path("vm-does-not-exist")


def generate(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_prompts.py"), "--out", str(tmp_path),
                           *args], check=True, capture_output=True, text=True, timeout=120)


def test_generation_makes_8khz_mono_16bit_speech(tmp_path):
    generate(tmp_path, "--only", "vm-goodbye", "vm-you-have")
    for language in ("fr", "en"):
        for pid in ("vm-goodbye", "vm-you-have"):
            with wave.open(str(tmp_path / language / "pbx" / f"{pid}.wav"), "rb") as audio:
                assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (8000, 1, 2)
                frames = audio.readframes(audio.getnframes())
                assert 0.3 < audio.getnframes() / 8000 < 5
                assert max(abs(int.from_bytes(frames[i:i + 2], "little", signed=True))
                           for i in range(0, len(frames), 2)) > 1000  # not silence


def test_existing_files_are_kept_and_the_freeswitch_layout_matches_vars_xml(tmp_path):
    real = tmp_path / "fr" / "ca" / "june" / "pbx" / "vm-goodbye.wav"
    real.parent.mkdir(parents=True)
    real.write_bytes(b"a real recording")
    out = generate(tmp_path, "--layout", "freeswitch", "--only", "vm-goodbye")
    assert real.read_bytes() == b"a real recording" and "1 kept" in out.stdout
    assert (tmp_path / "en" / "us" / "callie" / "pbx" / "vm-goodbye.wav").is_file()
    vars_xml = (ROOT / "freeswitch-conf" / "vars.xml").read_text()
    assert "sound_prefix_fr=$${sounds_dir}/fr/ca/june" in vars_xml
    assert "sound_prefix_en=$${sounds_dir}/en/us/callie" in vars_xml
