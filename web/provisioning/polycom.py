"""Poly VVX (UC Software): ``<mac>.cfg`` is the master file naming the settings file
(``<mac>-phone.cfg``, XML attributes ``reg.N.*``); the phone also fetches
``<mac>-directory.xml``, its local directory (``sd`` = speed-dial order). Keys are placed
explicitly (``lineKey.reassignment.enabled``): ``Line`` keys for the registrations, ``BLF``
keys watching ``attendant.resourceList`` entries. No remote phone book: whole books are
written into the directory contact by contact.
"""
from __future__ import annotations

from lxml import etree

from fs_service.phones.provisioning import PhoneConfig

from .documents import child, one_line, serialise

LANGUAGES = {"fr": "Francais_France", "en": "English_United_States"}


def master(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    root = etree.Element("APPLICATION", APP_FILE_PATH="sip.ld", CONFIG_FILES=f"{config.mac}-phone.cfg",
                         MISC_FILES="", LOG_FILE_DIRECTORY="", OVERRIDES_DIRECTORY="", CONTACTS_DIRECTORY="")
    return serialise(root)


def _registrations(config: PhoneConfig) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for line in config.lines:
        r = f"reg.{line.index}."
        attrs.update({r + "address": f"{line.user}@{line.domain}", r + "label": one_line(line.label),
                      r + "displayName": one_line(line.display_name), r + "auth.userId": line.user,
                      r + "auth.password": line.password, r + "server.1.address": line.domain,
                      r + "server.1.port": str(config.switch_port), r + "outboundProxy.address": config.switch_host,
                      r + "outboundProxy.port": str(config.switch_port), r + "lineKeys": "1"})
    return attrs


def _keys(config: PhoneConfig) -> tuple[dict[str, str], dict[str, str]]:
    keys = {"lineKey.reassignment.enabled": "1"}
    watched: dict[str, str] = {}
    for line in config.lines:
        keys.update({f"lineKey.{line.line_key}.category": "Line", f"lineKey.{line.line_key}.index": str(line.index)})
    for n, blf in enumerate(config.favourites, start=1):
        keys.update({f"lineKey.{blf.key}.category": "BLF", f"lineKey.{blf.key}.index": str(n)})
        watched.update({f"attendant.resourceList.{n}.address": f"{blf.number}@{config.lines[0].domain}",
                        f"attendant.resourceList.{n}.label": one_line(blf.label),
                        f"attendant.resourceList.{n}.type": "normal"})
    return keys, watched


def config_file(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    root = etree.Element("polycomConfig")
    keys, watched = _keys(config)
    child(root, "reg", **_registrations(config))
    child(root, "lineKey", **keys)
    if watched:
        child(root, "attendant", **watched)
    child(root, "tcpIpApp", **{"tcpIpApp.sntp.gmtOffset": str(config.utc_offset_minutes * 60),
                               "tcpIpApp.sntp.daylightSavings.enable": "1" if "," in config.posix_tz else "0"})
    child(root, "lcl", **{"lcl.ml.lang": LANGUAGES[config.language]})
    return serialise(root)


def directory(config: PhoneConfig, base: str) -> tuple[bytes, str]:
    root = etree.Element("directory")
    items = child(root, "item_list")
    for n, contact in enumerate(config.contacts, start=1):
        item = child(items, "item")
        child(item, "fn", one_line(contact.first_name or contact.name))
        child(item, "ln", one_line(contact.last_name))
        child(item, "ct", contact.phone)
        child(item, "sd", str(n))
    return serialise(root)


DOCUMENTS = {"master": master, "config": config_file, "directory": directory}
