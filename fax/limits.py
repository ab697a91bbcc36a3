"""Run a child program under hard memory and CPU limits.

Why a trampoline rather than ``preexec_fn``: ``preexec_fn`` runs Python between fork and exec,
which the Python docs call unsafe when the parent has threads (gunicorn, gevent's thread pool),
and it is ignored by some subprocess back-ends. Instead the command is prefixed with a tiny
isolated interpreter (``python -I -S -c``, about 15 ms) that sets the limits on itself and then
``exec``\\ s the real program, which inherits them. Limits are per process: RLIMIT_AS caps the
address space (a decompression bomb fails its allocation instead of swapping the host) and
RLIMIT_CPU is a second guard behind the caller's wall-clock timeout.
"""
from __future__ import annotations

import math
import sys
from typing import Sequence

_TRAMPOLINE = (
    "import os, resource, sys\n"
    "mem, cpu = int(sys.argv[1]), int(sys.argv[2])\n"
    "resource.setrlimit(resource.RLIMIT_AS, (mem, mem))\n"
    "resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))\n"
    "os.execvp(sys.argv[3], sys.argv[3:])\n"
)


def limited(argv: Sequence[str], *, memory_bytes: int, cpu_seconds: float) -> list[str]:
    """``argv`` prefixed so that it runs with at most ``memory_bytes`` of address space and
    ``cpu_seconds`` of CPU time (rounded up to whole seconds, at least 1)."""
    cpu = max(1, math.ceil(cpu_seconds))
    return [sys.executable, "-I", "-S", "-c", _TRAMPOLINE, str(int(memory_bytes)), str(cpu), *argv]
