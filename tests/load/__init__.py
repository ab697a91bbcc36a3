"""Load, loopback only, bounded (issue 16, part 6): a real ``pbx run`` process (as production
serves) on SQLite with the fake FreeSWITCH as its node, driven by real HTTP clients.

Marked ``load`` (``-m "not load"`` leaves them out); the whole set runs in under 3 minutes.
``PBX_LOAD_SECONDS`` shortens the sustained xml_curl run (default 60 s) when iterating.
"""
