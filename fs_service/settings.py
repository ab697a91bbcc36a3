"""The control plane's settings, as the core reads them.

One frozen object holds every tunable; how it is loaded (defaults < TOML file < ``PBX_*``
environment, generated secrets) is the process's business (``pbx/config.py``). The core never
reaches into Flask for it: the process makes its settings current (``use``) for the work it
runs, and core rules read ``current()`` — a context variable, so each greenlet, thread or test
app sees its own, exactly as it saw its own app before.
"""
from __future__ import annotations

import ipaddress
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

ENV_PREFIX = "PBX_"
SECRET_FIELDS = ("secret_key", "xml_curl_password", "esl_password")
MAX_FAX_LINE_RETRIES = 20
# A fax try still ringing is left alone by the watchdog for 150 s (fs_service/fax/watchdog.py).
FAX_RING_SECONDS_RANGE = (5, 120)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every tunable of the control plane. Field name ``foo_bar`` ↔ env ``PBX_FOO_BAR``."""

    env: str = "development"  # development | production | test
    instance_path: str = "instance"
    config_file: str = ""  # default: <instance_path>/pbx.toml
    database_url: str = ""  # default: sqlite:///<instance_path>/pbx.sqlite3
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""  # used in emailed links; default http://host:port
    default_language: str = "fr"
    log_level: str = "INFO"
    # xml_curl door
    xml_curl_user: str = "freeswitch"
    xml_curl_password: str = ""
    xml_curl_allowed: str = "127.0.0.0/8,::1/128"
    # Networks of the HTTP load balancers / reverse proxies whose X-Forwarded-For is believed
    # (pbx/proxies.py); empty: no forwarding header is believed, the peer is the client.
    trusted_proxies: str = ""
    directory_cache_ms: int = 300000
    carrier_profile: str = "external"  # the sofia profile whose gateways we serve
    voicemail_socket: str = "127.0.0.1:8084"  # where FreeSWITCH reaches our voicemail service
    voicemail_allowed: str = "127.0.0.0/8,::1/128"  # who may connect to it: the switches only
    # Voicemail audio folder shared with FreeSWITCH: as this process sees it (default
    # <instance>/voicemail) and as FreeSWITCH sees it (default: the same path).
    voicemail_storage: str = ""
    voicemail_fs_storage: str = ""
    # Fax folder shared with FreeSWITCH (txfax reads the TIFFs we render, rxfax writes what it
    # receives): as this process sees it (default <instance>/fax) and as FreeSWITCH sees it
    # (default: the same path). See fax/storage.py.
    fax_storage: str = ""
    fax_fs_storage: str = ""
    fax_concurrency: int = 4  # faxes one fax worker process places at the same time
    # Days the fax files (sent: TIFF, PDF, cover; received: TIFF, PDF, preview) are kept, counted
    # from the fax's date; then the fax worker deletes those of finished faxes and marks the row
    # "files purged" (history stays). 0 keeps them forever. See fs_service/fax/retention.py.
    fax_retention_days: int = 90
    # How long a fax call rings before the try counts as unanswered (originate_timeout), and the
    # waits before each new try after a busy, unanswered or unreachable line: their count is how
    # many such tries are added (empty: none). See fs_service/fax/ladder.py.
    fax_ring_seconds: int = 60
    fax_line_retry_seconds: str = "120,300,600,1200,1800"
    # A try that ended while nobody listened waits this long for the switch's record
    # (mod_xml_cdr, replayed from its error folder) before the fax shows "outcome unknown";
    # it is never resent blindly. See fs_service/fax/outcomes.py.
    fax_outcome_wait_seconds: int = 1800
    music_on_hold_classes: str = "default,moh"  # local_stream names defined in local_stream.conf.xml
    # ESL door
    freeswitch_nodes: str = ""  # "fs1=127.0.0.1:8021,fs2=10.0.0.2:8021"
    esl_password: str = ""
    esl_timeout: float = 3.0
    esl_retry_seconds: int = 30
    esl_probe_seconds: int = 20  # liveness probe (api status) on each listener connection
    esl_resync_seconds: int = 300  # full state resync even without a reconnect
    esl_backoff_max_seconds: int = 30  # reconnect backoff cap
    park_timeout_seconds: int = 120  # a parked call rings back the extension that parked it
    click_to_call_ring_seconds: int = 30  # how long the user's own phone rings first
    sip_server: str = ""  # host name given to phones and softphones; default: host
    sip_port: int = 5060
    # mail
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    mail_from: str = "pbx@localhost"
    # security
    reset_token_ttl: int = 3600
    login_max_failures: int = 5
    login_window_seconds: int = 900
    reset_max_per_email: int = 3  # "forgot password" requests per email in the window (then: silence)
    reset_max_per_ip: int = 20  # … and per source address, across all web workers
    reset_window_seconds: int = 3600
    session_cookie_secure: bool = False
    # Days the audit log keeps each event (fs_service/audit); 0 keeps them forever.
    audit_retention_days: int = 365

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.instance_path).resolve() / 'pbx.sqlite3'}"

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def resolved_sip_server(self) -> str:
        return self.sip_server or self.host

    @property
    def music_on_hold_choices(self) -> list[str]:
        return [name.strip() for name in self.music_on_hold_classes.split(",") if name.strip()]

    @cached_property  # read on every xml_curl request: parse the list once
    def allowed_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return parse_networks("xml_curl_allowed", self.xml_curl_allowed)

    @cached_property  # read on every request (pbx/proxies.py): parse the list once
    def trusted_proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return parse_networks("trusted_proxies", self.trusted_proxies)

    @cached_property  # checked on every voicemail socket connection (esl_handlers/outbound)
    def voicemail_allowed_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return parse_networks("voicemail_allowed", self.voicemail_allowed)

    @cached_property
    def fax_line_retry_delays(self) -> tuple[timedelta, ...]:
        """``fax_line_retry_seconds`` read: one wait per extra try of a busy or silent line."""
        items = [item.strip() for item in self.fax_line_retry_seconds.split(",") if item.strip()]
        if not all(item.isdigit() for item in items) or len(items) > MAX_FAX_LINE_RETRIES:
            raise ConfigError(f"PBX_FAX_LINE_RETRY_SECONDS: at most {MAX_FAX_LINE_RETRIES} whole numbers of "
                              f"seconds separated by commas, got {self.fax_line_retry_seconds!r}")
        return tuple(timedelta(seconds=int(item)) for item in items)

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict with secrets masked, for `pbx check-config` and logs."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SECRET_FIELDS or f.name in ("smtp_password",):
                value = "***" if value else ""
            out[f.name] = value
        return out


def parse_networks(name: str, text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """A comma-separated list of networks (CIDR, or a bare address) of setting ``name``."""
    try:
        return [ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()]
    except ValueError as exc:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}: {exc}") from exc



# -- FreeSWITCH nodes (PBX_FREESWITCH_NODES) ---------------------------------------------------
# Format: ``fs1=127.0.0.1:8021,fs2=10.0.0.2:8021`` (IPv6 as ``fs3=[::1]:8021``). All nodes share
# one ESL password, passed separately so it never sits in a string that gets logged.
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class NodeConfig:
    """Where one FreeSWITCH's event socket listens. The password is kept out of repr()."""

    name: str
    host: str
    port: int
    password: str = field(repr=False)


