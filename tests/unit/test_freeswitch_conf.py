"""The FreeSWITCH configuration tree (freeswitch-conf/), read the way FreeSWITCH reads it.

FreeSWITCH's pre-processor (src/switch_xml.c, preprocess()) works line by line before any
XML parsing: it drops every line containing "<?", "<include>" or "</include>", runs every
line holding an X-PRE-PROCESS directive (even inside a comment) and prints nothing for it,
and expands $${var} everywhere. These tests apply the same rules, parse strictly with lxml,
then rebuild the whole document from freeswitch.xml after a real run of install.sh.
No network, no FreeSWITCH needed.
"""

import glob
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from lxml import etree

CONF_DIR = Path(__file__).resolve().parents[2] / "freeswitch-conf"
INSTALL_SH = CONF_DIR / "install.sh"
XML_FILES = sorted(p for p in CONF_DIR.rglob("*.xml"))

DIRECTIVE_RE = re.compile(r'^\s*<X-PRE-PROCESS cmd="(set|exec-set|include)" data="([^"]*)"/>\s*$')
VARIABLE_RE = re.compile(r"\$\$\{([^}]*)\}")

# Variables FreeSWITCH computes itself (src/switch_core.c); values are examples.
BUILTIN_VARS = {
    "hostname": "fs1",
    "local_ip_v4": "192.0.2.2",
    "sounds_dir": "/usr/share/freeswitch/sounds",
    "storage_dir": "/var/lib/freeswitch/storage",
    "recordings_dir": "/var/lib/freeswitch/recordings",
}

REQUIRED_MODULES = [
    "mod_console", "mod_logfile", "mod_xml_curl", "mod_event_socket", "mod_sofia",
    "mod_loopback", "mod_commands", "mod_dptools", "mod_dialplan_xml", "mod_spandsp",
    "mod_valet_parking", "mod_conference", "mod_sndfile", "mod_native_file",
    "mod_tone_stream", "mod_local_stream", "mod_say_en", "mod_say_fr", "mod_hash",
    "mod_db", "mod_expr", "mod_xml_cdr",
]

# The configuration each loaded module (or the core) asks for at start.
MODULE_CONFIGS = {
    "mod_console": "console.conf", "mod_logfile": "logfile.conf",
    "mod_xml_curl": "xml_curl.conf", "mod_event_socket": "event_socket.conf",
    "mod_sofia": "sofia.conf", "mod_loopback": "loopback.conf",
    "mod_spandsp": "spandsp.conf", "mod_conference": "conference.conf",
    "mod_local_stream": "local_stream.conf", "mod_db": "db.conf",
    "mod_hash": "hash.conf", "mod_sndfile": "sndfile.conf", "mod_xml_cdr": "xml_cdr.conf",
}
CORE_CONFIGS = ["switch.conf", "modules.conf", "acl.conf", "post_load_modules.conf",
                "timezones.conf"]

XML_CURL_URL = "http://ctrl.example.net:8080/freeswitch/xml"
XML_CURL_USER = "freeswitch"
XML_CURL_PASSWORD = "Xc0ntrolPlane-Secret/42+abcdef"
ESL_PASSWORD = "Es1-Event.Socket~Secret=0123456789"


# ---------------------------------------------------------------- helpers

def freeswitch_line_filter(text):
    """What survives FreeSWITCH's pre-processor in one file (directives print nothing)."""
    kept = []
    for line in text.splitlines():
        if "<?" in line or "<include>" in line or "</include>" in line:
            continue
        if "x-pre-process" in line.lower():
            continue
        kept.append(line)
    return "\n".join(kept)


def strict_parser():
    return etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


def parse_file(path):
    """One file as FreeSWITCH sees it, wrapped in a root (vars and dialplan files have several)."""
    body = freeswitch_line_filter(path.read_text(encoding="utf-8"))
    return etree.fromstring(f"<fragment>{body}</fragment>".encode(), strict_parser())


