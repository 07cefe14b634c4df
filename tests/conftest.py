import os

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests
# around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL's row locks; elsewhere they are skipped."""
    on_postgres = connection.vendor == "postgresql"
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
    # Benchmarks (tests/perf, marker `bench`) run only when asked for: make bench (-m bench).
    markexpr = config.getoption("-m") or ""
    if "bench" not in markexpr or "not bench" in markexpr:
        skip_bench = pytest.mark.skip(reason="benchmark: run with -m bench (make bench)")
        for item in items:
            if "bench" in item.keywords:
                item.add_marker(skip_bench)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rate-limit counters never leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def one_rate_limit_window(monkeypatch):
    """Rate-limit counters use fixed windows of the wall clock; a test that counts requests
    must not straddle two of them, so the limiter's clock stands still."""
    import cms.ratelimit

    monkeypatch.setattr(cms.ratelimit, "clock", lambda: 1_000_000.0)


@pytest.fixture
def home(db):
    from tests.factories import home_page

    return home_page()
