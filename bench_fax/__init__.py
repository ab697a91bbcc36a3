"""``python -m bench_fax``: the fax document pipeline against bare Ghostscript (see README.md)."""
