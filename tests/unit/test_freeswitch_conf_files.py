"""The configuration tree file by file (strict parse after FreeSWITCH's line filter, no
stray directive, no password in it) and the fallbacks a switch keeps when the control plane
is away: no static user, no call routed.

Shared rules and fixtures: freeswitch_conf_support.py."""
from __future__ import annotations

import pytest
from lxml import etree

from tests.unit.freeswitch_conf_support import (BUILTIN_VARS, CONF_DIR, DIRECTIVE_RE,  # noqa: F401 - fixtures
                                                XML_FILES, document, installed, parse_file, secret_files)

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
