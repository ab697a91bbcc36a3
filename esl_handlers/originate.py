"""The ``originate`` command string: channel variables, endpoints, dialplan destination.

FreeSWITCH parses ``{a=b,c=d}`` with switch_separate_string: ``,`` ends a variable, quotes
group, and a value with a space must be single-quoted or originate fails with "Parse Error"
(NOTES §9.4). Display names come from users, so they are reduced to characters that can never
end a variable, a block or the command (no ``,{}[]'"^|\\``), and ``$`` is dropped so FreeSWITCH
never expands ``${...}`` from a name. Numbers and SIP users must match strict patterns.
"""
from __future__ import annotations

import re
from typing import Protocol

from .commands import _DIGITS_RE, _DOMAIN_RE, _USER_RE, _checked

_NAME_KEEP = re.compile(r"[^\w .()+@\u2019-]", re.UNICODE)
_VAR_NAME = re.compile(r"[a-z_]{1,64}")


class OriginateLike(Protocol):
    """fs_service.click_to_call.OriginateRequest (kept structural: no core import here)."""

    domain: str
    ring_users: tuple[str, ...]
    destination: str
    context: str
    display_name: str
    display_number: str
    caller_name: str
    caller_number: str
    from_extension: str
    ring_seconds: int


def safe_name(text: str, limit: int = 80) -> str:
    """A display name FreeSWITCH cannot misparse: apostrophes become ’, the rest is dropped."""
    cleaned = _NAME_KEEP.sub("", (text or "").replace("'", "\u2019").replace("\n", " "))
    return " ".join(cleaned.split())[:limit] or "Unknown"


def _var(name: str, value: str) -> str:
    _checked(name, _VAR_NAME, "variable name")
    return f"{name}='{value}'" if " " in value else f"{name}={value}"


def originate(request: OriginateLike) -> str:
    """``originate {vars}user/A@d[,user/B@d] <destination> XML <context>`` (run it as bgapi:
    originate blocks until the first leg answers)."""
    domain = _checked(request.domain, _DOMAIN_RE, "domain")
    if not request.ring_users:
        raise ValueError("originate needs at least one endpoint")
    endpoints = ",".join(f"user/{_checked(u, _USER_RE, 'user')}@{domain}" for u in request.ring_users)
    seconds = int(request.ring_seconds)
    if not 1 <= seconds <= 600:
        raise ValueError(f"ring time out of range: {seconds}")
    variables = ",".join([
        _var("origination_caller_id_name", safe_name(request.display_name)),
        _var("origination_caller_id_number", _checked(request.display_number, _DIGITS_RE, "number")),
        _var("effective_caller_id_name", safe_name(request.caller_name)),
        _var("effective_caller_id_number", _checked(request.caller_number, _DIGITS_RE, "number")),
        _var("click_to_call_from", _checked(request.from_extension, _DIGITS_RE, "extension")),
        _var("originate_timeout", str(seconds)),
    ])
    destination = _checked(request.destination, _DIGITS_RE, "destination")
    context = _checked(request.context, _DOMAIN_RE, "context")
    return f"originate {{{variables}}}{endpoints} {destination} XML {context}"
