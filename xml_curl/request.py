"""The fields of an xml_curl POST that our handlers use, each found and decoded only when read."""
from __future__ import annotations

from typing import Mapping
from urllib.parse import unquote_plus


class FsRequest:
    """One xml_curl POST: its section, and every field read on demand by name."""

    __slots__ = ("section", "params")

    def __init__(self, section: str, params: Mapping[str, str]) -> None:
        self.section = section
        self.params = params

    def get(self, name: str, default: str = "") -> str:
        return self.params.get(name, default)

    @property
    def action(self) -> str:
        return self.get("action")

    @property
    def tag_name(self) -> str:
        return self.get("tag_name")

    @property
    def key_name(self) -> str:
        return self.get("key_name")

    @property
    def key_value(self) -> str:
        return self.get("key_value")

    @property
    def hostname(self) -> str:
        return self.get("hostname")


def parse_form(form: Mapping[str, str]) -> FsRequest:
    return FsRequest(form.get("section", ""), form)


_UNREAD = object()


class LazyForm(Mapping[str, str]):
    """The form, searched by name only for the fields a handler reads, each URL-decoded once.

    A dialplan request carries ~190 fields (~8 KB) and a plan reads about fifteen: splitting
    them all cost more than planning the call. The first value of a repeated name wins, as
    with ``request.form.get``.
    """

    def __init__(self, text: str) -> None:
        self._text = "&" + text  # every field, the first included, now starts with "&"
        self._read: dict[str, str | None] = {}

    def _find(self, name: str) -> str | None:
        value = self._read.get(name, _UNREAD)
        if value is not _UNREAD:
            return value
        key = f"&{name}="
        at = self._text.find(key)
        value = None
        if at >= 0:
            start = at + len(key)
            end = self._text.find("&", start)
            value = self._text[start:] if end < 0 else self._text[start:end]
            if "%" in value or "+" in value:
                value = unquote_plus(value)
        self._read[name] = value
        return value

    def __getitem__(self, name: str) -> str:
        value = self._find(name)
        if value is None:
            raise KeyError(name)
        return value

    def get(self, name: str, default=None):  # no KeyError round trip: most lookups miss
        value = self._find(name)
        return default if value is None else value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name) is not None

    def _names(self) -> dict[str, None]:
        return dict.fromkeys(item.partition("=")[0] for item in self._text[1:].split("&"))

    def __iter__(self):
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def parse_body(body: bytes) -> FsRequest:
    """The POST body as FreeSWITCH sends it: a flat ``a=b&c=d`` form whose first five fields are
    not URL-encoded (NOTES §1). Far cheaper than ``request.form`` (bench/directory/README.md)."""
    return parse_form(LazyForm(body.decode("utf-8", "replace")))
