"""The SIP profiles (internal authenticates every call, external takes carriers only) and the
features the configuration carries: fax, conferences, music on hold, parking phrases, time zone.

Shared rules and fixtures: freeswitch_conf_support.py."""
from __future__ import annotations

from tests.unit.freeswitch_conf_support import (BUILTIN_VARS, CONF_DIR, configuration,  # noqa: F401 - fixtures
                                                document, installed, params, profile, secret_files, static_file)

# ---------------------------------------------------------------- SIP profiles

def test_internal_profile_authenticates_every_call_in_every_tenant_domain():
    internal = profile("sip_profiles/internal.xml")
    assert internal.get("name") == "internal"
    values = params(internal.find("settings"))
    assert values["auth-calls"] == "true"
    assert values["auth-all-packets"] == "false"
    assert values["accept-blind-reg"] == "false"
    assert values["accept-blind-auth"] == "false"
    assert values["inbound-reg-force-matching-username"] == "true"
    assert values["challenge-realm"] == "auto_from"
    assert values["context"] == "public"
    assert values["manage-presence"] == "true"
    for forbidden in ("force-register-domain", "force-subscription-domain",
                      "force-register-db-domain", "presence-hosts", "apply-inbound-acl",
                      "max-registrations-per-extension"):
        assert forbidden not in values, forbidden
    domain = internal.find("domains/domain")
    assert (domain.get("name"), domain.get("alias"), domain.get("parse")) == ("all", "true", "false")


def test_external_profile_takes_carriers_only_and_gateways_from_the_directory():
    external = profile("sip_profiles/external.xml")
    values = params(external.find("settings"))
    assert values["context"] == "public"
    assert values["auth-calls"] == "false"
    assert values["apply-inbound-acl"] == "carriers"
    assert values["t38-passthru"] == "false"
    assert external.find("gateways/gateway") is None
    domain = external.find("domains/domain")
    assert (domain.get("name"), domain.get("alias"), domain.get("parse")) == ("all", "false", "true")
    lists = static_file("autoload_configs/acl.conf.xml").findall("configuration/network-lists/list")
    carriers = [item for item in lists if item.get("name") == "carriers"]
    assert carriers and carriers[0].get("default") == "deny"


def test_installed_profiles_listen_on_5060_and_5080(document):
    root, _ = document
    sofia = configuration(root, "sofia.conf")
    ports = {p.get("name"): params(p.find("settings"))["sip-port"]
             for p in sofia.findall("profiles/profile")}
    assert ports == {"internal": "5060", "external": "5080"}
    for settings in sofia.findall("profiles/profile/settings"):
        assert params(settings)["sip-ip"] == BUILTIN_VARS["local_ip_v4"]


# mod_sofia 1.11 (sofia.c) logs a warning for each of these and names what replaces it.
DEPRECATED_SOFIA_PARAMS = {
    "rtp-timeout-sec": "media_timeout variable",
    "rtp-hold-timeout-sec": "media_hold_timeout variable",
    "reg-deny-binding-fetch-and-no-lookup": "nothing (to be removed)",
}


def test_no_sofia_setting_is_one_mod_sofia_flags_as_deprecated(document):
    root, _ = document
    sofia = configuration(root, "sofia.conf")
    used = {p.get("name") for p in sofia.xpath("global_settings/param | profiles/profile/settings/param")}
    assert used and not used & set(DEPRECATED_SOFIA_PARAMS), {n: DEPRECATED_SOFIA_PARAMS[n] for n in
                                                               used & set(DEPRECATED_SOFIA_PARAMS)}


def test_dead_media_hangs_up_every_channel_after_5_minutes_or_30_on_hold(document):
    """Global variables of switch.conf are the channel defaults (a channel falls back to the
    global of the same name); media_timeout and media_hold_timeout are in milliseconds."""
    root, _ = document
    core = configuration(root, "switch.conf")
    variables = {v.get("name"): v.get("value") for v in core.findall("variables/variable")}
    assert variables["media_timeout"] == str(300 * 1000)
    assert variables["media_hold_timeout"] == str(1800 * 1000)
    assert not root.xpath("//settings/param[starts-with(@name, 'media_')]")  # a param there is ignored

# ---------------------------------------------------------------- features

def test_spandsp_fax_settings_and_spool_directory(document):
    root, _ = document
    values = params(configuration(root, "spandsp.conf").find("fax-settings"))
    assert values["use-ecm"] == "true"
    assert values["verbose"] == "false"
    assert values["disable-v17"] == "false"
    assert values["spool-dir"] == BUILTIN_VARS["storage_dir"] + "/fax"
    assert values["file-prefix"] == "faxrx"
    assert values["ident"] and values["header"]
    text = (CONF_DIR / "autoload_configs/spandsp.conf.xml").read_text(encoding="utf-8")
    assert "fax_enable_t38" in text


def test_conference_profiles_exist_per_language_without_tts(document):
    root, _ = document
    conference = configuration(root, "conference.conf")
    profiles = {p.get("name"): params(p) for p in conference.findall("profiles/profile")}
    assert set(profiles) == {"default", "fr", "en"}
    for values in profiles.values():
        assert "tts-engine" not in values and "tts-voice" not in values
        assert values["moh-sound"] == "local_stream://moh"
    assert profiles["fr"]["sound-prefix"].endswith("/fr/ca/june")
    assert profiles["en"]["sound-prefix"].endswith("/en/us/callie")
    assert "sound-prefix" not in profiles["default"]


def test_music_on_hold_stream_exists_for_narrow_and_wide_band(document):
    root, _ = document
    names = {d.get("name") for d in configuration(root, "local_stream.conf").findall("directory")}
    assert {"default", "moh/8000", "moh/16000"} <= names


def test_phrases_for_valet_parking_exist_in_french_and_english(document):
    root, _ = document
    for lang in ("fr", "en"):
        language = root.xpath("/document/section[@name='languages']/language[@name=$l]", l=lang)
        assert len(language) == 1
        assert language[0].get("say-module") == lang
        macros = {m.get("name") for m in language[0].findall("phrases/macros/macro")}
        assert {"valet_announce_ext", "valet_lot_full", "valet_lot_empty"} <= macros


def test_business_hours_time_zone_is_known(document):
    root, _ = document
    zones = {z.get("name"): z.get("value")
             for z in configuration(root, "timezones.conf").findall("timezones/zone")}
    assert zones["America/Toronto"] == "EST5EDT,M3.2.0,M11.1.0"
