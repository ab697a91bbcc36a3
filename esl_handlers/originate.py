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
    """fs_service.status.click_to_call.OriginateRequest (kept structural: no core import here)."""

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


def channel_var(name: str, value: str) -> str:
    """One ``{name=value}`` entry of an originate's variable list, quoted when it has spaces
    (values are made safe by the callers: names, digits, uuids)."""
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
        channel_var("origination_caller_id_name", safe_name(request.display_name)),
        channel_var("origination_caller_id_number", _checked(request.display_number, _DIGITS_RE, "number")),
        channel_var("effective_caller_id_name", safe_name(request.caller_name)),
        channel_var("effective_caller_id_number", _checked(request.caller_number, _DIGITS_RE, "number")),
        channel_var("click_to_call_from", _checked(request.from_extension, _DIGITS_RE, "extension")),
        channel_var("originate_timeout", str(seconds)),
    ])
    destination = _checked(request.destination, _DIGITS_RE, "destination")
    context = _checked(request.context, _DOMAIN_RE, "context")
    return f"originate {{{variables}}}{endpoints} {destination} XML {context}"


# -- fax (FAX-5, NOTES §5) ---------------------------------------------------------------
_FAX_VAR_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")  # fax_enable_t38 has digits
_GATEWAY_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_FAX_FILE_RE = re.compile(r"/[A-Za-z0-9._/-]{1,250}\.tiff?")
FAX_HEADER_MAX = 40  # spandsp prints it on every page's top line, beside the date and page number


class FaxOriginateLike(Protocol):
    """esl_handlers/fax_worker.py's FaxCall (kept structural: no core import here)."""

    job_id: int
    attempt: int
    gateway: str
    destination: str
    tiff_path: str
    ident: str
    header: str
    t38: bool
    ecm: bool
    v17: bool
    ring_seconds: int


def _fax_var(name: str, value: str) -> str:
    _checked(name, _FAX_VAR_NAME, "variable name")
    return f"{name}='{value}'" if " " in value else f"{name}={value}"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def fax_originate(request: FaxOriginateLike) -> str:
    """``originate {vars}sofia/gateway/<gw>/<number> &txfax(<tiff>)`` (run it as bgapi).

    ``fax_enable_t38`` is always set explicitly: FreeSWITCH refuses a T.38 re-INVITE unless it is
    true (NOTES §5), so false really means audio only. ``fax_ident``/``fax_header`` are
    URL-decoded by mod_spandsp, hence the header goes through safe_name (no ``%``). The job id
    and attempt ride on the channel so every event of the try names them.
    """
    gateway = _checked(request.gateway, _GATEWAY_RE, "gateway")
    number = _checked(request.destination, _DIGITS_RE, "destination")
    path = _checked(request.tiff_path, _FAX_FILE_RE, "fax file")
    if ".." in path.split("/"):
        raise ValueError(f"invalid fax file for a FreeSWITCH command: {path!r}")
    seconds = int(request.ring_seconds)
    if not 1 <= seconds <= 600:
        raise ValueError(f"ring time out of range: {seconds}")
    ident = _checked(request.ident, _DIGITS_RE, "fax ident")
    variables = ",".join([
        _fax_var("fax_job_id", str(int(request.job_id))),
        _fax_var("pbx_fax_attempt", str(int(request.attempt))),
        _fax_var("fax_enable_t38", _flag(request.t38)),
        _fax_var("fax_enable_t38_request", _flag(request.t38)),
        _fax_var("fax_use_ecm", _flag(request.ecm)),
        _fax_var("fax_disable_v17", _flag(not request.v17)),
        _fax_var("fax_ident", ident),
        _fax_var("fax_header", safe_name(request.header, FAX_HEADER_MAX)),
        _fax_var("origination_caller_id_number", ident.lstrip("+")),
        _fax_var("originate_timeout", str(seconds)),
    ])
    return f"originate {{{variables}}}sofia/gateway/{gateway}/{number} &txfax({path})"
