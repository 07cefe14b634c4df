"""The `race` fixture of tests/conftest.py, which the PostgreSQL race tests share."""

import threading

import pytest


def test_race_starts_the_callables_together_and_returns_their_results_in_order(race):
    inside = threading.Barrier(3, timeout=10)  # passes only if all three run at once

    def runner(value):
        return lambda: (inside.wait(), value)[1]

    assert race(runner("a"), runner("b"), runner("c")) == ["a", "b", "c"]


def test_race_re_raises_what_a_thread_raised(race):
    def fail():
        raise LookupError("taken")

    with pytest.raises(LookupError, match="taken"):
        race(fail, lambda: None)
    with pytest.raises(ExceptionGroup) as group:
        race(fail, fail)
    assert len(group.value.exceptions) == 2
