"""Benchmarks on a real FreeSWITCH 1.11 (issue 15): register_storm and status_lag (README.md)."""
