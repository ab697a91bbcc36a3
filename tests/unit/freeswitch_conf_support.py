"""What the FreeSWITCH configuration tests share: FreeSWITCH's pre-processor rules, a strict
parser, a real run of install.sh (fixtures) and the document rebuilt from freeswitch.xml.

FreeSWITCH's pre-processor (src/switch_xml.c, preprocess()) works line by line before any
XML parsing: it drops every line containing "<?", "<include>" or "</include>", runs every
line holding an X-PRE-PROCESS directive (even inside a comment) and prints nothing for it,
and expands $${var} everywhere. The tests apply the same rules, parse strictly with lxml,
then rebuild the whole document from freeswitch.xml after a real run of install.sh.
No network, no FreeSWITCH needed.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
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


def profile(relative):
    found = static_file(relative).findall("profile")
    assert len(found) == 1
    return found[0]
