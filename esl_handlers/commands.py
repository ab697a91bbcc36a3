"""The only place that builds FreeSWITCH API command strings, and parses their replies.

FreeSWITCH splits API arguments on spaces (switch_separate_string, which also honours
quotes) and ESL ends a command at the first newline, so a user name such as ``"101 x"`` or
``"101\\nexit"`` would silently address something else or inject a second command. Every
value is therefore checked against a strict pattern before it reaches a string.
"""
from __future__ import annotations

import re
from typing import Protocol

from fs_service.switch_commands import CommandResult

# SIP user part as we provision it: digits or simple names, no spaces, quotes, '@' or '/'.
_USER_RE = re.compile(r"[A-Za-z0-9._+=!~*-]{1,64}")
# Tenant domains and IPs: host name characters only.
_DOMAIN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_PROFILE_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")

DEFAULT_PROFILE = "internal"


def _checked(value: object, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"invalid {what} for a FreeSWITCH command: {value!r}")
    return value


def xml_flush_cache(user: str, domain: str) -> str:
    """Drop one cached directory user, so a saved change is live on the next registration.

    The cache key is ``id`` + user + domain (mod_sofia looks users up by ``id``); NOTES §9.14
    shows this answering ``+OK cleared 1 entry``.
    """
    user = _checked(user, _USER_RE, "user")
    domain = _checked(domain, _DOMAIN_RE, "domain")
    return f"xml_flush_cache id {user} {domain}"


def flush_all_directory() -> str:
    """Drop every cached directory entry (xml_flush_cache with no argument clears them all)."""
    return "xml_flush_cache"


def sofia_check_sync(profile: str, user: str, domain: str) -> str:
    """Ask the user's registered phones to re-provision (SIP NOTIFY Event: check-sync)."""
    profile = _checked(profile, _PROFILE_RE, "profile")
    user = _checked(user, _USER_RE, "user")
    domain = _checked(domain, _DOMAIN_RE, "domain")
    return f"sofia profile {profile} check_sync {user}@{domain}"


def sofia_profile_rescan(profile: str) -> str:
    """Reload a SIP profile's settings (gateways, params) without dropping registrations.

    For gateways it only *adds*: one the profile already runs is skipped ("Ignoring duplicate
    gateway", sofia.c parse_gateways), so a changed gateway must be killed first. It also
    reloads the XML (switch_xml_reload), hence only on gateway changes, never on every save.
    """
    profile = _checked(profile, _PROFILE_RE, "profile")
    return f"sofia profile {profile} rescan"


# Gateway names as fs_service.gateways accepts them. Never "_all_": `killgw _all_` kills every
# gateway of the profile (mod_sofia.c cmd_profile), so a name must start with a letter or digit.
_GATEWAY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_MAX_DELAY_SECONDS = 3600


def sofia_killgw(profile: str, name: str) -> str:
    """Stop and forget one gateway: FreeSWITCH marks it deleted (``+OK gateway marked for
    deletion.``, or ``-ERR no such gateway.``) and its profile worker un-registers and drops it
    on one of its next once-a-second gateway checks (sofia_reg.c sofia_reg_check_gateway)."""
    profile = _checked(profile, _PROFILE_RE, "profile")
    name = _checked(name, _GATEWAY_RE, "gateway")
    return f"sofia profile {profile} killgw {name}"


def sofia_profile_rescan_later(profile: str, delay_seconds: int) -> str:
    """The same rescan, run by FreeSWITCH's scheduler ``delay_seconds`` from now (mod_commands
    ``sched_api +<secs> <group> <command>``, answers ``+OK Added: <id>``): no socket of ours waits."""
    delay = int(delay_seconds)
    if not 0 < delay <= _MAX_DELAY_SECONDS:
        raise ValueError(f"invalid rescan delay: {delay_seconds!r}")
    return f"sched_api +{delay} none {sofia_profile_rescan(profile)}"


_UUID_RE = re.compile(r"[A-Za-z0-9-]{1,64}")
_CONFERENCE_RE = re.compile(r"[A-Za-z0-9_.@-]{1,128}")
_DIGITS_RE = re.compile(r"[0-9*#+]{1,40}")
_CAUSE_RE = re.compile(r"[A-Z_]{1,40}")


_EVENT_WORD_RE = re.compile(r"[A-Z_]{1,64}")
_SUBCLASS_RE = re.compile(r"[A-Za-z0-9_]{1,64}::[A-Za-z0-9_]{1,64}")


def event_subscription(names: list[str], subclasses: list[str]) -> str:
    """``event plain A B CUSTOM x::y``: every word after CUSTOM is a subclass, so plain names
    come first (NOTES §6); CUSTOM alone would subscribe to nothing."""
    words = [_checked(n, _EVENT_WORD_RE, "event name") for n in names]
    if subclasses:
        words += ["CUSTOM", *(_checked(s, _SUBCLASS_RE, "event subclass") for s in subclasses)]
    if not words:
        raise ValueError("no event to subscribe to")
    return "event plain " + " ".join(words)


def sendevent(name: str) -> str:
    """``sendevent NAME``, sent with the event's headers (e.g. MESSAGE_WAITING for a lamp)."""
    return f"sendevent {_checked(name, _EVENT_WORD_RE, 'event name')}"


def status() -> str:
    """Cheap liveness probe: answers at once and needs no module."""
    return "status"


def show_registrations() -> str:
    return "show registrations as json"


def show_channels() -> str:
    return "show channels as json"