class Preprocessor:
    """A faithful copy of preprocess() / preprocess_glob() for the directives we use."""

    def __init__(self, builtins):
        self.vars = dict(builtins)
        self.undefined = set()
        self.missing_files = []
        self.out = []

    def expand(self, line):
        def value(match):
            name = match.group(1)
            if name not in self.vars:
                self.undefined.add(name)
            return self.vars.get(name, "")
        return VARIABLE_RE.sub(value, line)

    def run_file(self, path):
        if not path.is_file():
            self.missing_files.append(str(path))
            return
        for raw in path.read_text(encoding="utf-8").splitlines(keepends=True):
            line = self.expand(raw)
            if "<include>" in raw or "</include>" in raw or "<?" in raw:
                continue
            at = line.lower().find("x-pre-process")
            if at >= 0:
                assert at > 0 and line[at - 1] == "<", f"{path}: stray directive text: {raw!r}"
                match = DIRECTIVE_RE.match(line)
                assert match, f"{path}: directive not alone on its line: {raw!r}"
                self.directive(path.parent, *match.groups())
                continue
            assert "<!--#" not in line, f"{path}: '<!--#' comments are pre-processor commands"
            self.out.append(line)

    def directive(self, cwd, cmd, data):
        name, _, value = data.partition("=")
        if cmd == "set":
            self.vars[name.strip()] = value.strip()
        elif cmd == "exec-set":
            self.vars[name.strip()] = "output-of-the-command"
        else:
            pattern = data if os.path.isabs(data) else os.path.join(cwd, data)
            # glob(3) with GLOB_NOCHECK: no match gives the pattern itself, which then fails to open.
            for match in sorted(glob.glob(pattern)) or [pattern]:
                self.run_file(Path(match))


def params(element):
    return {p.get("name"): p.get("value") for p in element.findall("param")}


def install(dest, *extra, password_file, esl_password_file, url=XML_CURL_URL):
    return subprocess.run(
        ["bash", str(INSTALL_SH), "--dest", str(dest), "--url", url, "--user", XML_CURL_USER,
         "--password-file", str(password_file), "--esl-password-file", str(esl_password_file),
         *extra],
        capture_output=True, text=True, timeout=60, check=False)


def write_secret(path, value):
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture(scope="module")
def secret_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("secrets")
    return (write_secret(directory / "xml_curl.pw", XML_CURL_PASSWORD),
            write_secret(directory / "esl.pw", ESL_PASSWORD))


@pytest.fixture(scope="module")
def installed(tmp_path_factory, secret_files):
    if not shutil.which("bash"):
        pytest.skip("bash is needed to run install.sh")
    dest = tmp_path_factory.mktemp("etc") / "freeswitch"
    result = install(dest, password_file=secret_files[0], esl_password_file=secret_files[1])
    assert result.returncode == 0, result.stderr
    return dest, result


@pytest.fixture(scope="module")
def document(installed):
    """The whole document FreeSWITCH builds from the installed freeswitch.xml."""
    dest, _ = installed
    pre = Preprocessor(BUILTIN_VARS)
    pre.run_file(dest / "freeswitch.xml")
    root = etree.fromstring("".join(pre.out).encode(), strict_parser())
    return root, pre


def configuration(root, name):
    found = root.xpath("/document/section[@name='configuration']/configuration[@name=$n]", n=name)
    assert len(found) == 1, f"{name} found {len(found)} times"
    return found[0]


def static_file(relative):
    return parse_file(CONF_DIR / relative)


# ---------------------------------------------------------------- every file

