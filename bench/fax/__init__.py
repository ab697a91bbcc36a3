"""``python -m bench.fax``: the fax document pipeline against bare Ghostscript (see README.md)."""
