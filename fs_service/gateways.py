"""Carrier gateways (issue 3): the operator's SIP trunks, global or reserved to one account.

An account's external calls leave through its own gateway (``Account.gateway_id``), else the
first enabled global one (fs_service.calls.context.routing_for). Rules decided here:

- a name is a sofia-safe identifier (it ends up in ``sofia/gateway/<name>/…`` and in ESL
  commands), unique among all gateways;
- an account may only use a global gateway or one reserved to itself, so a gateway cannot be
  reserved to another account while some account still uses it;
- deleting a gateway puts the accounts that used it back on the global gateway (the same as
  the ``ON DELETE SET NULL`` of ``accounts.gateway_id``, done here in the ORM so the session
  and the accounts' call caches see it at once);
- the password is write-only: never logged, never dumped; an empty value on update keeps it.

Saved = live: FreeSWITCH learns each change after the commit through the outbox. A rescan of
the carrier profile starts the gateways it does not run yet but skips the ones it runs, so a
gateway that changed or went away is killed first (``killgw``). FreeSWITCH forgets a killed
gateway only on one of its next once-a-second checks (sofia_reg.c sofia_reg_check_gateway: a
registered one un-registers on the first, is dropped on the second); a rescan before that
would start the new copy without making it reachable by name. So a gateway changed under the
same name is rescanned :data:`REAP_SECONDS` later, by FreeSWITCH's own scheduler.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from . import outbox, settings
from .db import db
from .errors import NotFound, ValidationFailed
from .models import Account, Gateway

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# A host name or IPv4, or [IPv6], then an optional :port; no scheme, user, path or parameters.
PROXY_PATTERN = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]{{2,45}}\])(?::(?P<port>[0-9]{{1,5}}))?")
NAME_RULE = "use 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"
PROXY_RULE = "must be a host name or IP address, with an optional :port"
REAP_SECONDS = 5
DEFAULT_PROFILE = "external"
# What FreeSWITCH holds of a gateway (xml_curl/directory.py gateways_document); the scope is ours only.
_SERVED = ("name", "proxy", "username", "password", "register")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a gateway name, or None. Shared with schema/gateways.py."""
    return None if NAME_PATTERN.fullmatch(name or "") else NAME_RULE


def proxy_problem(proxy: str) -> str | None:
    """Why ``proxy`` cannot be a gateway proxy, or None. Shared with schema/gateways.py."""
    match = PROXY_PATTERN.fullmatch(proxy or "") if len(proxy or "") <= 253 else None
    if match is None or (match.group("port") and not 0 < int(match.group("port")) < 65536):
        return PROXY_RULE
    return None


def check_name(name: str) -> str:
    if problem := name_problem(name):
        raise ValidationFailed.field("name", problem)
    return name


def check_proxy(proxy: str) -> str:
    if problem := proxy_problem(proxy):
        raise ValidationFailed.field("proxy", problem)
    return proxy


def list_gateways() -> list[Gateway]:
    return list(db.session.scalars(sa.select(Gateway).order_by(Gateway.name)))


def get_gateway(gateway_id: int) -> Gateway:
    gateway = db.session.get(Gateway, gateway_id)
    if gateway is None:
        raise NotFound("gateway not found")
    return gateway


def accounts_using(gateway: Gateway) -> list[Account]:
    return list(db.session.scalars(sa.select(Account).where(Account.gateway_id == gateway.id)
                                   .order_by(Account.name)))


def usable_gateways(account: Account) -> list[Gateway]:
    """What the account may be given: the global gateways and its own."""
    return list(db.session.scalars(sa.select(Gateway).where(
        sa.or_(Gateway.account_id.is_(None), Gateway.account_id == account.id)).order_by(Gateway.name)))


def create_gateway(*, name: str, proxy: str, username: str = "", password: str = "",
                   register: bool = False, enabled: bool = True, account_id: int | None = None,
                   profile: str | None = None) -> Gateway:
    """A new trunk; an enabled one is started on every node after the commit."""
    gateway = Gateway(name=check_name(name), proxy=check_proxy(proxy), username=username,
                      password=password, register=register, enabled=enabled,
                      account_id=_check_scope(None, account_id))
    _check_name_free(gateway.name, None)
    db.session.add(gateway)
    db.session.flush()
    _tell_freeswitch(None, Served.of(gateway), _profile(profile))
    return gateway


