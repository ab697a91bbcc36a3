"""install.sh: secrets written for the owner only, never printed, never replaced without
--force, unsafe passwords and URLs refused without echoing them.

Shared rules and fixtures: freeswitch_conf_support.py."""
from __future__ import annotations

import shutil
import stat
import subprocess

import pytest

from tests.unit.freeswitch_conf_support import (ESL_PASSWORD, INSTALL_SH, XML_CURL_PASSWORD,  # noqa: F401 - fixtures
                                                install, installed, secret_files, write_secret)

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
