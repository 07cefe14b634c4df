"""Generations: a number kept in the cache that changes whenever what a family of cached
readings depends on is written. The readings' keys hold it, so a write makes them all
unreachable at once (they expire on their own), on every node sharing the cache.

Two things make them cheap per request:

- **One snapshot per request.** `GenerationsSnapshotMiddleware` lets the first generation
  asked for in a request read every generation this process has used, in one round trip;
  the rest of the request reuses them. A write in the request updates its snapshot.
- **Readings kept in the process too** (`reading_cached`). A key that holds the
  generations never names another value, so a copy kept in the process is as good as the
  shared one until it expires: learner pages read their shared readings without asking the
  shared cache. What is kept is the pickled value (each use unpickles its own copy, as a
  cache hit always did), and it expires when the shared entry does.
"""

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# The generations read in the current request (None outside a request: a task or a
# command reads each one from the shared cache every time).
_snapshot: ContextVar[dict[str, int] | None] = ContextVar("generations_snapshot", default=None)
# Every generation key this process has asked for: what a request's snapshot reads.
_known: set[str] = set()


def generation_fresh(*, key: str) -> int:
    """The generation under `key` from the shared cache (made if missing), without the
    request's snapshot: for keys of one person, which every request should not read."""
    current = cache.get(key)
    if current is None:
        current = time.time_ns()
        cache.add(key, current, None)
        current = cache.get(key, current)
    return current


def generation(*, key: str) -> int:
    """The current generation under `key` (one is made the first time it is asked for)."""
    snapshot = _snapshot.get()
    if snapshot is None:
        return generation_fresh(key=key)
    if key not in snapshot:
        _known.add(key)
        snapshot.update(
            {k: v for k, v in cache.get_many(list(_known - snapshot.keys())).items() if v}
        )
        if key not in snapshot:
            snapshot[key] = generation_fresh(key=key)
    return snapshot[key]


def generations_read(*, keys) -> dict[str, int]:
    """The current generation under each of `keys`; for None, every generation the current
    request has read (what a reading made in it may depend on)."""
    if keys is None:
        return dict(_snapshot.get() or {})
    return {key: generation(key=key) for key in keys}


def generation_bump(*, key: str) -> None:
    """A new generation under `key` (see `generations_bump`)."""
    generations_bump(keys=[key])


def generations_bump(*, keys: Iterable[str]) -> None:
    """A new generation under each of `keys`, now and again when the transaction commits:
    a reader that filled the cache from what the transaction had not committed yet is not
    kept."""
    keys = list(keys)
    if not keys:
        return
    snapshot = _snapshot.get()

    def bump():
        new = time.time_ns()
        cache.set_many(dict.fromkeys(keys, new), None)
        if snapshot is not None:
            snapshot.update((key, new) for key in keys if key in snapshot)

    bump()
    transaction.on_commit(bump)


class GenerationsSnapshotMiddleware:
    """Each request reads the generations once (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _snapshot.set({})
        try:
            return self.get_response(request)
        finally:
            _snapshot.reset(token)


# ---------------------------------------------------------------------------- readings

# The most readings a process keeps (pickled; least recently used go first). Learner pages
# use a few shared ones (the tree of the day, the rules, routes, modules, sessions) and one
# per person (their target groups); a few thousand bounds memory at a few MB.
LOCAL_READINGS = 4096
_local: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_local_lock = threading.Lock()


def _local_keep(key: str, held: tuple[float, bytes]) -> None:
    with _local_lock:
        _local[key] = held
        _local.move_to_end(key)
        while len(_local) > LOCAL_READINGS:
            _local.popitem(last=False)


def reading_cached(*, key: str, build: Callable[[], T], timeout: int) -> T:
    """The reading under `key`, a key that holds the generations it depends on: from this
    process, else from the shared cache, else built (and kept in both for `timeout`
    seconds, counted from when it was built)."""
    key = f"reading:{key}"  # apart from keys that hold plain values
    now = time.time()
    with _local_lock:
        held = _local.get(key)
        if held is not None and held[0] <= now:
            del _local[key]
            held = None
        if held is not None:
            _local.move_to_end(key)
    if held is None:
        held = cache.get(key)
        if held is None or held[0] <= now:
            value = build()
            held = (now + timeout, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            cache.set(key, held, timeout)
            _local_keep(key, held)
            return value
        _local_keep(key, held)
    return pickle.loads(held[1])  # noqa: S301 (written by this code, under our own key)


# Changes with every page saved (a draft, a publication, an unpublication, a new page),
# deleted or moved, and with every view restriction added, changed or removed: the key of
# cached readings of the page tree (routes, restrictions, a course's modules).
PAGES_GENERATION_KEY = "cms:pages:generation"


def pages_changed(sender, instance=None, **kwargs) -> None:
    """A signal's receiver: a page was saved, deleted or moved (for model signals, only a
    page instance counts)."""
    from wagtail.models import Page

    if instance is not None and not isinstance(instance, Page):
        return
    generation_bump(key=PAGES_GENERATION_KEY)


def page_restrictions_changed(sender, **kwargs) -> None:
    """A signal's receiver: a page's view restriction was saved or deleted."""
    generation_bump(key=PAGES_GENERATION_KEY)
