"""Directory section: users for sip_auth / user_call / message-count / voicemail-lookup, domains,
and the carrier gateways FreeSWITCH asks for at start-up (``purpose=gateways``), served inside a
``<user>`` because that is the only place mod_sofia looks for them."""
from __future__ import annotations

from lxml import etree

from fs_service.extensions import directory as core
from fs_service.extensions.directory import SipUser

from .documents import NOT_FOUND, Trusted, add_params, attribute, document, fs_safe, params_text, to_bytes
from .request import FsRequest
from .user_cache import UserDocumentCache

# Rings every registered contact of the dialed user (NOTES §2); the domain-wide default.
DIAL_STRING = Trusted("{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}"
               "${sofia_contact(*/${dialed_user}@${dialed_domain})}")
TOLL_LEVELS = ("long_distance", "international")


def _domain_element(section: etree._Element, domain: str) -> etree._Element:
    element = etree.SubElement(section, "domain", name=domain)
    add_params(element, "params", "param", [("dial-string", DIAL_STRING)])
    return element


def _extension_dial_string(user: SipUser) -> str:
    """An extension rings its own phones and every softphone account it owns, in parallel."""
    contacts = ",".join(f"${{sofia_contact(*/{name}@{user.domain})}}"
                        for name in (user.user_id, *user.softphone_users))
    # Names and domain are validated (digits, dash, DNS name), so the composition is trusted.
    return Trusted(f"{{^^:sip_invite_domain={user.domain}:presence_id={user.user_id}@{user.domain}}}{contacts}")


def _variables(user: SipUser) -> list[tuple[str, str]]:
    toll = ["local", *(level for level, mode in zip(TOLL_LEVELS, (user.long_distance, user.international))
                       if mode == "unlimited")]
    items = [
        ("user_context", user.domain),
        ("effective_caller_id_name", user.caller_id_name),
        ("effective_caller_id_number", user.extension_number),
        ("default_language", user.language),
        ("toll_allow", ",".join(toll)),
        ("accountcode", user.domain),
        ("pbx_account_id", str(user.account_id)),
        ("pbx_extension_id", str(user.extension_id)),
        ("pbx_extension", user.extension_number),
        ("pbx_sip_kind", user.kind),
        ("pbx_long_distance", user.long_distance),
        ("pbx_international", user.international),
        ("pbx_hide_caller_id", "true" if user.hide_caller_id else "false"),
        # What the other party hears when this user puts them on hold (EXT-3 music on hold).
        ("hold_music", f"local_stream://{user.music_on_hold}"),
    ]
    if user.outbound_caller_id_name and user.outbound_caller_id_number:
        items += [("outbound_caller_id_name", user.outbound_caller_id_name),
                  ("outbound_caller_id_number", user.outbound_caller_id_number)]
    if user.kind == "softphone":  # calls and BLF show the extension, not the softphone account
        items.append(("presence_id", f"{user.extension_number}@{user.domain}"))
    return items


# The user document around its params and variables, exactly as lxml pretty-prints the tree
# (document, section, domain with the domain dial-string, groups/group/users/user); built as
# text because the tree cost more than the rest of a registration that no cache holds (issue 15,
# bench/directory/README.md). tests/unit/test_directory_document.py compares it with lxml's.
_USER_HEAD = ('<document type="freeswitch/xml">\n  <section name="directory">\n    <domain name="{domain}">\n'
              '{domain_params}      <groups>\n        <group name="default">\n          <users>\n'
              '            <user id="{user}"{cacheable}>\n')
_USER_TAIL = ("            </user>\n          </users>\n        </group>\n      </groups>\n    </domain>\n"
              "  </section>\n</document>\n")
_DOMAIN_PARAMS = params_text("      ", "params", "param", [("dial-string", DIAL_STRING)])
_USER_INDENT = "              "


