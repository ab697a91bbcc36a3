"""Configuration section: ``ivr.conf`` served live for our welcome menus (NOTES §9.10).

FreeSWITCH's ``ivr`` application fetches ``ivr.conf`` every time it runs, with ``Menu-Name``
and the channel's data: ``variable_pbx_number_id`` set by our public plan for a call on a
company number, else ``Caller-Context`` (the account's SIP domain, for an internal caller sent
to a menu by voicemail key 0 / *). We answer with exactly that one menu, only if it belongs to
that number's or that context's account; any other configuration file is "not found", so
FreeSWITCH keeps using its static files for it.

Shape read by mod_dptools ``ivr_application_function`` and switch_ivr_menu.c
``switch_ivr_menu_stack_xml_build``: ``<configuration name="ivr.conf"><menus><menu name=…
greet-long invalid-sound timeout inter-digit-timeout max-failures max-timeouts digit-len>``
with ``<entry action="menu-exec-app" digits=… param=…/>``; an entry with an unknown action
or empty digits makes the whole menu fail, so we only emit ``menu-exec-app`` entries.
"""
from __future__ import annotations

from lxml import etree

from fs_service.callplan.ivr_menu import IvrMenu
from fs_service.callplan.public_context import ivr_menu_for_call

from .documents import NOT_FOUND, document, fs_safe, to_bytes
from .request import FsRequest

IVR_CONF = "ivr.conf"


def _menu_attributes(menu: IvrMenu) -> dict[str, str]:
    return {"name": menu.name, "greet-long": fs_safe(menu.greet_long), "invalid-sound": menu.invalid_sound,
            "timeout": str(menu.timeout_ms), "inter-digit-timeout": str(menu.inter_digit_timeout_ms),
            "max-failures": str(menu.max_failures), "max-timeouts": str(menu.max_timeouts),
            "digit-len": str(menu.digit_len)}


def ivr_document(menu: IvrMenu) -> bytes:
    root, section = document("configuration")
    config = etree.SubElement(section, "configuration", name=IVR_CONF, description="PBX welcome menus")
    element = etree.SubElement(etree.SubElement(config, "menus"), "menu", _menu_attributes(menu))
    for entry in menu.entries:
        # Keys re-enter our dialplan; pbx_stage=menu:<id> is already on the channel.
        etree.SubElement(element, "entry", action="menu-exec-app", digits=entry.digits,
                         param=f"transfer {entry.destination} XML {menu.context}")
    return to_bytes(root)


def handle(req: FsRequest) -> tuple[bytes, str]:
    if req.key_value != IVR_CONF:
        return NOT_FOUND, "static-config"
    menu = ivr_menu_for_call(req.get("Menu-Name"), req.get("variable_pbx_number_id"), req.get("Caller-Context"))
    if menu is None:
        return NOT_FOUND, "unknown-menu"
    return ivr_document(menu), "ivr-menu"
