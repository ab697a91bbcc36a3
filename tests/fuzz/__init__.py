"""Fuzzing (hypothesis): every parser and evaluator that reads what others send answers any
input quickly -- a result or its own documented error, never a crash or a hang.

Each example has a deadline (``FUZZ``) and each test the suite's hard timeout, so "no hang
over 5 s" is checked, not hoped for. Cases hypothesis found are kept as explicit regression
tests next to the property that found them.
"""
from datetime import timedelta

from hypothesis import HealthCheck, settings

FUZZ = settings(max_examples=200, deadline=timedelta(seconds=5),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
