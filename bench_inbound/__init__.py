"""``python -m bench_inbound``: inbound (public) dialplan fetches against the fixed-document ceiling."""