def user_document(user: SipUser, cacheable_ms: int) -> bytes:
    if not user.password:  # a user without credentials authenticates anyone (NOTES §0.1)
        return NOT_FOUND
    params = [("a1-hash", user.a1_hash), ("allow-empty-password", "false")]
    if user.kind == "extension" and user.softphone_users:
        params.append(("dial-string", _extension_dial_string(user)))
    if user.kind == "softphone":
        params.append(("mwi-account", f"{user.extension_number}@{user.domain}"))
    head = _USER_HEAD.format(domain=attribute(user.domain), domain_params=_DOMAIN_PARAMS,
                             user=attribute(user.user_id),
                             cacheable=f' cacheable="{cacheable_ms}"' if cacheable_ms > 0 else "")
    return (head + params_text(_USER_INDENT, "params", "param", params)
            + params_text(_USER_INDENT, "variables", "variable", _variables(user)) + _USER_TAIL).encode()


# mod_sofia (sofia.c, parse_domain_tag) creates gateways only from <domain>/<user>/<gateways> and
# <domain>/<groups>/<group>/<users>/<user>/<gateways>; a <domain>/<gateways> is accepted silently
# and creates nothing (NOTES §9.16). The domain gets no <params>: parse_domain_tag reads none, and
# a domain dial-string would only serve user/…@carriers calls, which nobody makes. "carriers" is
# no tenant domain (those hold a dot) and the carrier profile has alias="false", so it never
# becomes a profile alias nor a realm a phone could ask the directory about.
CARRIER_DOMAIN = "carriers"
CARRIER_HOLDER = "carriers"


def _carrier_holder(section: etree._Element) -> etree._Element:
    """The ``<user>`` whose ``<gateways>`` sofia reads. It exists only in this purpose=gateways
    reply (never cached: sofia asks through switch_xml_locate, not the user lookup), and its
    params refuse it as a login anyway: without a password, allow-empty-password (default true
    in sofia_reg.c) would let anyone authenticate as it (NOTES §0.1)."""
    domain = etree.SubElement(section, "domain", name=CARRIER_DOMAIN)
    holder = etree.SubElement(domain, "user", id=CARRIER_HOLDER)
    add_params(holder, "params", "param", [("allow-empty-password", "false"), ("sip-forbid-register", "true")])
    return holder


def _add_gateway(gateways: etree._Element, gw: core.GatewayInfo) -> None:
    """sofia reads gateway params as direct children; username/password are required even for
    IP-authenticated trunks, hence "none"."""
    element = etree.SubElement(gateways, "gateway", name=gw.name)
    for name, value in (("proxy", gw.proxy), ("register", "true" if gw.register else "false"),
                        ("username", gw.username or "none"), ("password", gw.password or "none"),
                        ("caller-id-in-from", "true")):
        etree.SubElement(element, "param", name=name, value=fs_safe(value))


def gateways_document(profile: str, carrier_profile: str) -> bytes:
    """Gateways go to the carrier profile only; other profiles get the account domains to alias."""
    root, section = document("directory")
    if profile == carrier_profile:
        gateways = etree.SubElement(_carrier_holder(section), "gateways")
        for gw in core.enabled_gateways():
            _add_gateway(gateways, gw)
    else:
        for name in core.all_domains():
            _domain_element(section, name)
    return to_bytes(root)


def _user_reply(domain: str, user: str, cacheable_ms: int) -> tuple[bytes, str]:
    sip_user = core.find_sip_user(domain, user)
    if sip_user is None:
        return NOT_FOUND, "unknown-user"
    return user_document(sip_user, cacheable_ms), "user"


def handle(req: FsRequest, *, cacheable_ms: int, carrier_profile: str,
           cache: UserDocumentCache | None = None) -> tuple[bytes, str]:
    """Return the reply and a short outcome word for the log line."""
    if req.get("purpose") == "gateways":
        return gateways_document(req.get("profile"), carrier_profile), "gateways"
    domain = req.get("domain") or (req.key_value if req.key_name == "name" else "")
    user = req.get("user")
    if not domain:
        return NOT_FOUND, "no-domain"
    if not user:
        if not core.domain_exists(domain):
            return NOT_FOUND, "unknown-domain"
        root, section = document("directory")
        _domain_element(section, domain.lower())
        return to_bytes(root), "domain"
    if cache is None:
        return _user_reply(domain, user, cacheable_ms)
    return cache.get_or_render(domain, user, lambda: _user_reply(domain, user, cacheable_ms))
