"""Grandstream GXP/GRP: ``cfg<mac>.xml``, ``<gs_provision>`` with P-value settings. Account N
has its own P-numbers (table below); accounts take the line keys in order. Favourites are
multi-purpose keys in BLF mode. The phone book is one XML file the phone downloads from the
path in P331 (it appends ``/phonebook.xml``): the chosen contacts with whole books expanded.
"""
from __future__ import annotations

from lxml import etree

from fs_service.phones.provisioning import PhoneConfig

from .documents import child, one_line, serialise

# account: active, account name, SIP server, outbound proxy, user id, auth id, password, display name
ACCOUNT_P = {1: (271, 270, 47, 48, 35, 36, 34, 3)}
ACCOUNT_P.update({n: tuple(base + 100 * (n - 2) for base in (401, 417, 402, 403, 404, 405, 406, 407))
                  for n in range(2, 7)})
BLF_MODE = "1"
LANGUAGES = {"fr": "fr", "en": "en"}


def _p(values: dict[int, str], number: int, value: object) -> None:
    values[number] = one_line(str(value))


def _accounts(config: PhoneConfig, values: dict[int, str]) -> None:
    for line in config.lines:
        if line.index not in ACCOUNT_P:
            continue
        active, name, server, proxy, user, auth, password, display = ACCOUNT_P[line.index]
        for number, value in ((active, 1), (name, line.label), (server, line.domain),
                              (proxy, f"{config.switch_host}:{config.switch_port}"), (user, line.user),
                              (auth, line.user), (password, line.password), (display, line.display_name)):
            _p(values, number, value)


def _favourites(config: PhoneConfig, values: dict[int, str]) -> None:
    # Multi-purpose key i (0-based): mode P323+i, account P301+3i, label P302+3i, value P303+3i.
    for i, blf in enumerate(config.favourites):
        _p(values, 323 + i, BLF_MODE)
        _p(values, 301 + 3 * i, 0)
        _p(values, 302 + 3 * i, blf.label)
        _p(values, 303 + 3 * i, blf.number)


def config_file(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    values: dict[int, str] = {}
    _accounts(config, values)
    _favourites(config, values)
    _p(values, 64, "customize")
    _p(values, 246, config.posix_tz)
    _p(values, 1362, LANGUAGES[config.language])
    if config.configure_books:
        scheme, _, rest = base.partition("://")
        _p(values, 330, 3 if scheme == "https" else 1)  # phone book download: 1 HTTP, 3 HTTPS
        _p(values, 331, f"{rest}/{config.mac}")
    root = etree.Element("gs_provision", version="1")
    child(root, "mac", config.mac)
    settings = child(root, "config", version="1")
    for number in sorted(values):
        child(settings, f"P{number}", values[number])
    return serialise(root)


def directory(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    root = etree.Element("AddressBook")
    for contact in config.contacts:
        entry = child(root, "Contact")
        child(entry, "LastName", one_line(contact.last_name))
        child(entry, "FirstName", one_line(contact.first_name or contact.name))
        phone = child(entry, "Phone")
        child(phone, "phonenumber", contact.phone)
        child(phone, "accountindex", "0")
    return serialise(root)


DOCUMENTS = {"config": config_file, "directory": directory}