def valet_info(lot: str | None = None) -> str:
    """All lots (or one) as XML (mod_valet_parking valet_info_function)."""
    return f"valet_info {_checked(lot, _DOMAIN_RE, 'lot')}" if lot else "valet_info"


def uuid_exists(uuid: str) -> str:
    """Is this channel up on the node? mod_commands answers ``true`` or ``false``."""
    return f"uuid_exists {_checked(uuid, _UUID_RE, 'uuid')}"


def uuid_kill(uuid: str, cause: str = "NORMAL_CLEARING") -> str:
    return f"uuid_kill {_checked(uuid, _UUID_RE, 'uuid')} {_checked(cause, _CAUSE_RE, 'cause')}"


def uuid_transfer(uuid: str, destination: str, context: str, leg: str = "") -> str:
    """Send a channel (``-bleg``/``-both``: its partner too) into ``destination XML context``."""
    if leg not in ("", "-bleg", "-both"):
        raise ValueError(f"invalid transfer leg: {leg!r}")
    parts = ["uuid_transfer", _checked(uuid, _UUID_RE, "uuid"), leg,
             _checked(destination, _DIGITS_RE, "destination"), "XML", _checked(context, _DOMAIN_RE, "context")]
    return " ".join(p for p in parts if p)


def conference_list(name: str) -> str:
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} list"


def conference_kick(name: str, member_id: int) -> str:
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} kick {int(member_id)}"


def conference_mute(name: str, member_id: int, mute: bool = True) -> str:
    verb = "mute" if mute else "unmute"
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} {verb} {int(member_id)}"


_MEMBER_TARGET_RE = re.compile(r"all|[0-9]{1,9}")
_SOUND_PATH_RE = re.compile(r"[A-Za-z0-9_./-]{1,255}")
_SCHED_GROUP_RE = re.compile(r"[A-Za-z0-9_-]{1,80}")


def conference_hold(name: str, target: str, hold: bool = True) -> str:
    """``hold``/``unhold`` a member id or ``all`` (NOTES §9.11: the waiting room after wait-mod)."""
    verb = "hold" if hold else "unhold"
    return (f"conference {_checked(name, _CONFERENCE_RE, 'conference')} {verb} "
            f"{_checked(target, _MEMBER_TARGET_RE, 'member')}")


def conference_record(name: str, path: str) -> str:
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} record {_checked(path, _SOUND_PATH_RE, 'path')}"


def conference_norecord(name: str) -> str:
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} norecord all"


def conference_play(name: str, path: str) -> str:
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} play {_checked(path, _SOUND_PATH_RE, 'path')}"


def conference_hup_all(name: str) -> str:
    return f"conference {_checked(name, _CONFERENCE_RE, 'conference')} hup all"


def sched_api(seconds: int, group: str, command: str) -> str:
    """Run ``command`` (built here) ``seconds`` from now on the switch itself; ``group`` names
    it for :func:`sched_del` (NOTES §4: mod_conference has no maximum duration)."""
    return f"sched_api +{max(1, int(seconds))} {_checked(group, _SCHED_GROUP_RE, 'group')} {command}"


def sched_del(group: str) -> str:
    return f"sched_del {_checked(group, _SCHED_GROUP_RE, 'group')}"


class Intent(Protocol):
    """Shape of the core's side-effect intents (fs_service/outbox.py): a `kind` plus data."""

    kind: str


def command_for(intent: Intent) -> str:
    """Translate one queued core intent into its API command string.

    Kinds: ``flush_directory_user`` (user, domain), ``check_sync`` (user, domain, optional
    profile, default "internal"), ``flush_directory_all``, ``kill_gateway`` (profile, name),
    ``rescan_profile`` (profile, optional delay_seconds). Unknown kinds or missing
    attributes raise ValueError, so a typo in the core fails loudly instead of sending nothing.
    """
    kind = getattr(intent, "kind", None)
    try:
        if kind == "flush_directory_user":
            return xml_flush_cache(intent.user, intent.domain)  # type: ignore[attr-defined]
        if kind == "check_sync":
            profile = getattr(intent, "profile", None) or DEFAULT_PROFILE
            return sofia_check_sync(profile, intent.user, intent.domain)  # type: ignore[attr-defined]
        if kind == "flush_directory_all":
            return flush_all_directory()
        if kind == "kill_gateway":
            return sofia_killgw(intent.profile, intent.name)  # type: ignore[attr-defined]
        if kind == "rescan_profile":
            delay = getattr(intent, "delay_seconds", 0) or 0
            profile = intent.profile  # type: ignore[attr-defined]
            return sofia_profile_rescan_later(profile, delay) if delay else sofia_profile_rescan(profile)
    except AttributeError as exc:
        raise ValueError(f"intent {kind!r} is missing {exc.name!r}") from None
    raise ValueError(f"unknown FreeSWITCH intent kind: {kind!r}")


_FAILURE_PREFIXES = ("-ERR", "-USAGE")


def parse_api_response(body: bytes | str) -> CommandResult:
    """Parse an api/response body (or a command/reply Reply-Text).

    Most API functions print a trailing newline ("+OK cleared 1 entry\\n"); it is stripped.
    Anything not starting with -ERR/-USAGE counts as success: many APIs answer bare data
    (JSON, "true", "0"), never "+OK".
    """
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = text.rstrip("\r\n")
    return CommandResult(ok=not text.lstrip().startswith(_FAILURE_PREFIXES), body=text)
