"""The two switches' configuration folders and the sounds they play.

The switch under test gets the project's ``freeswitch-conf/`` exactly as an operator installs
it (``install.sh``), plus only what a test site must change: loopback addresses, free ports,
an RTP range of its own and the carrier switch in the ``carriers`` ACL. Each override must
find its target once, so a renamed setting fails here instead of being silently skipped.
The peer switch plays the phones (one registering gateway per extension) and the carrier.
"""
from __future__ import annotations

import math
import secrets
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parents[2]
SOUNDS_CACHE = ROOT / ".cache" / "e2e-sounds"
PEER_TEMPLATE = Path(__file__).with_name("peer.xml")


@dataclass(frozen=True)
class SutPorts:
    internal_sip: int
    external_sip: int
    esl: int
    rtp: tuple[int, int]


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    count = text.count(old)
    if count != 1:
        raise AssertionError(f"test override: {old!r} found {count} times in {path}")
    path.write_text(text.replace(old, new))


def lay_out_sut(dest: Path, *, url: str, user: str, password: str, esl_password: str,
                ports: SutPorts, carrier_cidr: str = "127.0.0.1/32") -> Path:
    """``freeswitch-conf/install.sh`` into ``dest``, then the test site's settings."""
    secrets_dir = dest.parent / "secrets"
    secrets_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, value in (("xml_curl.pw", password), ("esl.pw", esl_password)):
        files[name] = secrets_dir / name
        files[name].write_text(value + "\n")
        files[name].chmod(0o600)
    subprocess.run(["bash", str(ROOT / "freeswitch-conf" / "install.sh"), "--dest", str(dest), "--url", url,
                    "--user", user, "--password-file", str(files["xml_curl.pw"]),
                    "--esl-password-file", str(files["esl.pw"])],
                   check=True, capture_output=True, timeout=60)
    vars_xml = dest / "vars.xml"
    # local_ip_v4 is computed by FreeSWITCH; setting it first keeps every profile on loopback.
    _replace_once(vars_xml, "<include>", '<include>\n  <X-PRE-PROCESS cmd="set" data="local_ip_v4=127.0.0.1"/>')
    _replace_once(vars_xml, 'data="internal_sip_port=5060"', f'data="internal_sip_port={ports.internal_sip}"')
    _replace_once(vars_xml, 'data="external_sip_port=5080"', f'data="external_sip_port={ports.external_sip}"')
    _replace_once(dest / "autoload_configs" / "event_socket.conf.xml",
                  'name="listen-port" value="8021"', f'name="listen-port" value="{ports.esl}"')
    switch_conf = dest / "autoload_configs" / "switch.conf.xml"
    _replace_once(switch_conf, 'name="rtp-start-port" value="16384"', f'name="rtp-start-port" value="{ports.rtp[0]}"')
    _replace_once(switch_conf, 'name="rtp-end-port" value="32768"', f'name="rtp-end-port" value="{ports.rtp[1]}"')
    _replace_once(switch_conf, 'name="colorize-console" value="true"', 'name="colorize-console" value="false"')
    _replace_once(dest / "autoload_configs" / "acl.conf.xml", '<list name="carriers" default="deny">',
                  f'<list name="carriers" default="deny">\n      <node type="allow" cidr="{carrier_cidr}"/>')
    return dest


@dataclass(frozen=True)
class Phone:
    """One desk phone played by a registering gateway of the peer."""
    gateway: str
    user: str
    domain: str
    password: str


def lay_out_peer(dest: Path, *, phones: list[Phone], peer_dir: Path, phones_port: int, carrier_port: int,
                 sip_port: int, esl_port: int, esl_password: str, rtp: tuple[int, int]) -> Path:
    """The peer's one-file configuration (``dest/freeswitch.xml``) from ``peer.xml``."""
    dest.mkdir(parents=True, exist_ok=True)
    gateways = "\n".join(_phone_gateway(phone, phones_port) for phone in phones)
    text = PEER_TEMPLATE.read_text()
    for key, value in (("@GATEWAYS@", gateways), ("@PEER_DIR@", str(peer_dir)), ("@CARRIER_PORT@", str(carrier_port)),
                       ("@PEER_SIP_PORT@", str(sip_port)), ("@PEER_ESL_PORT@", str(esl_port)),
                       ("@PEER_ESL_PASSWORD@", esl_password), ("@RTP_START@", str(rtp[0])),
                       ("@RTP_END@", str(rtp[1]))):
        assert key in text, key
        text = text.replace(key, value)
    (dest / "freeswitch.xml").write_text(text)
    return dest


def _phone_gateway(phone: Phone, phones_port: int) -> str:
    params = {"username": phone.user, "password": phone.password, "realm": phone.domain,
              "from-domain": phone.domain, "from-user": phone.user, "proxy": f"127.0.0.1:{phones_port}",
              "register": "true", "expire-seconds": "120", "retry-seconds": "2", "extension": phone.user,
              "context": "phones", "caller-id-in-from": "true"}
    lines = [f'            <gateway name={quoteattr(phone.gateway)}>']
    lines += [f'              <param name="{k}" value={quoteattr(v)}/>' for k, v in params.items()]
    lines.append("            </gateway>")
    return "\n".join(lines)


def prepare_sounds() -> Path:
    """The generated PBX prompts in FreeSWITCH's layout and one music-on-hold file.

    Kept in ``.cache/e2e-sounds`` (generation takes ~20 s; an existing file is kept)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_prompts.py"), "--layout", "freeswitch",
                    "--out", str(SOUNDS_CACHE)], check=True, capture_output=True, timeout=300)
    for rate in (8000, 16000):
        _tone(SOUNDS_CACHE / "music" / str(rate) / "hold-tone.wav", rate)
    return SOUNDS_CACHE


def _tone(path: Path, rate: int, seconds: float = 4.0) -> None:
    """A soft two-tone chime: local_stream needs at least one file where it points (NOTES §9.19)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    for i in range(int(rate * seconds)):
        t = i / rate
        value = 0.2 * math.sin(2 * math.pi * (440 if t % 1 < 0.5 else 660) * t)
        frames += int(value * 32767).to_bytes(2, "little", signed=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))


def new_secret() -> str:
    return secrets.token_hex(20)
