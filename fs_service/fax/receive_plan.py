"""How a call to a fax number is answered (FAX-7), as call-plan data for the public planner.

The public planner (fs_service/callplan/public.py) decides *that* a call goes to the fax; this
says *how*: :class:`~fs_service.callplan.steps.ReceiveFax` (rendered by xml_curl/dialplan.py
to T.38 on, answer, ``rxfax <file>``) then hang up. The file is in the shared fax storage as
FreeSWITCH sees it, named per number and channel (``${uuid}``, expanded by FreeSWITCH), and the
number id rides on the channel (``pbx_fax_number_id``) so the rxfaxresult event finds it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from fax.storage import FaxStorage

if TYPE_CHECKING:
    from ..callplan.steps import Step


def _storage(fs_root: str | None) -> FaxStorage:
    from pathlib import Path, PurePosixPath

    if fs_root:
        return FaxStorage(Path(fs_root), PurePosixPath(fs_root))
    from flask import current_app, has_app_context

    if has_app_context():
        return FaxStorage.from_settings(current_app.config["PBX"])
    from pbx.config import Settings
    return FaxStorage.from_settings(Settings())  # pure planner tests: the default layout


def fax_receive_steps(number, fs_root: str | None = None) -> list["Step"]:
    """Steps answering a call to ``number`` (anything with an ``id``: NumberEntry, PhoneNumber).

    The steps module is imported here, not at the top: fs_service/callplan/public.py imports
    this module, and importing the callplan package from here first would be a cycle."""
    from ..callplan.steps import Hangup, ReceiveFax
    path = _storage(fs_root).inbound_tiff_pattern(int(number.id))
    return [ReceiveFax(number_id=int(number.id), path=path), Hangup()]
