"""The baseline's xml_curl endpoint: the same directory documents, precomputed.

``python -m bench.switch.responder CONFIG PORT`` serves on 127.0.0.1 with the server ``pbx run`` uses (gevent pywsgi, TCP_NODELAY). CONFIG
(JSON) names a folder of documents, one per user (``<user>.xml``, the bytes our endpoint
answered for that user), and the upstream URL. A directory ``sip_auth`` fetch for a known user
gets its document after a dictionary lookup: no credentials check, no form parsing beyond
finding ``user=``, no database, no XML building: what the switch's registration costs when the
control plane answers at once. Anything else (the module configurations the switch fetches at
start) is passed to the upstream — our endpoint — unchanged, so both switches run the same
configuration; the proxied fetches are counted and reported.

bench.directory.server's ``wsgi-fixed`` answers one document for every request; a registration storm of
distinct users needs one per user (the a1-hash differs), hence this server.
"""
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

from bench.directory.server import _exit_with_parent  # noqa: E402
from bench.switch.fetch_timer import FetchTimer  # noqa: E402
from pbx.server import NoDelayWSGIServer  # noqa: E402

USER = re.compile(rb"(?:^|&)user=([^&]*)")
XML = "text/xml; charset=utf-8"


class Responder:
    def __init__(self, documents: dict[bytes, bytes], upstream: str) -> None:
        self.documents, self.upstream = documents, upstream
        self.counts = {"fixed": 0, "proxied": 0}

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read()
        found = USER.search(body) if b"action=sip_auth" in body else None
        document = self.documents.get(found.group(1)) if found else None
        if document is not None:
            self.counts["fixed"] += 1
            start_response("200 OK", [("Content-Type", XML), ("Content-Length", str(len(document)))])
            return [document]
        self.counts["proxied"] += 1
        return self._proxy(environ, body, start_response)

    def _proxy(self, environ, body: bytes, start_response):
        request = urllib.request.Request(self.upstream, data=body, method="POST")
        for header in ("HTTP_AUTHORIZATION", "CONTENT_TYPE"):
            if environ.get(header):
                request.add_header(header.removeprefix("HTTP_").replace("_", "-").title(), environ[header])
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                status, data = f"{reply.status} OK", reply.read()
        except urllib.error.HTTPError as exc:
            status, data = f"{exc.code} Upstream", exc.read()
        start_response(status, [("Content-Type", XML), ("Content-Length", str(len(data)))])
        return [data]


def main(argv: list[str]) -> None:
    config, port = argv
    cfg = json.loads(Path(config).read_text())
    folder = Path(cfg["documents"])
    documents = {path.stem.encode(): path.read_bytes() for path in folder.glob("*.xml")}
    responder = Responder(documents, cfg["upstream"])
    timer = FetchTimer(responder, Path(cfg["timings"]))

    def dump() -> None:
        Path(cfg["counts"]).write_text(json.dumps(responder.counts))
        responder.counts = dict.fromkeys(responder.counts, 0)
        timer.dump()

    gevent.signal_handler(signal.SIGUSR1, dump)
    gevent.spawn(_exit_with_parent, os.getppid())
    NoDelayWSGIServer(("127.0.0.1", int(port)), timer, log=None).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
