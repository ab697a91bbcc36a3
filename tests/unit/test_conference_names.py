"""Recorded names of a room announcing its members (fs_service.conferences.names): found again
from the channel uuid alone, played only when the caller said something."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from fs_service.audio_storage import Storage
from fs_service.conferences import names

UUID = "c0d31572-4c00-4eb5-be41-51d314be896a"


def storage(tmp_path: Path) -> Storage:
    """The folder seen at another path by FreeSWITCH (PBX_VOICEMAIL_FS_STORAGE)."""
    return Storage(tmp_path, PurePosixPath("/var/lib/pbx/voicemail"))


def test_the_name_file_is_where_freeswitch_sees_the_folder_and_its_folder_exists(tmp_path):
    path = names.name_file("acme.test", UUID, storage(tmp_path))
    assert path == f"/var/lib/pbx/voicemail/acme.test/conferences/name-{UUID}.wav"
    assert (tmp_path / "acme.test" / "conferences").is_dir()  # ``record`` does not create folders


def test_only_a_name_with_sound_is_played(tmp_path):
    where = storage(tmp_path)
    assert names.recorded_name("acme.test", UUID, where) is None  # nothing recorded
    local = tmp_path / "acme.test" / "conferences" / f"name-{UUID}.wav"
    local.write_bytes(b"RIFF" + bytes(names.WAV_HEADER - 4))  # the caller said nothing
    assert names.recorded_name("acme.test", UUID, where) is None
    local.write_bytes(b"RIFF" + bytes(800))
    assert names.recorded_name("acme.test", UUID, where) == names.name_file("acme.test", UUID, where)


@pytest.mark.parametrize("domain, uuid", [("acme.test", "../../etc/passwd"), ("acme.test", ""),
                                          ("../acme", UUID), ("acme..test", UUID)])
def test_nothing_outside_the_folder_can_be_named(tmp_path, domain, uuid):
    assert not names.valid(domain, uuid) and names.recorded_name(domain, uuid, storage(tmp_path)) is None
    with pytest.raises(ValueError):
        names.name_file(domain, uuid, storage(tmp_path))
