"""Counting the calls made of the shared cache (Redis in production), for the tests that
bound them: a backend's calls of itself (a get_many made of gets) are not counted."""

import contextlib
from collections.abc import Iterator
from unittest import mock

from django.core.cache import caches

CALLS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many")


@contextlib.contextmanager
def shared_cache_calls() -> Iterator[list[tuple[str, tuple]]]:
    """While open, each call of the default cache as (method name, its first argument)."""
    backend = type(caches["default"])
    calls: list[tuple[str, tuple]] = []
    depth = [0]

    def counted(name, method):
        def call(self, *args, **kwargs):
            if not depth[0]:
                calls.append((name, args[:1]))
            depth[0] += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    with contextlib.ExitStack() as patches:
        for name in CALLS:
            method = getattr(backend, name)
            patches.enter_context(mock.patch.object(backend, name, counted(name, method)))
        yield calls
