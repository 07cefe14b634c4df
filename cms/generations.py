"""Generations: a number kept in the cache that changes whenever what a family of cached
readings depends on is written. The readings' keys hold it, so a write makes them all
unreachable at once (they expire on their own), on every node sharing the cache."""

import time

from django.core.cache import cache
from django.db import transaction


def generation(*, key: str) -> int:
    """The current generation under `key` (one is made the first time it is asked for)."""
    current = cache.get(key)
    if current is None:
        current = time.time_ns()
        cache.add(key, current, None)
        current = cache.get(key, current)
    return current


def generation_bump(*, key: str) -> None:
    """A new generation under `key`, now and again when the transaction commits: a reader
    that filled the cache from what the transaction had not committed yet is not kept."""

    def bump():
        cache.set(key, time.time_ns(), None)

    bump()
    transaction.on_commit(bump)


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