def test_the_tree_has_xml_files():
    names = {p.relative_to(CONF_DIR).as_posix() for p in XML_FILES}
    assert {"freeswitch.xml", "vars.xml", "sip_profiles/internal.xml",
            "sip_profiles/external.xml", "autoload_configs/xml_curl.conf.xml"} <= names


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.relative_to(CONF_DIR).as_posix())
def test_every_xml_file_parses_strictly_after_the_freeswitch_line_filter(path):
    parse_file(path)


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.relative_to(CONF_DIR).as_posix())
def test_no_line_is_dropped_or_run_by_the_preprocessor_by_accident(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        assert "<?" not in line, f"{where}: FreeSWITCH drops lines containing '<?'"
        if "<include>" in line or "</include>" in line:
            assert line.strip() in ("<include>", "</include>"), f"{where}: line would be dropped"
        if "x-pre-process" in line.lower():
            assert DIRECTIVE_RE.match(line), f"{where}: directive must stand alone (and never in a comment)"
        assert "<!--#" not in line, f"{where}: '<!--#' starts a pre-processor command"


def test_no_default_password_appears_anywhere_in_the_tree():
    for path in CONF_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "cluecon" not in text.lower(), path
            assert 'password" value="1234' not in text, path


def test_no_static_user_carries_a_password():
    for path in XML_FILES:
        for user in parse_file(path).iter("user"):
            names = {p.get("name") for p in user.iter("param")}
            assert not names & {"password", "a1-hash", "vm-password", "vm-a1-hash"}, path


def test_secrets_xml_is_not_in_the_tree_only_its_example():
    assert not (CONF_DIR / "secrets.xml").exists()
    example = (CONF_DIR / "secrets.xml.example").read_text(encoding="utf-8")
    assert "X-PRE-PROCESS" not in example, "the example must set nothing"
    for name in ("pbx_xml_curl_url", "pbx_xml_curl_user", "pbx_xml_curl_password",
                 "pbx_esl_password"):
        assert name in example
    assert "secrets.xml" in (CONF_DIR / ".gitignore").read_text(encoding="utf-8").split()


# ---------------------------------------------------------------- modules

def test_modules_conf_loads_every_module_the_pbx_uses_and_not_mod_voicemail():
    modules_conf = static_file("autoload_configs/modules.conf.xml")
    loaded = [load.get("module") for load in modules_conf.iter("load")]
    for module in REQUIRED_MODULES:
        assert module in loaded, module
    assert len(loaded) == len(set(loaded))
    assert "mod_voicemail" not in loaded
    text = (CONF_DIR / "autoload_configs/modules.conf.xml").read_text(encoding="utf-8")
    assert "MESSAGE_QUERY" in text, "the comment must say why mod_voicemail is not loaded"


def test_mod_xml_curl_loads_before_mod_sofia_so_gateways_come_from_the_directory():
    loaded = [load.get("module") for load in
              static_file("autoload_configs/modules.conf.xml").iter("load")]
    assert loaded.index("mod_xml_curl") < loaded.index("mod_sofia")
    assert loaded[:2] == ["mod_console", "mod_logfile"]


def test_every_loaded_module_finds_its_configuration(document):
    root, _ = document
    loaded = [load.get("module") for load in
              configuration(root, "modules.conf").iter("load")]
    for module in loaded:
        if module in MODULE_CONFIGS:
            configuration(root, MODULE_CONFIGS[module])
    for name in CORE_CONFIGS:
        configuration(root, name)


# ---------------------------------------------------------------- xml_curl and ESL

def test_xml_curl_binding_is_bounded_authenticated_and_covers_directory_and_dialplan():
    bindings = static_file("autoload_configs/xml_curl.conf.xml").findall(
        "configuration/bindings/binding")
    assert [b.get("name") for b in bindings] == ["pbx"]
    binding = bindings[0]
    url = binding.find("param[@name='gateway-url']")
    assert url.get("value") == "$${pbx_xml_curl_url}"
    sections = url.get("bindings").split("|")
    assert {"directory", "dialplan", "configuration"} <= set(sections)
    values = params(binding)
    assert values["gateway-credentials"] == "$${pbx_xml_curl_user}:$${pbx_xml_curl_password}"
    assert values["auth-scheme"] == "basic"
    assert 0 < int(values["timeout"]) <= 10
    assert values["method"] == "POST"  # sent verbatim as the HTTP method: a strict proxy refuses "post"
    assert values["disable-100-continue"] == "true"
    assert values["enable-cacert-check"] == "true"


def test_installed_xml_curl_binding_uses_the_installed_url_and_credentials(document):
    root, _ = document
    binding = configuration(root, "xml_curl.conf").find("bindings/binding")
    values = params(binding)
    assert values["gateway-url"] == XML_CURL_URL
    assert values["gateway-credentials"] == f"{XML_CURL_USER}:{XML_CURL_PASSWORD}"


def test_call_records_reach_the_control_plane_with_retries_then_wait_in_an_error_folder(document):
    """Issue 16: mod_xml_cdr posts every A leg's record (fax outcomes included) to the control
    plane behind xml_curl's credentials, bounded, retried, then filed for the replay."""
    root, _ = document
    values = params(configuration(root, "xml_cdr.conf").find("settings"))
    assert values["url"] == XML_CURL_URL.removesuffix("/xml") + "/cdr"  # install.sh's default
    assert values["cred"] == f"{XML_CURL_USER}:{XML_CURL_PASSWORD}" and values["auth-scheme"] == "basic"
    assert values["encode"] == "true"  # cdr=<url-encoded XML>, what xml_curl/cdr.py reads
    assert int(values["retries"]) >= 1 and int(values["delay"]) >= 1 and 0 < int(values["timeout"]) <= 30
    assert values["err-log-dir"] and "log-dir" not in values  # undelivered records kept, delivered ones not
    assert values["log-b-leg"] == "false" and values["enable-cacert-check"] == "true"


def test_install_sh_takes_an_explicit_call_record_url(tmp_path, secret_files):
    dest = tmp_path / "freeswitch"
    done = install(dest, "--cdr-url", "https://cdr.example.net/freeswitch/cdr", password_file=secret_files[0],
                   esl_password_file=secret_files[1])
    assert done.returncode == 0, done.stderr
    assert 'data="pbx_xml_cdr_url=https://cdr.example.net/freeswitch/cdr"' in (dest / "secrets.xml").read_text()
    bad = install(tmp_path / "other", "--cdr-url", "http://x/c?a=1&b=2", password_file=secret_files[0],
                  esl_password_file=secret_files[1])
    assert bad.returncode != 0 and not (tmp_path / "other").exists()


def test_replay_script_passes_bash_syntax_check_and_needs_the_secrets(tmp_path):
    if not shutil.which("bash"):
        pytest.skip("bash is not installed")
    script = CONF_DIR / "replay-xml-cdr.sh"
    subprocess.run(["bash", "-n", str(script)], check=True, timeout=30)
    missing = subprocess.run(["bash", str(script), "--conf", str(tmp_path)], capture_output=True, text=True,
                             timeout=30, check=False)
    assert missing.returncode == 1 and "secrets.xml" in missing.stderr


def test_event_socket_listens_on_loopback_with_a_variable_password_and_an_acl():
    values = params(static_file("autoload_configs/event_socket.conf.xml").find(
        "configuration/settings"))
    assert values["listen-ip"] == "127.0.0.1"
    assert values["listen-port"] == "8021"
    assert re.fullmatch(r"\$\$\{\w+\}", values["password"])
    acl = values["apply-inbound-acl"]
    lists = static_file("autoload_configs/acl.conf.xml").findall(
        "configuration/network-lists/list")
    control = [item for item in lists if item.get("name") == acl]
    assert acl == "loopback.auto" or (control and control[0].get("default") == "deny")


def test_installed_event_socket_password_is_the_one_of_the_password_file(document):
    root, _ = document
    values = params(configuration(root, "event_socket.conf").find("settings"))
    assert values["password"] == ESL_PASSWORD


def test_event_socket_password_fails_closed_when_secrets_xml_is_missing():
    """Without secrets.xml an empty password would make mod_event_socket use its built-in one."""
    pre = Preprocessor(BUILTIN_VARS)
    pre.run_file(CONF_DIR / "freeswitch.xml")
    assert pre.missing_files == [str(CONF_DIR / "secrets.xml")]
    root = etree.fromstring("".join(pre.out).encode(), strict_parser())
    values = params(configuration(root, "event_socket.conf").find("settings"))
    assert values["password"], "vars.xml must set a non-empty fallback before secrets.xml"


# ---------------------------------------------------------------- SIP profiles

def profile(relative):
    found = static_file(relative).findall("profile")
    assert len(found) == 1
    return found[0]


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


# ---------------------------------------------------------------- fallbacks

def test_static_directory_is_empty(document):
    root, _ = document
    directory = root.xpath("/document/section[@name='directory']")
    assert len(directory) == 1
    assert len(directory[0]) == 0 or all(
        isinstance(child, etree._Comment) for child in directory[0])
    assert not root.xpath("//user")


def test_fallback_dialplan_never_routes_a_call(document):
    root, _ = document
    contexts = root.xpath("/document/section[@name='dialplan']/context")
    names = {c.get("name") for c in contexts}
    assert {"public", "default"} <= names
    applications = {a.get("application") for a in root.xpath(
        "/document/section[@name='dialplan']//action | "
        "/document/section[@name='dialplan']//anti-action")}
    assert applications == {"log", "hangup"}
    for context in contexts:
        actions = context.findall(".//action")
        assert actions[-1].get("application") == "hangup"


def test_whole_document_resolves_every_include_and_variable(document):
    root, pre = document
    assert root.tag == "document" and root.get("type") == "freeswitch/xml"
    assert pre.missing_files == []
    assert pre.undefined == set()
    assert "$${" not in etree.tostring(root, encoding="unicode")
    assert pre.vars["default_language"] == "fr"
    assert pre.vars["sound_prefix"].startswith(BUILTIN_VARS["sounds_dir"])


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


# ---------------------------------------------------------------- install.sh

def test_install_sh_passes_bash_syntax_check():
    if not shutil.which("bash"):
        pytest.skip("bash is not installed")
    subprocess.run(["bash", "-n", str(INSTALL_SH)], check=True, timeout=30)


def test_install_sh_writes_secrets_readable_by_owner_and_group_only(installed):
    dest, _ = installed
    secrets = dest / "secrets.xml"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o640
    assert not (dest / "install.sh").exists() and not (dest / "README.md").exists()
    assert not list(dest.parent.glob(".freeswitch.new.*")), "staging directory left behind"


def test_install_sh_never_prints_the_passwords(installed):
    _, result = installed
    output = result.stdout + result.stderr
    assert XML_CURL_PASSWORD not in output and ESL_PASSWORD not in output
    assert "reloadxml" in output and "restart" in output


def test_install_sh_refuses_to_replace_secrets_without_force(tmp_path, secret_files):
    dest = tmp_path / "freeswitch"
    first = install(dest, password_file=secret_files[0], esl_password_file=secret_files[1])
    assert first.returncode == 0, first.stderr
    before = (dest / "secrets.xml").read_bytes()

    again = install(dest, password_file=secret_files[1], esl_password_file=secret_files[0])
    assert again.returncode != 0
    assert "--force" in again.stderr
    assert (dest / "secrets.xml").read_bytes() == before

    forced = install(dest, "--force", password_file=secret_files[1],
                     esl_password_file=secret_files[0])
    assert forced.returncode == 0, forced.stderr
    assert (dest / "secrets.xml").read_bytes() != before
    backups = list(tmp_path.glob("freeswitch.bak-*"))
    assert len(backups) == 1 and (backups[0] / "secrets.xml").read_bytes() == before


@pytest.mark.parametrize("bad", ['short', 'with"quote-and-enough-length',
                                 'amp&ersand-long-enough-1234', 'dollar$${x}-long-enough-12'])
def test_install_sh_rejects_a_password_unsafe_in_xml_without_echoing_it(tmp_path, secret_files, bad):
    bad_file = write_secret(tmp_path / "bad.pw", bad)
    result = install(tmp_path / "freeswitch", password_file=bad_file,
                     esl_password_file=secret_files[1])
    assert result.returncode != 0
    assert bad not in result.stdout + result.stderr
    assert not (tmp_path / "freeswitch").exists()


def test_install_sh_rejects_an_url_that_would_break_the_xml(tmp_path, secret_files):
    result = install(tmp_path / "freeswitch", password_file=secret_files[0],
                     esl_password_file=secret_files[1], url='http://ctrl/x?a=1&b="2"')
    assert result.returncode != 0
    assert not (tmp_path / "freeswitch").exists()


def test_install_sh_requires_its_arguments(tmp_path):
    result = subprocess.run(["bash", str(INSTALL_SH), "--dest", str(tmp_path / "fs")],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode != 0
    assert "Usage:" in result.stderr
