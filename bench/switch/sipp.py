"""SIPp (Debian ``sip-tester``) registering many distinct users with digest authentication.

The injection file holds one line per user, ``user;domain;[authentication username=… password=…]``:
SIPp expands the third field into the Authorization header of the second REGISTER, computed
from the 401's challenge (NOTES §21). ``-aa`` answers the ``message-summary`` NOTIFY the switch
sends each new contact, so unanswered NOTIFYs are not retransmitted inside the measured window.
Each finished registration is written by ``-trace_rtt`` with the wall-clock time it completed and
its duration (first REGISTER sent → 200 OK received).
"""
from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.ports import free_port

_REGISTER = """
      REGISTER sip:[field1] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field0]@[field1]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[field0]@[field1]>
      Call-ID: [call_id]
      CSeq: {cseq} REGISTER
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      {auth}Max-Forwards: 70
      Expires: 3600
      User-Agent: sipp-register-storm
      Content-Length: 0

"""
SCENARIO = f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register storm">
  <send retrans="500"><![CDATA[
{_REGISTER.format(cseq=1, auth="")}  ]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
{_REGISTER.format(cseq=2, auth="[field2]" + chr(10) + "      ")}  ]]></send>
  <recv response="200" rtd="true"/>
</scenario>
"""


@dataclass(frozen=True)
class StormResult:
    started: float  # epoch seconds, first REGISTER sent
    done: list[tuple[float, float]]  # (epoch s when the 200 OK came, registration ms), in order
    failed: int  # SIPp's failed calls (timeouts, unexpected answers)
    wall: float

    @property
    def rate(self) -> float:
        """Registrations per second from the first REGISTER to the last 200 OK."""
        if not self.done:
            return 0.0
        return len(self.done) / max(1e-6, self.done[-1][0] - self.started)


def sipp_command() -> str | None:
    return shutil.which("sipp")


def write_users(path: Path, domain: str, passwords: dict[str, str]) -> None:
    lines = ["SEQUENTIAL"] + [f"{user};{domain};[authentication username={user} password={password}]"
                              for user, password in passwords.items()]
    path.write_text("\n".join(lines) + "\n")


def register_storm(workdir: Path, target: tuple[str, int], users: Path, count: int, *,
                   concurrency: int, time_limit: float) -> StormResult:
    """``count`` registrations, at most ``concurrency`` in progress, stopped after ``time_limit``."""
    scenario = workdir / "register.xml"
    scenario.write_text(SCENARIO)
    port = free_port()
    argv = [sipp_command() or "sipp", f"{target[0]}:{target[1]}", "-sf", str(scenario), "-inf", str(users),
            "-i", "127.0.0.1", "-p", str(port), "-m", str(count), "-l", str(concurrency),
            "-r", "10000", "-rp", "1000", "-aa", "-nostdin", "-timeout", f"{time_limit:.0f}s",
            "-recv_timeout", "15000", "-trace_rtt", "-rtt_freq", "1",
            "-trace_stat", "-stf", str(workdir / "stat.csv"), "-trace_err", "-error_file", str(workdir / "errors.log")]
    launched = time.time()
    done = subprocess.run(argv, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=time_limit + 30)
    wall = time.time() - launched
    stat = workdir / "stat.csv"
    # 1: some calls failed (counted below), or a bad option (then no statistics were written).
    if done.returncode not in (0, 1) or not stat.exists():
        raise RuntimeError(f"sipp exited {done.returncode}: {done.stderr[-2000:]}")
    finished = _rtt(next(workdir.glob("register_*_rtt.csv"), workdir / "no-rtt.csv"))
    # The first REGISTER left when the first-started registration began (not when sipp launched).
    started = min((t - ms / 1000 for t, ms in finished), default=launched)
    return StormResult(started, finished, _failed(stat), wall)


def _rtt(path: Path) -> list[tuple[float, float]]:
    """``-trace_rtt`` lines ``date_ms;response_time_ms;rtd_no`` (epoch ms), header first."""
    rows = []
    if path.exists():
        for line in path.read_text().splitlines()[1:]:
            parts = line.split(";")
            if len(parts) >= 2 and parts[0]:
                rows.append((float(parts[0]) / 1000, float(parts[1])))
    return sorted(rows)


def _failed(path: Path) -> int:
    lines = [line.split(";") for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    if len(lines) < 2:
        return 0
    header, last = lines[0], lines[-1]
    return int(last[header.index("FailedCall(C)")])