def _parse_item(item: str, password: str) -> NodeConfig:
    name, sep, address = item.partition("=")
    name, address = name.strip(), address.strip()
    if not sep or not _NAME_RE.fullmatch(name):
        raise ValueError(f"PBX_FREESWITCH_NODES: bad item {item!r}, expected name=host:port")
    host, colon, port_text = address.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not colon or not host or any(c.isspace() for c in host):
        raise ValueError(f"PBX_FREESWITCH_NODES: bad address in {item!r}, expected host:port")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"PBX_FREESWITCH_NODES: bad port in {item!r}")
    return NodeConfig(name=name, host=host, port=int(port_text), password=password)


def parse_nodes(spec: str, password: str) -> list[NodeConfig]:
    """Parse the node list; an empty spec means no FreeSWITCH configured (returns [])."""
    nodes: list[NodeConfig] = []
    for item in spec.split(","):
        if not item.strip():
            continue  # tolerate "fs1=...," and surrounding blanks
        node = _parse_item(item.strip(), password)
        if any(existing.name == node.name for existing in nodes):
            raise ValueError(f"PBX_FREESWITCH_NODES: duplicate node name {node.name!r}")
        nodes.append(node)
    return nodes

_CURRENT: ContextVar[Settings | None] = ContextVar("pbx_settings", default=None)
_DEFAULTS = Settings()


def use(settings: Settings | None) -> None:
    """Make ``settings`` the current ones for this context (the app factory follows Flask's app
    context with it); ``None`` falls back to the defaults."""
    _CURRENT.set(settings)


def current() -> Settings:
    """The settings of the work in progress; the defaults when no process has set any (pure
    planner tests, which read only defaults)."""
    return _CURRENT.get() or _DEFAULTS
