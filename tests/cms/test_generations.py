"""Generations and the readings keyed by them (cms.generations): a request reads every
generation once; a reading is kept in the process and built again as soon as its
generation changes or it expires; a write seen in the request is seen by what the request
reads next. (Two processes against one Redis: tests/ops/test_shared_state.py.)"""

import time

import pytest
from django.core.cache import cache

from cms.generations import (
    GenerationsSnapshotMiddleware,
    generation,
    generation_bump,
    reading_cached,
)
from tests.cache_calls import shared_cache_calls

pytestmark = pytest.mark.django_db

KEY = "tests:generation"
OTHER = "tests:other-generation"


def in_request(work):
    """`work` run as a view behind the middleware; what it returned."""
    answers = []
    GenerationsSnapshotMiddleware(lambda request: answers.append(work()))(None)
    return answers[0]


def built_by(values):
    """A build function that hands out `values` in turn and counts its calls."""

    def build():
        build.calls += 1
        return values[build.calls - 1]

    build.calls = 0
    return build


def read(build, *, timeout=60):
    return reading_cached(key=f"tests:reading:{generation(key=KEY)}", build=build, timeout=timeout)


def test_a_reading_is_built_once_then_kept_in_the_process():
    build = built_by(["first", "second"])
    assert read(build) == "first"
    cache.clear()  # the shared copy is gone, and the generation with it: a new one
    generation_bump(key=KEY)
    assert read(build) == "second"
    assert read(build) == "second"
    assert build.calls == 2


def test_the_process_copy_is_used_while_the_generation_holds():
    build = built_by(["first"])
    assert read(build) == "first"
    reading = f"reading:tests:reading:{generation(key=KEY)}"
    cache.delete(reading)  # only this process's copy is left
    assert read(build) == "first"
    assert build.calls == 1


def test_each_use_gets_its_own_copy():
    build = built_by([["a"]])
    first = read(build)
    first.append("changed by one request")
    assert read(build) == ["a"]


def test_a_changed_generation_builds_the_reading_anew():
    build = built_by(["before", "after"])
    assert read(build) == "before"
    generation_bump(key=KEY)
    assert read(build) == "after"


def test_a_reading_expires(monkeypatch):
    build = built_by(["first", "second"])
    assert read(build, timeout=60) == "first"
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert read(build, timeout=60) == "second"


def test_none_is_a_reading_like_any_other():
    build = built_by([None])
    assert read(build) is None
    assert read(build) is None
    assert build.calls == 1


@pytest.fixture
def shared_calls():
    with shared_cache_calls() as calls:
        yield calls


def test_a_request_reads_every_generation_in_one_trip(shared_calls):
    in_request(lambda: (generation(key=KEY), generation(key=OTHER)))  # both known now
    shared_calls.clear()
    values = in_request(lambda: [generation(key=k) for k in (KEY, OTHER, KEY, OTHER, KEY)])
    assert [name for name, _key in shared_calls] == ["get_many"]
    assert values[0] == values[2] == values[4] and values[1] == values[3]


def test_outside_a_request_each_generation_is_read_when_asked(shared_calls):
    generation(key=KEY)
    shared_calls.clear()
    generation(key=KEY)
    generation(key=KEY)
    assert shared_calls == [("get", (KEY,)), ("get", (KEY,))]


def test_another_process_bumping_is_seen_by_the_next_request():
    first = in_request(lambda: generation(key=KEY))
    cache.set(KEY, first + 1, None)  # as another node's write does
    assert in_request(lambda: generation(key=KEY)) == first + 1


def test_a_write_in_the_request_is_seen_by_what_it_reads_next():
    build = built_by(["before", "after"])

    def write_then_read():
        before = read(build)
        generation_bump(key=KEY)
        return before, read(build)

    assert in_request(write_then_read) == ("before", "after")


def test_the_snapshot_ends_with_the_request():
    in_request(lambda: generation(key=KEY))
    cache.set(KEY, 42, None)
    assert generation(key=KEY) == 42
