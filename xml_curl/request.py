"""The fields of an xml_curl POST that our handlers use, parsed once."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


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
