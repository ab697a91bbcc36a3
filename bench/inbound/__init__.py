"""``python -m bench.inbound``: inbound (public) dialplan fetches against the fixed-document ceiling."""
