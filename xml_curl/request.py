"""The fields of an xml_curl POST that our handlers use, parsed once."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class FsRequest:
    section: str
    tag_name: str = ""
    key_name: str = ""
    key_value: str = ""
    hostname: str = ""
    params: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.params.get(name, default)

    @property
    def action(self) -> str:
        return self.get("action")


def parse_form(form: Mapping[str, str]) -> FsRequest:
    return FsRequest(section=form.get("section", ""), tag_name=form.get("tag_name", ""),
                     key_name=form.get("key_name", ""), key_value=form.get("key_value", ""),
                     hostname=form.get("hostname", ""), params=form)


class LazyForm(Mapping[str, str]):
    """Field values URL-decoded only when read: a directory request reads 5 of its ~60 fields."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw
        self._decoded: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        try:
            return self._decoded[name]
        except KeyError:
            value = self._raw[name]
            if "%" in value or "+" in value:
                value = unquote_plus(value)
            self._decoded[name] = value
            return value

    def get(self, name: str, default=None):  # no KeyError round trip: most lookups miss
        return self[name] if name in self._raw else default

    def __iter__(self):
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def parse_body(body: bytes) -> FsRequest:
    """The POST body as FreeSWITCH sends it: a flat ``a=b&c=d`` form whose first five fields are
    not URL-encoded (NOTES §1). Far cheaper than ``request.form`` (bench/README.md); the first
    value of a repeated name wins, as with ``request.form.get``."""
    pairs = [item.partition("=") for item in body.decode("utf-8", "replace").split("&")]
    # Field names are FreeSWITCH header names (never encoded); reversed so the first value wins.
    raw = {name: value for name, _, value in reversed(pairs)}
    return parse_form(LazyForm(raw))
