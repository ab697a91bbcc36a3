"""Building FreeSWITCH XML documents with lxml (escaping is automatic).

FreeSWITCH runs every xml_curl reply through its pre-processor (NOTES §1): lines containing
``<?`` are dropped (so we never emit an XML declaration) and ``$${var}`` is expanded from the
switch's globals. lxml escapes ``<`` so no untrusted value can form ``<?``; :func:`fs_safe`
defuses ``${`` so no untrusted value can pull in a global (e.g. a password) or a channel variable.
"""
from __future__ import annotations

from lxml import etree

DOCUMENT_TYPE = "freeswitch/xml"


class Trusted(str):
    """A value we composed ourselves from validated parts, meant to be expanded by FreeSWITCH."""


def fs_safe(value: object) -> str:
    """Untrusted text made inert for FreeSWITCH's ``$${}`` pre-processor and ``${}`` expansion."""
    if isinstance(value, Trusted):
        return str(value)
    text = "" if value is None else str(value)
    return text.replace("${", "$ {").replace("\r", " ").replace("\n", " ")


def document(section_name: str) -> tuple[etree._Element, etree._Element]:
    root = etree.Element("document", type=DOCUMENT_TYPE)
    section = etree.SubElement(root, "section", name=section_name)
    return root, section


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, pretty_print=True, xml_declaration=False, encoding="utf-8")


def add_params(parent: etree._Element, tag: str, child: str, items: list[tuple[str, str]]) -> None:
    """``<params><param name= value=/>…`` (or ``<variables><variable…``); values made safe."""
    container = etree.SubElement(parent, tag)
    for name, value in items:
        etree.SubElement(container, child, name=name, value=fs_safe(value))


def not_found() -> bytes:
    """The result document that makes FreeSWITCH try the next binding, then its static files."""
    root, section = document("result")
    etree.SubElement(section, "result", status="not found")
    return to_bytes(root)


NOT_FOUND = not_found()
