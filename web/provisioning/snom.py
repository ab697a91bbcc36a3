"""Snom D7xx: an XML settings file (``<settings>``) with ``phone-settings`` (identity N =
``user_*`` with ``idx="N"``), ``functionKeys`` (``fkey`` idx is the key number minus one:
``line`` keys for identities, ``blf <sip:user@domain>`` for favourites) and ``tbook``, the
local phone book, written in the chosen order (no remote book: whole books are expanded).
"""
from __future__ import annotations

from lxml import etree

from fs_service.phones.provisioning import PhoneConfig

from .documents import child, one_line, serialise

LANGUAGES = {"fr": "Francais", "en": "English"}


def _identities(config: PhoneConfig, settings: etree._Element) -> None:
    for line in config.lines:
        idx = str(line.index)
        for tag, value in (("user_active", "on"), ("user_realname", line.display_name), ("user_name", line.user),
                           ("user_pname", line.user), ("user_pass", line.password), ("user_host", line.domain),
                           ("user_outbound", f"{config.switch_host}:{config.switch_port}")):
            child(settings, tag, one_line(value), idx=idx, perm="")


def _function_keys(config: PhoneConfig, root: etree._Element) -> None:
    keys = child(root, "functionKeys", e="2")
    for line in config.lines:
        child(keys, "fkey", "line", idx=str(line.line_key - 1), context=str(line.index), perm="")
    domain = config.lines[0].domain if config.lines else ""
    for blf in config.favourites:
        child(keys, "fkey", f"blf <sip:{blf.number}@{domain}>", idx=str(blf.key - 1), context="1",
              label=one_line(blf.label), perm="")


def _book(config: PhoneConfig, root: etree._Element) -> None:
    book = child(root, "tbook", e="2", complete="true")
    for n, contact in enumerate(config.contacts):
        item = child(book, "item", context="active", type="none", index=str(n))
        child(item, "name", one_line(contact.name))
        child(item, "first_name", one_line(contact.first_name))
        child(item, "last_name", one_line(contact.last_name))
        child(item, "number", contact.phone)


def config_file(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    root = etree.Element("settings")
    settings = child(root, "phone-settings", e="2")
    _identities(config, settings)
    child(settings, "utc_offset", str(config.utc_offset_minutes * 60), perm="")
    child(settings, "language", LANGUAGES[config.language], perm="")
    child(settings, "web_language", LANGUAGES[config.language], perm="")
    _function_keys(config, root)
    if config.configure_books:
        _book(config, root)
    return serialise(root)


DOCUMENTS = {"config": config_file}
