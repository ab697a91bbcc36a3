"""The feeding side, in its own process (pinned to another core): the fake FreeSWITCH.

``python -m bench_esl.feeder <password>`` prints its port, answers the listener's resync
commands with an empty switch, and on ``api bench_stream <copies>`` (from the benchmark's
control connection) streams that many copies of the template to every client that enabled
events, as fast as they read. Runs until stdin closes.
"""
from __future__ import annotations

import sys

import gevent
from gevent import monkey
from gevent.os import make_nonblocking, nb_read

monkey.patch_all()

from bench_esl.stream import Copies, template  # noqa: E402
from tests.fakes.fake_freeswitch import FakeFreeSwitch  # noqa: E402


def main() -> None:
    fake = FakeFreeSwitch(password=sys.argv[1]).start()
    fake.set_reply("show registrations as json", '{"row_count":0}\n')
    fake.set_reply("show channels as json", '{"row_count":0}\n')
    fake.set_reply("valet_info", "<lots>\n</lots>\n")
    copies = Copies(template()[0])

    def stream(count: int) -> None:
        for index in range(count):
            fake.inject(copies.copy(index))

    def start(cmd: str) -> str:
        gevent.spawn(stream, int(cmd.split()[1]))
        return "+OK streaming\n"

    fake.set_reply("bench_stream", start)
    print(fake.port, flush=True)
    make_nonblocking(0)
    while nb_read(0, 1024):  # cooperative: serves until the benchmark closes our stdin
        pass
    fake.stop()


if __name__ == "__main__":
    main()
