"""Where fax files live: one folder shared with FreeSWITCH, which reads the TIFFs we render
(``txfax``) and writes the TIFFs it receives (``rxfax``).

Like voicemail (fs_service/audio_storage.py), the control plane and FreeSWITCH may see the
folder at different paths (same host, or an NFS mount): ``PBX_FAX_STORAGE`` is the folder as
this process sees it (default ``<instance>/fax``), ``PBX_FAX_FS_STORAGE`` the same folder as
FreeSWITCH sees it (default: the same path). FreeSWITCH's user must be able to read ``out/``
and write ``in/``; folders are created ``2775`` (setgid, group-writable) for that.

Layout (rows store FreeSWITCH's path for TIFFs, which is what events report, and our own
relative path for PDFs, which FreeSWITCH never touches):
- ``out/<account>/<token>.tif`` + ``.pdf`` — a queued fax: what txfax sends, what the user downloads;
- ``in/rx-<number>-<channel uuid>.tif`` — what rxfax wrote (``${uuid}`` expanded by FreeSWITCH);
- ``in/<account>/<received id>.pdf`` (+ ``.png``, its first page) — the received fax in the inbox.
Files are written to a temporary name then renamed, so a reader never sees half a file.
"""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FOLDER_MODE = 0o2775
OUTBOUND, INBOUND = "out", "in"
_RELATIVE = re.compile(r"(?:out|in)(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,120}){1,3}")


@dataclass(frozen=True)
class FaxStorage:
    local_root: Path
    fs_root: PurePosixPath

    @classmethod
    def from_settings(cls, settings) -> "FaxStorage":
        local = Path(getattr(settings, "fax_storage", "") or Path(settings.instance_path) / "fax").resolve()
        fs = getattr(settings, "fax_fs_storage", "") or str(local)
        return cls(local, PurePosixPath(fs))

    # -- outbound ------------------------------------------------------------------------
    def new_outbound(self, account_id: int) -> str:
        """A fresh relative stem ``out/<account>/<token>`` for one fax's TIFF and PDF."""
        folder = self._folder(OUTBOUND, str(int(account_id)))
        while True:
            token = secrets.token_hex(10)
            if not (folder / f"{token}.tif").exists():
                return f"{OUTBOUND}/{int(account_id)}/{token}"

    def fs_path(self, relative: str) -> str:
        """``relative`` as FreeSWITCH reaches it (what txfax is given)."""
        return str(self.fs_root / _checked(relative))

    def local(self, relative: str) -> Path:
        return self.local_root / _checked(relative)

    def write(self, relative: str, data: bytes) -> Path:
        """Write atomically (temp name + rename) and make it readable by FreeSWITCH's group."""
        path = self.local(relative)
        path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        partial.write_bytes(data)
        os.chmod(partial, 0o664)
        os.replace(partial, path)
        return path

    def read(self, relative: str | None) -> bytes | None:
        if not relative:
            return None
        try:
            return self.local(relative).read_bytes()
        except (OSError, ValueError):
            return None

    def remove(self, relative: str | None) -> None:
        if relative:
            try:
                self.local(relative).unlink(missing_ok=True)
            except (OSError, ValueError):
                pass

    # -- inbound -------------------------------------------------------------------------
    def inbound_tiff_pattern(self, number_id: int) -> str:
        """The rxfax target as FreeSWITCH sees it, ``${uuid}`` left for FreeSWITCH to expand
        (the dialplan expands variables in application data). Pure: the dialplan may be served
        by a web process without the folder; :meth:`prepare` (fax worker) creates ``in/``,
        which rxfax needs (it does not create folders)."""
        return str(self.fs_root / INBOUND / f"rx-{int(number_id)}-${{uuid}}.tif")

    def prepare(self) -> None:
        """Create ``out/`` and ``in/`` (the worker does it at start)."""
        self._folder(OUTBOUND)
        self._folder(INBOUND)

    def relative_from_fs(self, fs_path: str | None) -> str | None:
        """The relative path of a file FreeSWITCH named (``fax_filename``), or None when it is
        outside the folder or not one of our names (an event can never point us elsewhere)."""
        if not fs_path:
            return None
        try:
            relative = PurePosixPath(fs_path).relative_to(self.fs_root)
        except ValueError:
            return None
        text = str(relative)
        return text if _RELATIVE.fullmatch(text) and ".." not in relative.parts else None

    def inbound_pdf(self, account_id: int, received_id: int) -> str:
        return f"{INBOUND}/{int(account_id)}/{int(received_id)}.pdf"

    def thumbnail_of(self, pdf_relative: str) -> str:
        """The first-page preview kept beside a PDF (``.png``)."""
        return _checked(pdf_relative)[:-4] + ".png"

    def _folder(self, *parts: str) -> Path:
        folder = self.local_root.joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        return folder


def _checked(relative: str) -> str:
    if not _RELATIVE.fullmatch(relative or "") or ".." in relative.split("/"):
        raise ValueError(f"not a fax storage path: {relative!r}")
    return relative
