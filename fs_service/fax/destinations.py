"""Where a fax may go: the dialing rules and the sender's toll classes, as for a call (EXT-4).

The destination is read by the same North American rules as a dialed call
(fs_service.calls.dialing.classify, with the account's local area codes as its calls see
them: ``5145550199``, ``15145550199`` and ``+15145550199`` are one number of one class). Then:
- **911** (emergency) and the **N11 services** (211, 311, 511, 611, 711, 811, and 411
  directory assistance) are no fax machines: refused;
- **local** and **toll-free** numbers: always allowed (as for calls);
- **long distance** and **international** obey the sender's toll class on their extension
  (``long_distance`` / ``international``: disabled / with code / unlimited). A user with several
  extensions gets the most open of them (they could place the call from any of those phones);
  a user with no extension has no toll class to rely on: local and toll-free only.
- **"with code" is a refusal for a fax**: the access code is typed by a person when the call
  starts (callplan.outbound), and a fax has nobody to type it — nor do we store codes to replay
  them. The admin sets the class to "unlimited" on the extension to let its user fax there.
Checked when a fax is submitted and again when one is sent again (rights may have changed);
every refusal is a 400 naming ``destination``.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from ..calls.context import account_local_areas
from ..calls.dialing import EMERGENCY, INTERNATIONAL, LONG_DISTANCE, SERVICE, Dialed, classify
from ..calls.outbound import toll_mode
from ..db import db
from ..errors import ValidationFailed
from ..models import Account, Extension, User

FIELD = "destination"
_SEPARATORS = re.compile(r"[\s().-]")
_OPENNESS = {"disabled": 0, "code": 1, "unlimited": 2}
_REFUSED = {
    "disabled": {LONG_DISTANCE: "long-distance faxes are not allowed for your extension",
                 INTERNATIONAL: "international faxes are not allowed for your extension"},
    "code": {LONG_DISTANCE: "long-distance calls need an access code on your extension, and a fax cannot type one; "
                            "ask your administrator",
             INTERNATIONAL: "international calls need an access code on your extension, and a fax cannot type one; "
                            "ask your administrator"},
    "none": {LONG_DISTANCE: "you have no extension allowing long-distance calls",
             INTERNATIONAL: "you have no extension allowing international calls"},
}


def fax_destination(account: Account, user: User, destination: str) -> Dialed:
    """What the carrier gateway dials for this fax and its toll class (kept on the job for a
    later "send again"), or a refusal naming ``destination``."""
    dialed = classify(_SEPARATORS.sub("", destination or ""), account_local_areas(account.id))
    if dialed is None:
        raise ValidationFailed.field(FIELD, "not a fax number we can call")
    if dialed.toll_class == EMERGENCY:
        raise ValidationFailed.field(FIELD, "emergency numbers (911) cannot receive a fax", error_id="fax_emergency")
    if dialed.toll_class == SERVICE or len(dialed.carrier_number) <= 3:
        raise ValidationFailed.field(FIELD, "service numbers such as 311 or 511 cannot receive a fax",
                                     error_id="fax_service_number")
    require_toll_class(account, user, dialed.toll_class)
    return dialed


def require_toll_class(account: Account, user: User, toll_class: str) -> None:
    """Long distance and international need "unlimited" on one of the sender's extensions."""
    if toll_class in (LONG_DISTANCE, INTERNATIONAL):
        mode = sender_toll_mode(account, user, toll_class)
        if mode != "unlimited":
            raise ValidationFailed.field(FIELD, _REFUSED[mode][toll_class], error_id="fax_toll_refused")


def sender_toll_mode(account: Account, user: User, toll_class: str) -> str:
    """disabled | code | unlimited — the most open among the user's extensions — or ``none``."""
    extensions = db.session.scalars(sa.select(Extension).where(
        Extension.account_id == account.id, Extension.user_id == user.id))
    modes = [toll_mode(ext, toll_class) for ext in extensions]  # reads long_distance / international only
    return max(modes, key=_OPENNESS.__getitem__) if modes else "none"
