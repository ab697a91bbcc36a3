"""The PDF probe server: ``python -m fax._pdf_probe MEMORY_BYTES`` (started by :mod:`fax.probe_pool`).

Why a server that forks: importing pypdf costs ~0.17 s, more than Ghostscript needs to render
a 10-page fax. This process imports it once, then forks one child per document. The child
starts in ~2 ms with pypdf loaded, caps its own address space and CPU time, inspects the one
document and exits; this server kills it at the deadline. So every document still gets a
fresh, limited, killable process, and nothing a hostile file does survives it.

Protocol on stdin/stdout, one request at a time:
  request  = 4-byte big-endian length N, 8-byte big-endian float timeout (s), N bytes of PDF
  response = 4-byte big-endian length M, M bytes of JSON:
             {"verdict": {...}} | {"timeout": true} | {"signal": n} | {"crash": "traceback"}
A zero-length request (or end of input) stops the server.
"""
from __future__ import annotations

import json
import logging
import os
import resource
import select
import signal
import struct
import sys
import time
import traceback
import warnings

from .pdf_inspect import PdfInfo, inspect_pdf
from .rejections import PdfRejected

REQUEST = struct.Struct(">Id")
RESPONSE = struct.Struct(">I")
_TOO_COMPLEX = {"ok": False, "code": "too_complex"}


def verdict(data: bytes) -> dict:
    """The JSON-ready verdict; the caller puts the real file name back into rejections."""
    try:
        info: PdfInfo = inspect_pdf("", data)
    except PdfRejected as rejected:
        return {"ok": False, "code": rejected.code, "page": rejected.page, "params": rejected.params}
    return {"ok": True, "pages": [[p.width, p.height, p.kind] for p in info.pages]}


def serve(memory_bytes: int) -> None:
    import pypdf  # noqa: F401  -- preloaded here so each forked child has it for free

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.read(REQUEST.size)
        if len(header) < REQUEST.size:
            return
        length, timeout = REQUEST.unpack(header)
        if length == 0:
            return
        data = stdin.read(length)
        answer = json.dumps(_inspect_in_child(data, timeout, memory_bytes)).encode()
        stdout.write(RESPONSE.pack(len(answer)) + answer)
        stdout.flush()


def _inspect_in_child(data: bytes, timeout: float, memory_bytes: int) -> dict:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limit, inspect, report, exit without cleanup
        os.close(read_end)
        _child(data, timeout, memory_bytes, write_end)
    os.close(write_end)
    output, timed_out = _read_until(read_end, time.monotonic() + timeout)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(read_end)
    if timed_out:
        return {"timeout": True}
    if os.WIFSIGNALED(status):  # SIGXCPU from RLIMIT_CPU, SIGSEGV in a C extension…
        return {"signal": os.WTERMSIG(status)}
    return json.loads(output) if output else {"crash": "the probe child exited without an answer"}


def _child(data: bytes, timeout: float, memory_bytes: int, out: int) -> None:
    try:
        cpu = max(1, int(timeout) + 1)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        answer = {"verdict": verdict(data)}
    except MemoryError:  # the address-space cap was hit: the file's fault
        answer = {"verdict": _TOO_COMPLEX}
    except BaseException:
        answer = {"crash": traceback.format_exc()[-2000:]}
    try:
        payload = json.dumps(answer).encode()
    except MemoryError:
        payload = json.dumps({"verdict": _TOO_COMPLEX}).encode()
    while payload:
        payload = payload[os.write(out, payload):]
    os._exit(0)


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return b"".join(chunks), True
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


if __name__ == "__main__":
    # pypdf narrates every repair it makes on a broken file; nobody reads it.
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    serve(int(sys.argv[1]))
