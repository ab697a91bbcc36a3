"""The benchmarks, one sub-package each, run as ``python -m bench.<name>`` (``make bench`` runs
them all; README.md, "Benchmarks"): directory, dialplan, inbound, esl, fax and switch (a real
FreeSWITCH)."""
