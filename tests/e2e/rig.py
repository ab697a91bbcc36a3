"""The whole real-switch rig: control plane + switch under test + peer switch + SMTP sink.

Order matters: the control plane first (the switch fetches its configuration, gateways and
IVR menus from it at start), then the switch under test, then — once the extensions exist and
their SIP passwords are known — the peer whose gateways register as those phones.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.smtp import RecordingSmtpServer

from .control_plane import Api, ControlPlane
from .layout import Phone, SutPorts, lay_out_peer, lay_out_sut, new_secret, prepare_sounds
from .ports import free_port, rtp_range
from .switch import Switch

OPERATOR_EMAIL = "operator@e2e.test"


@dataclass
class Rig:
    root: Path
    command: list[str]
    smtp: RecordingSmtpServer = field(default_factory=RecordingSmtpServer)
    cp: ControlPlane | None = None
    sut: Switch | None = None
    peer: Switch | None = None
    operator: Api | None = None
    sut_ports: SutPorts | None = None
    peer_sip_port: int = 0
    sounds: Path | None = None
    phones: list[Phone] = field(default_factory=list)
    world: object = None  # tests.e2e.world.World, once built

    # -- start -----------------------------------------------------------------------------
    def start_control_plane(self) -> None:
        self.smtp.start()
        self.sounds = prepare_sounds()
        self.sut_ports = SutPorts(internal_sip=free_port(), external_sip=free_port(), esl=free_port(),
                                  rtp=rtp_range())
        self.peer_sip_port = free_port()
        port, xml_password, esl_password = free_port(), new_secret(), new_secret()
        operator_password = new_secret()
        env = {
            "PBX_ENV": "development", "PBX_INSTANCE_PATH": str(self.root / "cp" / "instance"),
            "PBX_HOST": "127.0.0.1", "PBX_PORT": str(port), "PBX_SECRET_KEY": new_secret(),
            "PBX_XML_CURL_PASSWORD": xml_password, "PBX_ESL_PASSWORD": esl_password,
            "PBX_FREESWITCH_NODES": f"fs1=127.0.0.1:{self.sut_ports.esl}",
            "PBX_VOICEMAIL_SOCKET": f"127.0.0.1:{free_port()}",
            "PBX_SMTP_HOST": "127.0.0.1", "PBX_SMTP_PORT": str(self.smtp.port), "PBX_MAIL_FROM": "pbx@e2e.test",
            "PBX_SIP_PORT": str(self.sut_ports.internal_sip), "PBX_LOG_LEVEL": "DEBUG",
            "PBX_ESL_PROBE_SECONDS": "2", "PBX_ESL_BACKOFF_MAX_SECONDS": "1", "PBX_ESL_RETRY_SECONDS": "2",
            "PBX_CARRIER_PROFILE": "external",
            # A fax to a line nobody answers rings 6 s a try and is tried 3 times, 1 s apart (test_fax.py).
            "PBX_FAX_RING_SECONDS": "6", "PBX_FAX_LINE_RETRY_SECONDS": "1,1",
            # Several scenarios log Alice in through "forgot password" (as a user would); the
            # production limit of 3 an hour per address would silently drop the fourth link.
            "PBX_RESET_MAX_PER_EMAIL": "50",
        }
        (self.root / "cp").mkdir(parents=True, exist_ok=True)
        self.cp = ControlPlane(self.root / "cp", port, env)
        self.cp.pbx("db", "upgrade")
        self.cp.pbx("create-operator", "--email", OPERATOR_EMAIL, "--password", operator_password)
        self.cp.start()
        # Operators log in with two-factor; automation takes a token from the host (pbx create-api-token).
        self.operator = Api(self.cp.url, self.cp.pbx("create-api-token", "--email", OPERATOR_EMAIL).split()[-1])
        self._xml_password, self._esl_password = xml_password, esl_password

    def start_sut(self) -> None:
        conf = lay_out_sut(self.root / "sut" / "conf", url=f"{self.cp.url}/freeswitch/xml", user="freeswitch",
                           password=self._xml_password, esl_password=self._esl_password, ports=self.sut_ports)
        self.sut = Switch("sut", self.command, self.root / "sut", conf, self.sut_ports.esl, self._esl_password)
        self.sut.start(self.sounds)

    def start_peer(self, phones: list[Phone]) -> None:
        self.phones = phones
        esl_port, esl_password = free_port(), new_secret()
        peer_dir = self.root / "peer"
        conf = lay_out_peer(peer_dir / "conf", phones=phones, peer_dir=peer_dir,
                            phones_port=self.sut_ports.internal_sip, carrier_port=self.sut_ports.external_sip,
                            sip_port=self.peer_sip_port, esl_port=esl_port, esl_password=esl_password,
                            rtp=rtp_range())
        (peer_dir / "storage" / "fax").mkdir(parents=True, exist_ok=True)
        self.peer = Switch("peer", self.command, peer_dir, conf, esl_port, esl_password)
        self.peer.start(self.sounds)

    # -- stop ------------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop everything that was started, each even if another fails."""
        for stop in (lambda: self.peer and self.peer.stop(), lambda: self.sut and self.sut.stop(),
                     lambda: self.cp and self.cp.stop(), self.smtp.stop):
            try:
                stop()
            except Exception:  # noqa: BLE001 - the others must still stop
                pass


def wait_for(condition, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"):
    """Poll ``condition`` until it returns something truthy; its last value otherwise fails."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value {value!r}")


def keep_logs(rig: Rig, dest: Path) -> Path:
    """Copy the switches' and the control plane's logs where a failed run can be read."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, path in (("sut-freeswitch.log", rig.sut and rig.sut.log_file),
                       ("peer-freeswitch.log", rig.peer and rig.peer.log_file),
                       ("pbx.log", rig.cp and rig.cp.log_file)):
        if path and Path(path).exists():
            shutil.copy(path, dest / name)
    return dest
