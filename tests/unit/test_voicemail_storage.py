"""The shared voicemail folder: FreeSWITCH's paths mapped to ours, nothing outside it."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from fs_service.audio_storage import Storage


def storage(tmp_path: Path) -> Storage:
    return Storage(tmp_path / "local", PurePosixPath("/var/lib/freeswitch/storage/voicemail"))


def test_a_new_recording_is_named_for_freeswitch_and_its_folder_exists_here(tmp_path):
    found = storage(tmp_path)
    path = found.new_recording("acme.test", "101", "msg")
    assert path.startswith("/var/lib/freeswitch/storage/voicemail/acme.test/101/msg-") and path.endswith(".wav")
    assert found.local_path(path).parent.is_dir()
    assert found.local_path(path).parent == tmp_path / "local" / "acme.test" / "101"


@pytest.mark.parametrize("outside", ["/etc/passwd", "/var/lib/freeswitch/storage/voicemail/../x.wav", "", None])
def test_paths_outside_the_folder_map_to_nothing(tmp_path, outside):
    assert storage(tmp_path).local_path(outside) is None


@pytest.mark.parametrize("domain,box", [("../etc", "101"), ("acme.test", "1/2"), ("", "101")])
def test_unsafe_names_never_make_a_path(tmp_path, domain, box):
    with pytest.raises(ValueError):
        storage(tmp_path).new_recording(domain, box, "msg")


def test_remove_is_quiet_for_missing_files(tmp_path):
    found = storage(tmp_path)
    path = found.new_recording("acme.test", "101", "msg")
    found.local_path(path).write_bytes(b"RIFF")
    found.remove(path)
    found.remove(path)
    assert not found.local_path(path).exists()


def test_defaults_to_the_instance_folder_seen_the_same_by_both(tmp_path):
    class Settings:
        instance_path = str(tmp_path)
        voicemail_storage = ""
        voicemail_fs_storage = ""

    found = Storage.from_settings(Settings())
    assert found.local_root == (tmp_path / "voicemail").resolve() and str(found.fs_root) == str(found.local_root)
