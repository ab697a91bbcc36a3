"""Building FreeSWITCH XML documents with lxml (escaping is automatic).

FreeSWITCH runs every xml_curl reply through its pre-processor (NOTES §1): lines containing
``<?`` are dropped (so we never emit an XML declaration) and ``$${var}`` is expanded from the
switch's globals. lxml escapes ``<`` so no untrusted value can form ``<?``; :func:`fs_safe`
defuses ``${`` so no untrusted value can pull in a global (e.g. a password) or a channel variable.
"""
from __future__ import annotations

import re

from lxml import etree

DOCUMENT_TYPE = "freeswitch/xml"

# How lxml escapes an attribute value; the text renderers (directory users, dialplan) build
# their documents as strings, byte-identical to lxml's pretty print, because a tree costs more
# than the rest of the answer.
ATTRIBUTE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                     "\r": "&#13;"}
_ESCAPE = str.maketrans(ATTRIBUTE_ESCAPES)
_SPECIAL = re.compile('[&<>"\t\n\r]')
# What lxml refuses ("All strings must be XML compatible"); lone surrogates fail the UTF-8 encoding.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTENTION = re.compile('[&<>"\x00-\x1f\ufffe\uffff]')  # either of the two above


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


def attribute(value: str) -> str:
    """``value`` escaped exactly as lxml writes an attribute; ValueError where lxml raises one."""
    if _NOT_XML.search(value) is not None:
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return value.translate(_ESCAPE) if _SPECIAL.search(value) is not None else value


def params_text(indent: str, tag: str, child: str, items: list[tuple[str, str]]) -> str:
    """:func:`add_params` as text at ``indent``, as lxml pretty-prints it (values made safe)."""
    if not items:
        return f"{indent}<{tag}/>\n"
    pairs = [(name, fs_safe(value)) for name, value in items]
    if _ATTENTION.search("".join(name + value for name, value in pairs)) is not None:  # rare: one scan
        pairs = [(attribute(name), attribute(value)) for name, value in pairs]
    inner = "".join(f'{indent}  <{child} name="{name}" value="{value}"/>\n' for name, value in pairs)
    return f"{indent}<{tag}>\n{inner}{indent}</{tag}>\n"


def not_found() -> bytes:
    """The result document that makes FreeSWITCH try the next binding, then its static files."""
    root, section = document("result")
    etree.SubElement(section, "result", status="not found")
    return to_bytes(root)


NOT_FOUND = not_found()
