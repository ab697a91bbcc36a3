"""Call park (PARK-1, PARK-2): the lot plan the dialplan uses, and the parked calls shown.

mod_valet_parking keeps lots in memory and creates one on first use; the lot name is the
account's SIP domain, so two accounts parking at once each get their own 701 and a call is
never retrievable from another tenant. Events and ``valet_info`` are mapped here as plain data;
park.events writes them.

Several FreeSWITCH nodes: each node's mod_valet_parking has its own lots, unaware of the
others'. 700 takes the lowest slot free *on the node the call is on*, so the same account can
hold 701 on fs1 and 701 on fs2 at once; both are kept (one row per node, lot and slot) and
shown with their node. Dialing 701 runs ``valet_park <lot> auto out 701 701`` on the node that
handles the retrieving call, which only sees its own lot: a call parked on another node is not
found there (the retriever hears ``valet_lot_empty``). So an account's phones should all reach
the same node (register them to one node, or have the SIP proxy in front pick the node by
domain); the status view names the node of each parked call so an operator can tell.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, NamedTuple

import sqlalchemy as sa
from lxml import etree

from ..db import db, utcnow
from ..models import Account, ParkedCall
from ..models._columns import as_utc

Headers = Mapping[str, str]
PARK_EXTENSION = "700"
FIRST_SLOT, LAST_SLOT = 701, 709
DEFAULT_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class ParkPlan:
    """What the dialplan needs for 700 (``valet_park <lot> auto in 701 709``) and 701-709."""

    lot: str
    park_extension: str
    first_slot: int
    last_slot: int
    timeout_seconds: int  # valet_parking_timeout: then the call rings back (orbit)

    @property
    def slots(self) -> list[str]:
        return [str(n) for n in range(self.first_slot, self.last_slot + 1)]


_SIP_USER = re.compile(r"sips?:([^@;>]+)@", re.IGNORECASE)  # the user part of a SIP URI


def blind_transferred_to(refer_to: str | None, destination: str | None) -> bool:
    """Whether a phone's blind transfer sent this channel to ``destination`` (700).

    mod_sofia copies the REFER's Refer-To onto the transferred channel as ``sip_refer_to``
    (with the Referred-By) before it re-enters the dialplan. On an *internal* call the party
    transferred is itself an authenticated phone of the account: without this check it would
    look like a phone that dialed 700 itself, be taken for its own parker and be "rung back"
    on its own extension. Only a Refer-To naming this very destination counts: an earlier
    blind transfer to another number leaves its Refer-To on the channel."""
    found = _SIP_USER.search(refer_to or "")
    return bool(destination) and found is not None and found.group(1) == destination


def park_plan_parameters(domain: str, timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS) -> ParkPlan:
    """The lot of the account whose SIP domain this is; ``timeout_seconds`` comes from the
    settings (park_timeout_seconds)."""
    return ParkPlan(domain, PARK_EXTENSION, FIRST_SLOT, LAST_SLOT, timeout_seconds)


class ParkHold(NamedTuple):
    lot: str
    slot: str
    uuid: str
    caller_number: str = ""
    caller_name: str = ""
    parked_by: str | None = None
    parked_at: float | None = None  # epoch seconds


class ParkLeave(NamedTuple):
    lot: str
    slot: str
    uuid: str


@dataclass(frozen=True)
class ParkSnapshot:
    """One node's lots (``valet_info``) and the calls parked in them."""

    lots: tuple[str, ...]
    holds: tuple[ParkHold, ...]


def valet_event(event: Headers) -> ParkHold | ParkLeave | None:
    """CUSTOM ``valet_parking::info``: Action ``hold`` (parked), ``bridge`` (retrieved; still
    the parked channel's data) or ``exit`` (left the lot: retrieved, timed out or hung up)."""
    lot, slot = (event.get("Valet-Lot-Name") or "").lower(), event.get("Valet-Extension")
    action, uuid, direction = event.get("Action"), event.get("Unique-ID"), event.get("Call-Direction")
    if not (lot and slot and uuid):
        return None
    if action == "hold":
        name, number = event.get("Caller-Caller-ID-Name") or "", event.get("Caller-Caller-ID-Number") or ""
        # Our park plan names who parked the call as its ring-back extension (also for a
        # blind-transferred caller); else the parked leg is the parker only when it is an
        # authenticated phone that dialed 700 -- not one a phone blind-transferred there.
        dialed = direction == "inbound" and not blind_transferred_to(
            event.get("variable_sip_refer_to"), event.get("Caller-Destination-Number"))
        own = event.get("variable_valet_parking_orbit_exten") or (
            event.get("variable_user_name") if dialed else None)
        return ParkHold(lot, slot, uuid, number[:40], name[:80], own[:10] if own else None, time.time())
    if action in ("bridge", "exit"):
        return ParkLeave(lot, slot, uuid)
    return None


def parse_valet_info(xml: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """``valet_info`` output: ``<lots><lot name=L><extension uuid=U>701</extension>..``.

    Returns [(lot, [(slot, uuid), ...])]. mod_valet_parking prints names unescaped; ours are
    SIP domains, which need none.
    """
    root = etree.fromstring(xml.strip().encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    lots = []
    for lot in root.iter("lot"):
        slots = [((ext.text or "").strip(), ext.get("uuid", "")) for ext in lot.iter("extension")]
        lots.append(((lot.get("name") or "").lower(), [(s, u) for s, u in slots if s and u]))
    return lots


def snapshot_from(valet_xml: str, channel_rows: Iterable[Mapping[str, str]]) -> ParkSnapshot:
    """Caller number and name come from the ``show channels`` row of the parked uuid; an
    empty ``valet_xml`` (module not loaded) means no lot at all."""
    channels = {row.get("uuid"): row for row in channel_rows if row.get("uuid")}
    holds, names = [], []
    for lot, slots in parse_valet_info(valet_xml) if valet_xml.strip() else []:
        names.append(lot)
        for slot, uuid in slots:
            row = channels.get(uuid, {})
            created = row.get("created_epoch") or ""
            holds.append(ParkHold(lot, slot, uuid, (row.get("cid_num") or "")[:40],
                                  (row.get("cid_name") or "")[:80], None,
                                  float(created) if created.isdigit() else None))
    return ParkSnapshot(tuple(names), tuple(holds))


@dataclass(frozen=True)
class ParkedCallView:
    slot: str
    node: str  # the FreeSWITCH node whose lot holds it: only that node's phones can take it
    caller_number: str
    caller_name: str
    parked_by: str | None
    parked_at: datetime
    duration_seconds: int


def parked_calls(account: Account, now: datetime | None = None) -> list[ParkedCallView]:
    """The account's parked calls by slot then node, with how long each has waited (PARK-2)."""
    now = now or utcnow()
    rows = db.session.scalars(sa.select(ParkedCall).where(ParkedCall.account_id == account.id,
                                                          ParkedCall.lot == account.sip_domain))
    views = []
    for row in rows:
        parked_at = as_utc(row.created_at)
        views.append(ParkedCallView(row.slot, row.node, row.caller_number, row.caller_name, row.parked_by,
                                    parked_at, max(0, int((now - parked_at).total_seconds()))))
    return sorted(views, key=lambda v: (len(v.slot), v.slot, v.node))
