"""A welcome menu as FreeSWITCH's ``ivr`` application runs it (guide 1.2, "sacbienvue").

The ``ivr`` app fetches ``ivr.conf`` through xml_curl each time it runs, with ``Menu-Name``
and the channel's variables (NOTES §9.10); xml_curl/configuration.py renders this spec. The
menu decides nothing itself: every entry re-enters our dialplan with the typed digits
(``transfer <digits> XML <context>``, ``pbx_stage=menu:<id>`` already on the channel) -- the
``public`` context for a call on a company number, the account's SIP domain for an internal
caller sent there by voicemail key 0 / * -- and the core plans the choice in Python — a key's treatment, 8500 (voicemail login), 8400
(closure message recording) or an extension number.

FreeSWITCH semantics this relies on (src/switch_ivr_menu.c): ``digit-len`` is the most digits
collected (raised to the longest literal entry); input ends on ``#`` or after
``inter-digit-timeout``; ``timeout`` is the wait for the first digit after the greeting; every
matching entry runs (so literal keys and the regex never overlap: keys are one digit, the
regex two to five); ``max-failures`` counts invalid or empty input and ``max-timeouts`` counts
timeouts; when either is reached the app returns and the dialplan goes on.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import prompts
from ..numbering import CLOSURE_RECORDING, PUBLIC_CONTEXT, VOICEMAIL_ACCESS
from .public_model import MenuSnapshot

NAME_PREFIX = "pbx_menu_"
INTER_DIGIT_MS = 2000
EXTENSION_REGEX = r"/^(\d{2,5})$/"  # fs_service.numbering: extensions are 2 to 5 digits
EXTENSION_DIGITS = 5


@dataclass(frozen=True)
class IvrEntry:
    digits: str  # a literal key, or a /regex/ whose first group is re-entered
    destination: str  # "$1" for the regex


@dataclass(frozen=True)
class IvrMenu:
    name: str
    greet_long: str
    invalid_sound: str
    timeout_ms: int
    inter_digit_timeout_ms: int
    max_failures: int
    max_timeouts: int
    digit_len: int
    entries: tuple[IvrEntry, ...]
    context: str = PUBLIC_CONTEXT  # where the entries re-enter the dialplan


def menu_name(menu_id: int) -> str:
    return f"{NAME_PREFIX}{menu_id}"


def menu_id_of(name: str) -> int | None:
    suffix = name[len(NAME_PREFIX):] if name.startswith(NAME_PREFIX) else ""
    return int(suffix) if suffix.isdigit() else None


def ivr_menu(menu: MenuSnapshot, context: str = PUBLIC_CONTEXT) -> IvrMenu:
    """The menu FreeSWITCH runs: greeting, keys, dial-by-extension, 8500/8400, retries."""
    entries = [IvrEntry(digit, digit) for digit in sorted(menu.keys)]
    if menu.dial_by_extension:
        entries.append(IvrEntry(EXTENSION_REGEX, "$1"))  # also catches 8500 and 8400
    else:
        entries += [IvrEntry(code, code) for code in (VOICEMAIL_ACCESS, CLOSURE_RECORDING)]
    return IvrMenu(
        name=menu_name(menu.id), greet_long=menu.greeting or prompts.path("menu-default-greeting"),
        invalid_sound=prompts.path("menu-invalid"), timeout_ms=menu.timeout_seconds * 1000,
        inter_digit_timeout_ms=INTER_DIGIT_MS, max_failures=menu.repeat_count, max_timeouts=menu.repeat_count,
        digit_len=EXTENSION_DIGITS if menu.dial_by_extension else len(VOICEMAIL_ACCESS), entries=tuple(entries),
        context=context)
