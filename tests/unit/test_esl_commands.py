"""ESL command strings, intent translation, reply parsing, and the node list setting."""
from dataclasses import dataclass
from pathlib import Path

import pytest

from esl_handlers.commands import (CommandResult, command_for, flush_all_directory, parse_api_response, sendevent,
                                   sofia_check_sync, sofia_profile_rescan, xml_flush_cache)
from esl_handlers.protocol import EslParser
from fs_service.settings import NodeConfig, parse_nodes

TRANSCRIPT = (Path(__file__).resolve().parent.parent / "fixtures" / "esl" / "api-transcript"
              / "api-transcript-freeswitch-to-client.esl")


@dataclass
class FakeIntent:
    kind: str
    user: str = "101"
    domain: str = "acme.test"


def test_xml_flush_cache_names_one_user_by_id():
    assert xml_flush_cache("101", "acme.test") == "xml_flush_cache id 101 acme.test"


def test_flush_all_directory_has_no_argument():
    assert flush_all_directory() == "xml_flush_cache"


def test_check_sync_addresses_user_at_domain_on_a_profile():
    assert sofia_check_sync("internal", "101", "acme.test") == "sofia profile internal check_sync 101@acme.test"


def test_profile_rescan():
    assert sofia_profile_rescan("internal") == "sofia profile internal rescan"


BAD_USERS = ["", "10 1", "101\n", "101\r\nexit", "\t", "101@evil.test", "'101'", "a/b", None, 101]
BAD_DOMAINS = ["", "acme test", "acme.test\n", "acme.test\nexit", "-acme.test", "acme.test ", "a@b"]


@pytest.mark.parametrize("user", BAD_USERS)
def test_user_that_freeswitch_would_split_or_misparse_is_refused(user):
    with pytest.raises(ValueError):
        xml_flush_cache(user, "acme.test")
    with pytest.raises(ValueError):
        sofia_check_sync("internal", user, "acme.test")


@pytest.mark.parametrize("domain", BAD_DOMAINS)
def test_domain_that_freeswitch_would_split_or_misparse_is_refused(domain):
    with pytest.raises(ValueError):
        xml_flush_cache("101", domain)
    with pytest.raises(ValueError):
        sofia_check_sync("internal", "101", domain)


@pytest.mark.parametrize("profile", ["", "internal rescan", "internal\n", "a;b"])
def test_bad_profile_is_refused(profile):
    with pytest.raises(ValueError):
        sofia_profile_rescan(profile)
    with pytest.raises(ValueError):
        sofia_check_sync(profile, "101", "acme.test")


def test_intents_translate_to_commands():
    assert command_for(FakeIntent("flush_directory_user")) == "xml_flush_cache id 101 acme.test"
    assert command_for(FakeIntent("check_sync", "200", "beta.test")) == (
        "sofia profile internal check_sync 200@beta.test")
    assert command_for(FakeIntent("flush_directory_all")) == "xml_flush_cache"


def test_core_outbox_intents_translate_to_commands():
    from fs_service.outbox import CheckSync, FlushDirectoryUser

    assert command_for(FlushDirectoryUser("101", "acme.test")) == "xml_flush_cache id 101 acme.test"
    assert command_for(CheckSync("101", "acme.test")) == "sofia profile internal check_sync 101@acme.test"


def test_intent_values_are_validated_too():
    with pytest.raises(ValueError):
        command_for(FakeIntent("flush_directory_user", user="101 x"))


def test_unknown_intent_kind_is_refused():
    with pytest.raises(ValueError, match="reloadxml"):
        command_for(FakeIntent("reloadxml"))


def test_intent_missing_an_attribute_is_a_value_error():
    @dataclass
    class Partial:
        kind: str = "check_sync"
        user: str = "101"

    with pytest.raises(ValueError, match="domain"):
        command_for(Partial())


@pytest.mark.parametrize("body, ok, text", [
    ("+OK cleared 1 entry\n", True, "+OK cleared 1 entry"),
    (b"+OK cleared 0 entries\n", True, "+OK cleared 0 entries"),
    ("-ERR nosuchcommand Command not found!\n", False, "-ERR nosuchcommand Command not found!"),
    ("-USAGE: <id|user|domain> <key> [<val>]\n", False, "-USAGE: <id|user|domain> <key> [<val>]"),
    ("-ERR no reply\n", False, "-ERR no reply"),
    ("true", True, "true"),
    ("0", True, "0"),
])
def test_api_replies_parse_to_results(body, ok, text):
    assert parse_api_response(body) == CommandResult(ok=ok, body=text)


def test_recorded_api_replies_parse_as_expected():
    frames = [f for f in EslParser().feed(TRANSCRIPT.read_bytes()) if f.content_type == "api/response"]
    failed = [parse_api_response(f.body).body for f in frames if not parse_api_response(f.body).ok]
    assert failed == ["-ERR Conference 3000-acme.test not found", "-ERR USER_NOT_REGISTERED",
                      "-ERR nosuchcommand Command not found!"]


# -- node list (PBX_FREESWITCH_NODES) ------------------------------------------------------

def test_node_list_parses_names_hosts_and_ports():
    assert parse_nodes("fs1=127.0.0.1:8021, fs2=10.0.0.2:8022", "pw") == [
        NodeConfig("fs1", "127.0.0.1", 8021, "pw"), NodeConfig("fs2", "10.0.0.2", 8022, "pw")]


def test_node_list_accepts_bracketed_ipv6():
    assert parse_nodes("fs3=[::1]:8021", "pw") == [NodeConfig("fs3", "::1", 8021, "pw")]


@pytest.mark.parametrize("spec", ["", "   ", ","])
def test_empty_node_list_means_no_freeswitch(spec):
    assert parse_nodes(spec, "pw") == []


@pytest.mark.parametrize("spec, bad", [
    ("fs1=127.0.0.1", "fs1=127.0.0.1"),
    ("fs1=127.0.0.1:80x", "fs1=127.0.0.1:80x"),
    ("fs1=127.0.0.1:0", "fs1=127.0.0.1:0"),
    ("fs1=127.0.0.1:8021,127.0.0.2:8021", "127.0.0.2:8021"),
    ("=127.0.0.1:8021", "=127.0.0.1:8021"),
    ("fs 1=127.0.0.1:8021", "fs 1=127.0.0.1:8021"),
    ("fs1=:8021", "fs1=:8021"),
])
def test_bad_node_item_is_named_in_the_error(spec, bad):
    with pytest.raises(ValueError) as error:
        parse_nodes(spec, "pw")
    assert repr(bad) in str(error.value)


def test_duplicate_node_name_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        parse_nodes("fs1=127.0.0.1:8021,fs1=127.0.0.2:8021", "pw")


def test_node_repr_hides_the_password():
    assert "s3cret" not in repr(NodeConfig("fs1", "127.0.0.1", 8021, "s3cret"))


def test_sendevent_names_one_event_and_nothing_else():
    assert sendevent("MESSAGE_WAITING") == "sendevent MESSAGE_WAITING"
    for bad in ("MESSAGE_WAITING\nexit", "MESSAGE WAITING", "", "message_waiting"):
        with pytest.raises(ValueError):
            sendevent(bad)
