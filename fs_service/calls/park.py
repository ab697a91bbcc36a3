"""Call park plans (PARK-1): 700 parks in the account's own lot, 701–709 retrieve.

Who parked the call decides where a timed-out call rings back:
- a phone of the account that dialed 700 itself (directly, or as the consultation call of an
  attended transfer: FreeSWITCH then moves the original caller into the slot with the same
  ring-back variables) parked it;
- a blind transfer puts the *other* party in our context: a guest (a customer), or on an
  internal call another phone of the account, authenticated itself but not its own parker
  (it carries the REFER's Refer-To, ``sip_refer_to``, see parking.blind_transferred_to). The
  transferring phone is the leg it was last bridged to (:func:`transferor`), never what the
  REFER's Referred-By says. Only an extension of this account counts; without one the call
  waits until someone retrieves it (or hangs up) -- nobody to ring back.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .model import CallRequest, ExtensionSnapshot
from .steps import Answer, Hangup, Park, Plan, RetrieveParked, Transfer

REFER_TO = "sip_refer_to"  # the REFER's Refer-To, copied by mod_sofia onto the transferred leg
LAST_BRIDGE_TO = "last_bridge_to"  # set by FreeSWITCH's core on each bridged leg: the other leg's uuid
DEFAULT_MUSIC = "default"

if TYPE_CHECKING:
    from ..park.lot import ParkPlan


class LegOwners(Protocol):
    def bridged_extension(self, leg_uuid: str) -> ExtensionSnapshot | None: ...


def transferor(req: CallRequest, directory: "LegOwners") -> ExtensionSnapshot | None:
    """The extension that blind-transferred this channel, from data no phone can write.

    A phone's REFER makes mod_sofia transfer the *other* leg into our dialplan; that leg keeps
    ``last_bridge_to``, which FreeSWITCH's core sets to the uuid of the leg it was bridged to
    (src/switch_ivr_bridge.c) -- the transferring phone's leg. Its owner is read from the live
    channel table the ESL listener fills from CREATE events (authenticated ``user_name`` or our
    own ``dialed_user``), restricted to this account. The REFER's Referred-By is never believed:
    the transferring phone writes it (mod_sofia copies it verbatim as ``sip_h_Referred-By``), so
    a phone without long distance could name a colleague who has it (issue 14.1)."""
    leg = req.var(LAST_BRIDGE_TO)
    return directory.bridged_extension(leg) if leg else None


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
