"""Time per xml_curl fetch as the server sees it, kept in memory and written out on request."""
from __future__ import annotations

from pathlib import Path
from time import perf_counter

FETCH_PATH = "/freeswitch/xml"


class FetchTimer:
    """WSGI middleware: the duration of each fetch (the app called until it returned its body),
    in ms; every other path passes through untimed."""

    def __init__(self, app, out: Path) -> None:
        self.app, self.out = app, out
        self.durations: list[float] = []

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != FETCH_PATH:
            return self.app(environ, start_response)
        started = perf_counter()
        body = self.app(environ, start_response)
        self.durations.append((perf_counter() - started) * 1000)
        return body

    def dump(self) -> None:
        """Write the durations recorded since the previous dump (one per line), then restart."""
        done, self.durations = self.durations, []
        tmp = self.out.with_suffix(".tmp")
        tmp.write_text("".join(f"{ms:.3f}\n" for ms in done))
        tmp.rename(self.out)