def update_gateway(gateway: Gateway, changes: dict, profile: str | None = None) -> Gateway:
    """Apply the given fields (absent = unchanged; an empty password keeps the stored one)."""
    before = Served.of(gateway)
    if "name" in changes:
        _check_name_free(check_name(changes["name"]), gateway.id)
    if "proxy" in changes:
        check_proxy(changes["proxy"])
    if "account_id" in changes:
        _check_scope(gateway, changes["account_id"])
    for name in ("name", "proxy", "username", "register", "enabled", "account_id"):
        if name in changes:
            setattr(gateway, name, changes[name])
    if changes.get("password"):
        gateway.password = changes["password"]
    db.session.flush()
    _tell_freeswitch(before, Served.of(gateway), _profile(profile))
    return gateway


def delete_gateway(gateway: Gateway, profile: str | None = None) -> None:
    """Accounts that used it go back to the global gateway; FreeSWITCH stops it after the commit."""
    for account in accounts_using(gateway):
        account.gateway_id = None
    before = Served.of(gateway)
    db.session.delete(gateway)
    db.session.flush()
    _tell_freeswitch(before, None, _profile(profile))


def set_account_gateway(account: Account, gateway_id: int | None) -> Account:
    """Choose the account's gateway; None = the global one. Only a global gateway or one
    reserved to this account may be chosen."""
    if gateway_id is not None:
        gateway = db.session.get(Gateway, gateway_id)
        if gateway is None:
            raise ValidationFailed.field("gateway_id", "no such gateway")
        if gateway.account_id not in (None, account.id):
            raise ValidationFailed.field("gateway_id", "this gateway is reserved to another account")
    account.gateway_id = gateway_id
    db.session.flush()
    return account


def _check_name_free(name: str, own_id: int | None) -> None:
    taken = db.session.scalar(sa.select(Gateway.id).where(Gateway.name == name))
    if taken is not None and taken != own_id:
        raise ValidationFailed.field("name", "this name is already used by another gateway",
                                     error_id="name_taken")


def _check_scope(gateway: Gateway | None, account_id: int | None) -> int | None:
    """The account must exist; a used gateway cannot be reserved away from an account using it."""
    if account_id is not None and db.session.get(Account, account_id) is None:
        raise ValidationFailed.field("account_id", "no such account")
    if gateway is not None and account_id is not None and any(
            a.id != account_id for a in accounts_using(gateway)):
        raise ValidationFailed.field("account_id", "other accounts use this gateway: "
                                     "give them another gateway first")
    return account_id


@dataclass(frozen=True)
class Served:
    """A gateway as FreeSWITCH runs it: None when it is disabled (not served)."""
    name: str
    params: tuple = field(repr=False)  # holds the password: never in a log line or traceback

    @classmethod
    def of(cls, gateway: Gateway) -> Served | None:
        if not gateway.enabled:
            return None
        return cls(gateway.name, tuple(getattr(gateway, f) for f in _SERVED))


def changes_for_freeswitch(before: Served | None, after: Served | None, profile: str) -> list[outbox.Intent]:
    """killgw what FreeSWITCH runs and must drop or refresh, then rescan for what it must start;
    later when the same name was just killed (see the module docstring)."""
    if before == after:
        return []  # scope-only change, or still disabled: FreeSWITCH holds nothing different
    intents: list[outbox.Intent] = []
    if before is not None:
        intents.append(outbox.KillGateway(profile, before.name))
    if after is not None:
        same_name = before is not None and before.name == after.name
        intents.append(outbox.RescanProfile(profile, REAP_SECONDS if same_name else 0))
    return intents


def _tell_freeswitch(before: Served | None, after: Served | None, profile: str) -> None:
    for intent in changes_for_freeswitch(before, after, profile):
        outbox.queue(db.session, intent)


def _profile(profile: str | None) -> str:
    """The sofia profile that runs the carrier gateways (setting ``carrier_profile``)."""
    if profile:
        return profile
    return settings.current().carrier_profile or DEFAULT_PROFILE
