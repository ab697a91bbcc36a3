"""What FreeSWITCH's directory needs to know about a SIP user (flow 1: a phone registers).

The answer is plain data; xml_curl renders it. Lookups are one indexed query each because
their latency adds to every REGISTER and call set-up (NOTES §9.13).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from .. import fastread
from ..db import db
from ..models import Account, Extension, Gateway, PhoneNumber, Softphone, User


@dataclass(frozen=True)
class SipUser:
    user_id: str  # the SIP user name (extension number, or softphone user name)
    domain: str
    password: str
    account_id: int
    extension_id: int
    extension_number: str
    kind: str  # "extension" | "softphone"
    caller_id_name: str
    language: str
    long_distance: str
    international: str
    outbound_caller_id_name: str | None
    outbound_caller_id_number: str | None
    hide_caller_id: bool
    music_on_hold: str = "default"
    softphone_users: tuple[str, ...] = ()

    @property
    def a1_hash(self) -> str:
        return a1_hash(self.user_id, self.domain, self.password)


def a1_hash(user: str, realm: str, password: str) -> str:
    """Lowercase hex MD5 of ``user:realm:password``: FreeSWITCH embeds it verbatim (NOTES §1)."""
    return hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()


_EXT_COLUMNS = (Extension.id, Extension.number, Extension.sip_password, Extension.caller_id_name,
                Extension.language, Extension.long_distance, Extension.international,
                Extension.outbound_caller_id_name, Extension.hide_caller_id, Extension.music_on_hold,
                PhoneNumber.e164, User.first_name, User.last_name, Account.id.label("account_id"),
                Account.sip_domain)


def _extension_query():
    return (sa.select(*_EXT_COLUMNS)
            .select_from(Extension)
            .join(Account, Account.id == Extension.account_id)
            .outerjoin(User, User.id == Extension.user_id)
            .outerjoin(PhoneNumber, PhoneNumber.id == Extension.outbound_caller_id_number_id)
            .where(Account.enabled.is_(True)))


def _to_sip_user(row, user_id: str, password: str, kind: str, softphones: tuple[str, ...]) -> SipUser:
    name = row.caller_id_name or f"{row.first_name or ''} {row.last_name or ''}".strip() or row.number
    both = bool(row.outbound_caller_id_name and row.e164)  # EXT-4: both or none
    return SipUser(user_id=user_id, domain=row.sip_domain, password=password, account_id=row.account_id,
                   extension_id=row.id, extension_number=row.number, kind=kind, caller_id_name=name,
                   language=row.language, long_distance=row.long_distance,
                   international=row.international,
                   outbound_caller_id_name=row.outbound_caller_id_name if both else None,
                   outbound_caller_id_number=row.e164 if both else None,
                   hide_caller_id=row.hide_caller_id, music_on_hold=row.music_on_hold,
                   softphone_users=softphones)


# Built once, with bound parameters: building a select and its cache key on every call cost more
# than running it (bench/directory/README.md). Softphones come in the same query, one row each (an
# extension has a few at most), so an extension lookup is one round trip.
_EXTENSION_BY_NUMBER = (_extension_query()
                        .add_columns(Softphone.sip_username.label("softphone_user"))
                        .outerjoin(Softphone, Softphone.extension_id == Extension.id)
                        .where(Account.sip_domain == sa.bindparam("domain"),
                               Extension.number == sa.bindparam("user"))
                        .order_by(Softphone.id))
_SOFTPHONE_BY_NAME = (_extension_query()
                      .add_columns(Softphone.sip_username, Softphone.sip_password.label("sp_pw"))
                      .join(Softphone, Softphone.extension_id == Extension.id)
                      .where(Account.sip_domain == sa.bindparam("domain"),
                             Softphone.sip_username == sa.bindparam("user")))


def find_sip_user(domain: str, user: str) -> SipUser | None:
    """The extension or softphone called ``user`` in the account whose SIP domain is ``domain``.

    Read-only, through fastread (no ORM Session, no SQLAlchemy execution layer): a phone that
    registers once an hour is never in a per-process cache, so this read is what its
    registration costs (bench/directory/README.md, ``sip_auth_cold``)."""
    params = {"domain": domain.strip().lower(), "user": user}
    if "-" in user:  # softphone user names are "<extension>-<n>"; extensions are digits only
        row = fastread.fetch_one(_SOFTPHONE_BY_NAME, params)
        return _to_sip_user(row, row.sip_username, row.sp_pw, "softphone", ()) if row else None
    rows = fastread.fetch_all(_EXTENSION_BY_NUMBER, params)
    if not rows:
        return None
    softphones = tuple(r.softphone_user for r in rows if r.softphone_user is not None)
    return _to_sip_user(rows[0], rows[0].number, rows[0].sip_password, "extension", softphones)


def domain_exists(domain: str) -> bool:
    return db.session.scalar(sa.select(Account.id).where(
        Account.sip_domain == domain.strip().lower(), Account.enabled.is_(True))) is not None


def all_domains() -> list[str]:
    return list(db.session.scalars(sa.select(Account.sip_domain).where(Account.enabled.is_(True))
                                   .order_by(Account.sip_domain)))


@dataclass(frozen=True)
class GatewayInfo:
    name: str
    proxy: str
    username: str
    password: str
    register: bool


def enabled_gateways() -> list[GatewayInfo]:
    rows = db.session.scalars(sa.select(Gateway).where(Gateway.enabled.is_(True)).order_by(Gateway.name))
    return [GatewayInfo(g.name, g.proxy, g.username, g.password, g.register) for g in rows]
