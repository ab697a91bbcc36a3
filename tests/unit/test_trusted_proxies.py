"""PBX_TRUSTED_PROXIES: X-Forwarded-For believed only from trusted proxies (pbx/proxies.py)."""
from __future__ import annotations

import pytest

from fs_service.settings import ConfigError, parse_networks
from pbx.config import load_settings
from pbx.proxies import TrustedProxies


def seen(environ_extra: dict, trusted: str = "10.0.0.0/24,2001:db8::/32") -> tuple[str, str | None]:
    """Run one request through the middleware; return the REMOTE_ADDR the app saw and the kept peer."""
    got = {}

    def app(environ, start_response):
        got.update(environ)
        return [b""]

    environ = {"REMOTE_ADDR": "10.0.0.5", **environ_extra}
    TrustedProxies(app, parse_networks("trusted_proxies", trusted))(environ, lambda *a: None)
    return got["REMOTE_ADDR"], got.get("werkzeug.proxy_fix.orig_remote_addr")


def test_trusted_proxy_forwarding_gives_the_client_address():
    assert seen({"HTTP_X_FORWARDED_FOR": "198.51.100.7"}) == ("198.51.100.7", "10.0.0.5")


def test_untrusted_peer_with_forged_header_is_ignored():
    assert seen({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}) == ("203.0.113.9", None)


def test_chain_of_two_trusted_proxies_skips_both_and_ignores_what_the_client_wrote():
    # client forged "127.0.0.1", real client 198.51.100.7, then two balancers of ours
    addr, _ = seen({"HTTP_X_FORWARDED_FOR": "127.0.0.1, 198.51.100.7, 10.0.0.9"})
    assert addr == "198.51.100.7"


@pytest.mark.parametrize("header", ["not-an-ip", "198.51.100.7, unknown", "198.51.100.7,,", ""])
def test_malformed_or_empty_header_falls_back_to_the_peer(header):
    assert seen({"HTTP_X_FORWARDED_FOR": header}) == ("10.0.0.5", None)


def test_garbage_left_of_the_client_is_never_read():
    assert seen({"HTTP_X_FORWARDED_FOR": "junk, 198.51.100.7"})[0] == "198.51.100.7"


@pytest.mark.parametrize("peer,header,expected", [
    ("::ffff:10.0.0.5", "198.51.100.7:51234", "198.51.100.7"),  # dual-stack peer, port in XFF
    ("2001:db8::1", "[2001:db8:ffff::2]:443, 2001:db8::3", "2001:db8:ffff::2"),  # all ours: leftmost
])
def test_address_spellings(peer, header, expected):
    assert seen({"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": header})[0] == expected


def test_no_trusted_networks_means_no_header_is_believed():
    assert seen({"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, trusted="") == ("10.0.0.5", None)


def test_setting_is_parsed_and_a_typo_names_the_variable(tmp_path):
    settings = load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"})
    assert [str(n) for n in settings.trusted_proxy_networks] == ["10.0.0.0/8", "192.0.2.1/32"]
    assert load_settings({"PBX_INSTANCE_PATH": str(tmp_path)}).trusted_proxy_networks == []
    with pytest.raises(ConfigError, match="PBX_TRUSTED_PROXIES"):
        load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_TRUSTED_PROXIES": "10.0.0.0/33"})
