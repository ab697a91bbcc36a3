"""The feeding side, in its own process (pinned to another core): the fake FreeSWITCH.

``python -m bench.esl.feeder <password>`` prints its port and answers the listener's resync
commands with an empty switch. The benchmark's control connection sends ``api bench_prepare
<copies> <hangup delay>`` (the stream is built in memory, untimed) then ``api bench_stream``: the whole stream
goes to every client that enabled events in one ``sendall``, so the kernel feeds the reader as
fast as it reads and the feeder is never the bottleneck. Runs until stdin closes.
"""
from __future__ import annotations

import sys

import gevent
from gevent import monkey
from gevent.os import make_nonblocking, nb_read

monkey.patch_all()

from bench.esl.stream import build  # noqa: E402
from tests.fakes.fake_freeswitch import FakeFreeSwitch  # noqa: E402


def main() -> None:
    fake = FakeFreeSwitch(password=sys.argv[1]).start()
    fake.set_reply("show registrations as json", '{"row_count":0}\n')
    fake.set_reply("show channels as json", '{"row_count":0}\n')
    fake.set_reply("valet_info", "<lots>\n</lots>\n")
    prepared = [b""]

    def prepare(cmd: str) -> str:
        _, copies, delay = cmd.split()
        prepared[0] = build(int(copies), int(delay))
        return f"+OK {len(prepared[0])} bytes\n"

    def start(cmd: str) -> str:
        gevent.spawn(fake.inject, prepared[0])
        return "+OK streaming\n"

    fake.set_reply("bench_prepare", prepare)
    fake.set_reply("bench_stream", start)
    print(fake.port, flush=True)
    make_nonblocking(0)
    while nb_read(0, 1024):  # cooperative: serves until the benchmark closes our stdin
        pass
    fake.stop()


if __name__ == "__main__":
    main()
