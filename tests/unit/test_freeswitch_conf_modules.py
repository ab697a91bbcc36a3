"""The modules the PBX loads, each finding its configuration, and the two links to the control
plane: mod_xml_curl's binding and call records, and the event socket's password and ACL.

Shared rules and fixtures: freeswitch_conf_support.py."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from lxml import etree

from tests.unit.freeswitch_conf_support import (BUILTIN_VARS, CONF_DIR, CORE_CONFIGS,  # noqa: F401 - fixtures
                                                ESL_PASSWORD, MODULE_CONFIGS, REQUIRED_MODULES, XML_CURL_PASSWORD,
                                                XML_CURL_URL, XML_CURL_USER, Preprocessor, configuration, document,
                                                install, installed, params, secret_files, static_file, strict_parser)

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
