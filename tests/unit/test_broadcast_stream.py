"""The web broadcast's stream (fs_service.conferences.broadcast) against a WAV file written the
way mod_sndfile writes one while a room runs: header with placeholder sizes first, audio frames
appended, final sizes (and maybe a trailing chunk) when it closes."""
from __future__ import annotations

import struct

from fs_service.conferences.broadcast import OPEN_ENDED, is_live_file, open_ended_header, parse_header, wav_stream

FMT = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)  # PCM, mono, 8 kHz, 16-bit


def header(data_size: int = 0) -> bytes:
    return b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + FMT \
        + b"data" + struct.pack("<I", data_size)


class GrowingFile:
    """A file the "switch" appends to each time the stream sleeps; closed after ``writes``."""

    def __init__(self, path, writes: list[bytes], trailer: bytes = b"") -> None:
        self.path, self.writes, self.trailer, self.audio = path, list(writes), trailer, b""
        path.write_bytes(b"")

    def sleep(self, _seconds: float) -> None:
        with self.path.open("ab") as out:
            if self.path.stat().st_size == 0:
                out.write(header())
            elif self.writes:
                chunk = self.writes.pop(0)
                self.audio += chunk
                out.write(chunk)
        if not self.writes and self.path.stat().st_size:
            self.close()

    def close(self) -> None:
        with self.path.open("r+b") as out:
            out.seek(0, 2)
            out.write(self.trailer)
            out.seek(0)
            out.write(header(len(self.audio)))

    def running(self) -> bool:
        return bool(self.writes) or self.path.stat().st_size == 0


def test_the_stream_is_an_open_ended_wav_of_every_frame_written_until_the_room_ends(tmp_path):
    # Odd-sized writes: a sample frame (2 bytes) is never split between two chunks sent.
    switch = GrowingFile(tmp_path / "live-1.wav", [b"\x01\x02\x03", b"\x04\x05", b"\x06\x07\x08\x09"],
                         trailer=b"LIST" + struct.pack("<I", 4) + b"abcd")
    out = list(wav_stream(switch.path, switch.running, switch.sleep))
    assert out[0] == open_ended_header(FMT) and out[0][4:8] == struct.pack("<I", OPEN_ENDED)
    assert all(len(part) % 2 == 0 for part in out[1:])
    assert b"".join(out[1:]) == b"\x01\x02\x03\x04\x05\x06\x07\x08"  # the odd last byte is not a frame
    assert b"LIST" not in b"".join(out)  # what follows the audio at close is not sound


def test_a_room_that_never_writes_its_header_gives_an_empty_stream(tmp_path):
    calls = []
    assert list(wav_stream(tmp_path / "missing.wav", lambda: len(calls) < 3, calls.append)) == []


def test_the_header_is_found_only_once_written_up_to_the_audio():
    full = header()
    assert parse_header(full) == (FMT, 44)
    assert parse_header(full[:40]) is None and parse_header(b"") is None
    fact = b"RIFF\0\0\0\0WAVEfmt " + struct.pack("<I", 16) + FMT + b"fact" + struct.pack("<I", 4) + b"\0" * 4 \
        + b"data\0\0\0\0"
    assert parse_header(fact) == (FMT, len(fact))


def test_live_files_are_told_apart_from_room_recordings():
    assert is_live_file("/var/pbx/acme.test/conferences/live-42.wav")
    assert not is_live_file("/var/pbx/acme.test/conferences/room-3-0123abcd.wav")


def test_a_late_listener_starts_a_second_before_the_live_end_on_a_sample_frame(tmp_path):
    path = tmp_path / "live-2.wav"
    path.write_bytes(header() + bytes(range(256)) * 250 + b"\x01")  # 4 s of audio at 16,000 bytes/s, and a byte
    first = list(wav_stream(path, lambda: False, lambda _s: None))
    audio = b"".join(first[1:])
    assert len(audio) == 16000 and audio[:2] == (bytes(range(256)) * 250)[-16000:][:2]
