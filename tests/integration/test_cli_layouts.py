"""The production layout's processes, run as the real commands: ``pbx web`` answers HTTP (UI,
API, xml_curl) and leaves the switch to ``pbx esl --node``, which connects to it."""
from __future__ import annotations

import base64
import os
import select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.ports import free_port

PBX = Path(sys.executable).parent / "pbx"


@pytest.fixture
def switch_socket():
    """A listening socket standing for FreeSWITCH's event socket: only who connects matters."""
    listener = socket.create_server(("127.0.0.1", 0))
    yield listener
    listener.close()


def _connected_within(listener: socket.socket, seconds: float) -> bool:
    readable, _, _ = select.select([listener], [], [], seconds)
    if readable:
        listener.accept()[0].close()
    return bool(readable)


def _answer(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait_for_http(process: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()[-2000:]
        try:
            _answer(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url}")


def test_pbx_web_serves_http_and_xml_curl_and_leaves_the_switch_to_pbx_esl(tmp_path, switch_socket):
    port = free_port()
    settings = {"instance_path": tmp_path / "instance", "database_url": f"sqlite:///{tmp_path / 'pbx.sqlite3'}",
                "secret_key": "s" * 32, "xml_curl_password": "xml-secret", "esl_password": "esl-secret",
                "freeswitch_nodes": f"fs1=127.0.0.1:{switch_socket.getsockname()[1]}", "host": "127.0.0.1",
                "port": port, "smtp_port": 1, "log_level": "WARNING", "env": "production",
                "public_url": "http://pbx.test"}
    env = {**os.environ, **{f"PBX_{k.upper()}": str(v) for k, v in settings.items()}}
    subprocess.run([str(PBX), "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    processes = []
    try:
        web = subprocess.Popen([str(PBX), "web"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        processes.append(web)
        _wait_for_http(web, f"http://127.0.0.1:{port}/healthz")
        status, page = _answer(f"http://127.0.0.1:{port}/login")
        assert status == 200 and b"<form" in page
        auth = "Basic " + base64.b64encode(b"freeswitch:xml-secret").decode()
        status, document = _answer(f"http://127.0.0.1:{port}/freeswitch/xml",
                                   data=b"section=directory&action=sip_auth&user=100&domain=nowhere.test",
                                   headers={"Authorization": auth})
        assert status == 200 and b'<document type="freeswitch/xml">' in document
        assert not _connected_within(switch_socket, 3), "pbx web opened the event socket"

        esl = subprocess.Popen([str(PBX), "esl", "--node", "fs1"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        processes.append(esl)
        assert _connected_within(switch_socket, 30), "pbx esl never connected to its node"
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
