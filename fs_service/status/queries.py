"""Live extension status (STAT-1, STAT-2): Available / In call / Disconnected.

Computed on read from the rows the ESL listener keeps (registrations, channels), so every web
worker sees the same answer: one query for those, plus the account's roster (extensions, names,
softphones) kept per process under the directory token. A poll's cost is paid on the event loop
of ``pbx run`` that also handles FreeSWITCH's events (bench/switch/README.md, "Where the
status lag goes"): eight queries a poll became four, the roster's rows changing rarely.

A SIP user maps to an extension by number, or through the softphones table (softphone SIP
users are "<ext>-<n>", DEV-2). A registration counts until its ``expires_at``, so a phone that
vanished without unregistering turns disconnected by itself.

:func:`live_status` is one account's live view (STAT-1, STAT-2, PARK-2): extension states,
parked calls and whether FreeSWITCH is reachable, read together for the status page, its push
stream and the REST API.

A node is shown up only if its listener says connected *and* saw it recently: the listener
refreshes ``last_seen_at`` at every probe, so a ``pbx esl`` process that died without marking
its node down (its row still says connected) shows down after ``STALE_PROBES`` probe intervals.

:func:`live_version` is the cheap question a push stream asks every tick ("may anything shown
have changed?"): one query of one row, built from the account's live token (renewed by the
status stores with every write, touch_domains), its directory token (renewed when an
extension, user or softphone changes, directory_versions) and the configured nodes' health.
The one thing that changes with time alone, a registration passing its ``expires_at``, is
covered by ``LiveStatus.expires_next``.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Iterable

import sqlalchemy as sa

from ..caches import TokenCache
from ..db import db, utcnow
from ..errors import ValidationFailed
from ..models import Account, ActiveChannel, CallVersion, Extension, NodeStatus, Registration, Softphone, User
from ..models._columns import as_utc
from ..models.live import LiveVersion
from ..park.lot import ParkedCallView, parked_calls
from .events import BUSY_STATES

AVAILABLE, IN_CALL, DISCONNECTED = "available", "in_call", "disconnected"
STATES = (AVAILABLE, IN_CALL, DISCONNECTED)
SORTS = ("number", "name")


@dataclass(frozen=True)
class ExtensionState:
    extension_id: int
    number: str
    name: str
    state: str
    registrations: int
    active_calls: int


@dataclass(frozen=True)
class Roster:
    """The account's extensions as the status lists them, and which SIP user is whose phone.

    Built from the directory only (extensions, users, softphones), so it is kept per account
    with the directory token (renewed in the same transaction as any change of those rows,
    directory_versions): a poll of the status reads it from memory and asks the database only
    for what changes with calls and registrations.
    """
    extensions: tuple[tuple[int, str, str], ...]  # (id, number, name shown)
    owners: dict[str, str]  # SIP user name -> extension number (own user and softphones, DEV-2)


def _load_roster(account_id: int) -> Roster:
    numbers = dict(db.session.execute(sa.select(Extension.id, Extension.number)
                                      .where(Extension.account_id == account_id)).all())
    owners = {number: number for number in numbers.values()}
    for username, ext_id in db.session.execute(
            sa.select(Softphone.sip_username, Softphone.extension_id)
            .where(Softphone.account_id == account_id)):
        if ext_id in numbers:
            owners[username] = numbers[ext_id]
    rows = db.session.execute(
        sa.select(Extension.id, Extension.number, Extension.caller_id_name, User.first_name,
                  User.last_name)
        .outerjoin(User, User.id == Extension.user_id).where(Extension.account_id == account_id))
    extensions = tuple((ext_id, number, cid_name or f"{first or ''} {last or ''}".strip())
                       for ext_id, number, cid_name, first, last in rows)
    return Roster(extensions, owners)


_rosters: TokenCache[int, Roster] = TokenCache("status.rosters", _load_roster, 20000)  # account id + directory token
_DIRECTORY_TOKEN = sa.select(CallVersion.directory_token).where(CallVersion.account_id == sa.bindparam("a"))


def roster(account: Account) -> Roster:
    """The account's roster: one indexed read of its directory token, the rest from memory
    while the token holds (the roster is read after its token, so never older than it)."""
    return _rosters.get(account.id, db.session.scalar(_DIRECTORY_TOKEN, {"a": account.id}))


@dataclass(frozen=True)
class LiveCounts:
    """What calls and registrations change: per extension number, read in one query."""
    registrations: Counter
    calls: Counter
    next_expiry: datetime | None  # when the first live registration expires (None: none does)


def _live_query() -> sa.CompoundSelect:
    """One round trip for both live parts (built once: building it costs more than running it)."""
    domain, now = sa.bindparam("domain"), sa.bindparam("now", type_=Registration.expires_at.type)
    regs = (sa.select(sa.literal_column("'r'"), Registration.sip_user, sa.func.count(Registration.id),
                      sa.func.min(Registration.expires_at))
            .where(Registration.sip_domain == domain,
                   sa.or_(Registration.expires_at.is_(None), Registration.expires_at > now))
            .group_by(Registration.sip_user))
    calls = (sa.select(sa.literal_column("'c'"), ActiveChannel.sip_user, sa.func.count(ActiveChannel.uuid),
                       sa.null())
             .where(ActiveChannel.sip_domain == domain, ActiveChannel.state.in_(sorted(BUSY_STATES)))
             .group_by(ActiveChannel.sip_user))
    return sa.union_all(regs, calls)


_LIVE = _live_query()


def live_counts(account: Account, owners: dict[str, str], now: datetime | None = None) -> LiveCounts:
    """Live registrations (expired ones excluded) and busy channels per extension of the account,
    with the first registration expiry: a phone then shows disconnected with no event at all."""
    found, expiry = {"r": Counter(), "c": Counter()}, None
    rows = db.session.execute(_LIVE, {"domain": account.sip_domain, "now": now or utcnow()})
    for kind, sip_user, count, expires in rows:
        if sip_user in owners:
            found[kind][owners[sip_user]] += count
        if expires is not None and (expiry is None or expires < expiry):
            expiry = expires
    return LiveCounts(found["r"], found["c"], as_utc(expiry))


def _state_of(registrations: int, calls: int) -> str:
    if calls:
        return IN_CALL
    return AVAILABLE if registrations else DISCONNECTED


def _sort_key(sort: str):
    by_number = lambda s: (len(s.number), s.number)  # noqa: E731 - "99" before "100"
    if sort == "name":
        return lambda s: (s.name.casefold() or "\uffff", *by_number(s))
    return by_number


def check_filters(state: str | None, sort: str) -> None:
    """Raises ValidationFailed naming ``state`` or ``sort`` when it is not one of the choices."""
    if state is not None and state not in STATES:
        raise ValidationFailed.field("state", f"must be one of {', '.join(STATES)}")
    if sort not in SORTS:
        raise ValidationFailed.field("sort", f"must be one of {', '.join(SORTS)}")


def states_of(people: Roster, counts: LiveCounts, *, state: str | None = None, search: str = "",
              sort: str = "number") -> list[ExtensionState]:
    """The roster's extensions with their live state, filtered, searched and sorted (filters
    already checked)."""
    needle = search.strip().casefold()
    result = []
    for ext_id, number, name in people.extensions:
        regs, calls = counts.registrations[number], counts.calls[number]
        item = ExtensionState(ext_id, number, name, _state_of(regs, calls), regs, calls)
        if state and item.state != state:
            continue
        if needle and needle not in number.casefold() and needle not in name.casefold():
            continue
        result.append(item)
    return sorted(result, key=_sort_key(sort))


def extension_states(account: Account, *, state: str | None = None, search: str = "",
                     sort: str = "number", now: datetime | None = None) -> list[ExtensionState]:
    """Every extension of the account with its live state, filtered, searched and sorted.

    ``search`` matches the number or the name, case-insensitively; ``state`` is one of STATES.
    """
    check_filters(state, sort)
    people = roster(account)
    return states_of(people, live_counts(account, people.owners, now), state=state, search=search, sort=sort)


STALE_PROBES = 3


@dataclass(frozen=True)
class NodeHealth:
    name: str
    up: bool
    since: datetime | None  # when it last went up or down
    error: str | None  # why it is down, as the listener recorded it ("" when only stale)


@dataclass(frozen=True)
class LiveStatus:
    extensions: list[ExtensionState]
    parked: list[ParkedCallView]
    nodes: list[NodeHealth]
    expires_next: datetime | None = None  # first registration to expire: the view changes then

    @property
    def nodes_down(self) -> list[NodeHealth]:
        return [n for n in self.nodes if not n.up]

    def counts(self) -> dict[str, int]:
        found = {AVAILABLE: 0, IN_CALL: 0, DISCONNECTED: 0}
        for ext in self.extensions:
            found[ext.state] += 1
        return found

    def fingerprint(self) -> str:
        """Changes exactly when something shown changes. A parked call's duration is shown
        from its start time (the browser ticks it), so time passing alone changes nothing."""
        parked = [(p.slot, p.node, p.caller_number, p.caller_name, p.parked_by, p.parked_at.isoformat())
                  for p in self.parked]
        nodes = [(n.name, n.up) for n in self.nodes]
        data = json.dumps([[asdict(e) for e in self.extensions], parked, nodes], default=str)
        return hashlib.sha1(data.encode()).hexdigest()


def node_health(names: Iterable[str], probe_seconds: float, now: datetime | None = None) -> list[NodeHealth]:
    """Health of the configured nodes, in the given order; a node never recorded is down."""
    names = list(names)
    now = now or utcnow()
    rows = {r.name: r for r in db.session.scalars(sa.select(NodeStatus).where(NodeStatus.name.in_(names)))}
    horizon = now - timedelta(seconds=STALE_PROBES * probe_seconds)
    found = []
    for name in names:
        row = rows.get(name)
        if row is None:
            found.append(NodeHealth(name, False, None, "never connected"))
            continue
        seen = as_utc(row.last_seen_at or row.last_change_at)
        fresh = seen is not None and seen >= horizon
        error = None if row.connected and fresh else (row.last_error or "")
        found.append(NodeHealth(name, bool(row.connected and fresh), as_utc(row.last_change_at), error))
    return found


def live_status(account: Account, node_names: Iterable[str], probe_seconds: float, *,
                state: str | None = None, search: str = "", sort: str = "number",
                now: datetime | None = None) -> LiveStatus:
    """Raises ValidationFailed (state / sort named) like status.extension_states."""
    check_filters(state, sort)
    now = now or utcnow()
    people = roster(account)
    counts = live_counts(account, people.owners, now)
    return LiveStatus(states_of(people, counts, state=state, search=search, sort=sort),
                      parked_calls(account, now), node_health(node_names, probe_seconds, now),
                      counts.next_expiry)


def live_version(account_id: int, node_names: Iterable[str], probe_seconds: float,
                 now: datetime | None = None) -> tuple | None:
    """A value that changes whenever :func:`live_status` may show something new (same rule for
    node health as :func:`node_health`), None when the account is gone. Nodes count by how many
    are up and their last up/down change, so a node that went stale or flipped changes it."""
    names, now = list(node_names), now or utcnow()
    horizon = now - timedelta(seconds=STALE_PROBES * probe_seconds)
    seen = sa.func.coalesce(NodeStatus.last_seen_at, NodeStatus.last_change_at)
    up = (sa.select(sa.func.count()).select_from(NodeStatus)
          .where(NodeStatus.name.in_(names), NodeStatus.connected.is_(True), seen >= horizon))
    changed = sa.select(sa.func.max(NodeStatus.last_change_at)).where(NodeStatus.name.in_(names))
    query = (sa.select(LiveVersion.token, CallVersion.directory_token, up.scalar_subquery(),
                       changed.scalar_subquery())
             .select_from(Account)
             .outerjoin(LiveVersion, LiveVersion.account_id == Account.id)
             .outerjoin(CallVersion, CallVersion.account_id == Account.id)
             .where(Account.id == account_id))
    row = db.session.execute(query).first()
    return None if row is None else tuple(row)
