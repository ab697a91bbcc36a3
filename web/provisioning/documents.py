"""lxml helpers shared by the vendor renderers (all XML is built by lxml: escaping is automatic)."""
from __future__ import annotations

from lxml import etree

XML = "application/xml"


def serialise(root: etree._Element) -> tuple[bytes, str]:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), XML


def child(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k: v for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def one_line(value: str) -> str:
    """Vendor files are line- or attribute-based: a line break in a name would start a new setting."""
    return " ".join(str(value).split())
