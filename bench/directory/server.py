"""One server process, as production ``pbx run`` serves: gevent's WSGIServer, monkey-patched first.

``python -m bench.directory.server CONFIG KIND PORTFILE`` serves on 127.0.0.1, port 0, and writes the
port the OS chose to PORTFILE. KIND is:

- ``real``: the real app (``pbx.app.create_app``) on the seeded database;
- ``flask-fixed``: the same app with one extra route, ``/bench/fixed``, that reads the POST and
  returns a fixed directory document (the ceiling: same server, same Flask stack, no auth, no
  form parsing, no database, no XML building);
- ``wsgi-fixed``: a bare WSGI function returning the same document (gevent's own floor).

With BENCH_CPROFILE=<file> set, SIGUSR1 starts cProfile and SIGUSR2 stops it and dumps stats.
On SIGTERM, the ``real`` server writes its caches' counters (fs_service.caches, one ``CACHE``
line each) beside PORTFILE (``.caches``) before it exits, for the bench to print.
"""
from gevent import monkey

monkey.patch_all()

import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

from fs_service import caches  # noqa: E402
from pbx.app import create_app  # noqa: E402
from pbx.config import ConfigError, load_settings  # noqa: E402
from pbx.server import NoDelayWSGIServer  # noqa: E402
from web.extensions import csrf  # noqa: E402

FIXED_PATH = "/bench/fixed"
XML = "text/xml; charset=utf-8"


def _settings(cfg: dict):
    try:  # production mode, as a deployed server runs; the secrets are all given
        return load_settings(environ={}, **{**cfg["settings"], "env": "production"})
    except ConfigError:  # a production-only requirement the bench cannot meet: same code otherwise
        return load_settings(environ={}, **cfg["settings"])


def _flask_app(cfg: dict, fixed: bytes | None):
    from flask import Response, request

    app = create_app(_settings(cfg), dispatch_fs=False)
    if fixed is not None:
        def bench_fixed():
            request.get_data()  # read the POST as the real view does, then answer without looking
            return Response(fixed, mimetype="text/xml")

        app.add_url_rule(FIXED_PATH, "bench_fixed", bench_fixed, methods=["POST"])
        csrf.exempt(bench_fixed)
    return app


def _wsgi_app(fixed: bytes):
    headers = [("Content-Type", XML), ("Content-Length", str(len(fixed)))]

    def app(environ, start_response):
        environ["wsgi.input"].read()
        start_response("200 OK", headers)
        return [fixed]

    return app


def _install_profiler(path: str) -> None:
    import cProfile

    profiler = cProfile.Profile()
    gevent.signal_handler(signal.SIGUSR1, profiler.enable)

    def stop_and_dump():
        profiler.disable()
        profiler.dump_stats(path)
        Path(path + ".done").touch()

    gevent.signal_handler(signal.SIGUSR2, stop_and_dump)


def main(argv: list[str]) -> None:
    config, kind, portfile = argv
    cfg = json.loads(Path(config).read_text())
    fixed = lambda: Path(cfg["fixed_document"]).read_bytes()  # noqa: E731 (written after `real` is up)
    app = {"real": lambda: _flask_app(cfg, None), "flask-fixed": lambda: _flask_app(cfg, fixed()),
           "wsgi-fixed": lambda: _wsgi_app(fixed())}[kind]()
    gc.freeze()  # as pbx.server does before serving: the long-lived app out of the collector's scans
    if os.environ.get("BENCH_CPROFILE"):
        _install_profiler(os.environ["BENCH_CPROFILE"])
    server_class = NoDelayWSGIServer if cfg.get("tcp_nodelay", True) else WSGIServer
    server = server_class(("127.0.0.1", 0), app, log=None)  # no access log line per request
    server.start()
    tmp = Path(portfile + ".tmp")
    tmp.write_text(str(server.server_port))
    tmp.rename(portfile)
    gevent.spawn(_exit_with_parent, os.getppid())
    if kind == "real":
        gevent.signal_handler(signal.SIGTERM, _write_caches_and_exit, Path(portfile).with_suffix(".caches"))
    server.serve_forever()


def _write_caches_and_exit(path: Path) -> None:
    path.write_text("".join(line + "\n" for line in caches.report_lines()))
    os._exit(0)


def _exit_with_parent(parent: int) -> None:
    """The bench normally stops its servers; if it was killed outright, do not outlive it."""
    while os.getppid() == parent:
        gevent.sleep(1.0)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
