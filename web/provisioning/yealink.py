"""Yealink T4x/T5x: ``<mac>.cfg``, a ``key = value`` file that must start with
``#!version:1.0.0.1`` (the phone ignores a file without it). Line keys: type 15 = line
(``line`` = account number), type 16 = BLF. The chosen contacts and each whole book are
remote XML phone books (``YealinkIPPhoneDirectory``) the phone fetches under the same secret.
"""
from __future__ import annotations

from lxml import etree

from fs_service.phones.provisioning import PhoneConfig, PhoneContact

from .documents import child, one_line, serialise

HEADER = "#!version:1.0.0.1"
LINE, BLF = 15, 16
LANGUAGES = {"fr": "French", "en": "English"}


def _offset(minutes: int) -> str:
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _accounts(config: PhoneConfig) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for line in config.lines:
        a = f"account.{line.index}."
        pairs += [(a + "enable", 1), (a + "label", line.label), (a + "display_name", line.display_name),
                  (a + "auth_name", line.user), (a + "user_name", line.user), (a + "password", line.password),
                  (a + "sip_server.1.address", line.domain), (a + "sip_server.1.port", config.switch_port),
                  (a + "outbound_proxy_enable", 1), (a + "outbound_proxy.1.address", config.switch_host),
                  (a + "outbound_proxy.1.port", config.switch_port)]
    return pairs


def _keys(config: PhoneConfig) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for line in config.lines:
        k = f"linekey.{line.line_key}."
        pairs += [(k + "type", LINE), (k + "line", line.index), (k + "label", line.label)]
    for blf in config.favourites:
        k = f"linekey.{blf.key}."
        pairs += [(k + "type", BLF), (k + "line", 1), (k + "value", blf.number), (k + "label", blf.label)]
    return pairs


def _books(config: PhoneConfig, base: str) -> list[tuple[str, object]]:
    if not config.configure_books:
        return []
    books = [(f"{base}/{config.mac}/contacts.xml", "Contacts")] if config.contacts else []
    books += [(f"{base}/{config.mac}/books/{book.ref}.xml", book.name) for book in config.remote_books]
    pairs: list[tuple[str, object]] = []
    for index in range(1, 6):  # the phone has 5 remote phone book slots: clear the unused ones
        url, name = books[index - 1] if index <= len(books) else ("", "")
        pairs += [(f"remote_phonebook.data.{index}.url", url), (f"remote_phonebook.data.{index}.name", name)]
    return pairs


def config_file(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    pairs = _accounts(config) + _keys(config) + [
        ("local_time.time_zone", _offset(config.utc_offset_minutes)),
        ("local_time.time_zone_name", config.timezone),
        ("lang.gui", LANGUAGES[config.language]), ("lang.wui", LANGUAGES[config.language]),
    ] + _books(config, base)
    lines = [HEADER, f"## {config.model.label} {config.mac}"] + [f"{key} = {one_line(value)}" for key, value in pairs]
    return ("\n".join(lines) + "\n").encode(), "text/plain"


def book(contacts: list[PhoneContact]) -> tuple[bytes, str]:
    root = etree.Element("YealinkIPPhoneDirectory")
    for contact in contacts:
        entry = child(root, "DirectoryEntry")
        child(entry, "Name", contact.name)
        child(entry, "Telephone", contact.phone)
    return serialise(root)


def directory(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    return book(config.contacts)


DOCUMENTS = {"config": config_file, "directory": directory}
