"""Call park plans (PARK-1): 700 parks in the account's own lot, 701–709 retrieve.

Who parked the call decides where a timed-out call rings back:
- a phone of the account that dialed 700 itself (directly, or as the consultation call of an
  attended transfer: FreeSWITCH then moves the original caller into the slot with the same
  ring-back variables) parked it;
- a blind transfer puts the *other* party in our context: a guest (a customer), or on an
  internal call another phone of the account, authenticated itself but not its own parker
  (it carries the REFER's Refer-To, ``sip_refer_to``, see parking.blind_transferred_to). The
  transferring phone is named by the REFER's Referred-By header, which mod_sofia copies onto
  the transferred channel as ``sip_h_Referred-By``. Only an extension of this account is
  believed; without one the call waits until someone retrieves it (or hangs up) -- nobody to
  ring back.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .model import CallRequest, ExtensionSnapshot
from .steps import Answer, Hangup, Park, Plan, RetrieveParked, Transfer

REFERRED_BY = "sip_h_Referred-By"
REFER_TO = "sip_refer_to"  # the REFER's Refer-To, copied by mod_sofia like Referred-By
_SIP_USER = re.compile(r"sips?:([^@;>]+)@([^;>:?]*)", re.IGNORECASE)
DEFAULT_MUSIC = "default"

if TYPE_CHECKING:
    from ..parking import ParkPlan


def referred_by(req: CallRequest, domain: str | None = None) -> str:
    """The extension number in the Referred-By of a blind transfer ("" when absent).

    mod_sofia (sofia.c, ``sofia_handle_sip_i_refer``, blind branch) copies the REFER's
    Referred-By header verbatim onto the transferred channel as ``sip_h_Referred-By`` (and the
    Refer-To as ``sip_refer_to``) before ``switch_ivr_session_transfer``; the header is written
    by the transferring phone. With ``domain``, a URI whose host is another domain names
    nobody: an extension number alone would let a phone of another account borrow ours.
    A softphone SIP user "101-2" transfers as extension 101 (same rule as the caller's)."""
    found = _SIP_USER.search(req.var(REFERRED_BY))
    if found is None or (domain is not None and found.group(2).lower() != domain.lower()):
        return ""
    return found.group(1).split("-", 1)[0]


def plan_park(destination: str, lot: "ParkPlan", context: str, caller: ExtensionSnapshot | None,
              transferor: ExtensionSnapshot | None = None) -> Plan | None:
    """The plan for 700 or a slot of ``lot``; None when ``destination`` is neither.

    Answer first: a parked call may wait minutes, longer than an unanswered INVITE lives.
    After the park step (reached only on a full lot or # pressed) a transferred caller rings
    the extension that parked it; the parker's own phone just hangs up."""
    if destination == lot.park_extension:
        parker = caller or transferor
        park = Park(lot.lot, lot.first_slot, lot.last_slot,
                    timeout=lot.timeout_seconds if parker else 0,
                    return_to=parker.number if parker else None, return_context=context if parker else None,
                    music=parker.music_on_hold if parker else DEFAULT_MUSIC)
        after = Transfer(transferor.number, context) if caller is None and transferor else Hangup()
        return Plan.of(Answer(), park, after, reason="call park")
    if destination in lot.slots:
        return Plan.of(Answer(), RetrieveParked(lot.lot, int(destination)), Hangup(),
                       reason="call park retrieve")
    return None
