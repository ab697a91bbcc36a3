"""``pbx run`` with one addition: the time our app spends on each xml_curl fetch, kept in memory.

``python -m bench.switch.timed_server FILE`` builds the app and serves it exactly as ``pbx run``
does (pbx.server.serve: web, REST API, xml_curl, ESL listener, voicemail socket, fax worker,
settings from the PBX_* environment); with ``--web-only`` as ``pbx web`` does (pbx.server.serve_web:
the production layout, where ``pbx esl`` follows the switch in a process of its own). Around the WSGI app, each ``POST /freeswitch/xml`` is
timed from the moment the server hands the request to the app until the app returned its body
(Flask's dispatch, credentials, parsing, database, XML). SIGUSR1 writes the durations recorded
since the last signal to FILE (one float per line, ms) and starts a new series. The per-fetch
DEBUG log line of xml_curl/views.py would give the view's part only, and turning DEBUG on would
make every other logger of the process speak too.
"""
from gevent import monkey

monkey.patch_all()

import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

from bench.switch.fetch_timer import FetchTimer  # noqa: E402
from pbx.app import create_app  # noqa: E402
from pbx.config import load_settings  # noqa: E402
from pbx.server import serve, serve_web  # noqa: E402


def main(argv: list[str]) -> None:
    web_only = "--web-only" in argv
    (path,) = [arg for arg in argv if arg != "--web-only"]
    app = create_app(load_settings())
    timer = FetchTimer(app.wsgi_app, Path(path))
    app.wsgi_app = timer
    gevent.signal_handler(signal.SIGUSR1, timer.dump)
    settings = app.config["PBX"]
    (serve_web if web_only else serve)(app, settings.host, settings.port)


if __name__ == "__main__":
    main(sys.argv[1:])
