import os

import pytest
from django.db import connection
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings

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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a test (or a view it calls) that leaves
    another language active would otherwise decide the language of whichever test comes next
    in the same process, which differs between a serial run and one spread over workers."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def one_rate_limit_window(monkeypatch):
    """Rate-limit counters use fixed windows of the wall clock; a test that counts requests
    must not straddle two of them, so the limiter's clock stands still."""
    import cms.ratelimit

    monkeypatch.setattr(cms.ratelimit, "clock", lambda: 1_000_000.0)


def demo_seeded_once(django_db_blocker, *args: str):
    """`seed_demo` run once for a class or module of tests, for a fixture of that scope to
    yield from; yields what the command printed.

    The demo is left in a transaction that is rolled back when the scope ends, and each test
    runs (as always) in a savepoint inside it, so what one test changes is undone before the
    next: every test sees the demo just as `seed_demo` left it, as if seeded for it alone.
    Only for plain `django_db` tests (not `transaction=True`), and only where every test of
    the scope wants the demo: the data is there until the scope ends."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", *args, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def home(db):
    from tests.factories import home_page

    return home_page()


@pytest.fixture
def race():
    """Run callables at the same moment, each in its own thread, and return their results.

    `race(f, g)` starts one thread per callable, holds them at a barrier until all are
    ready, calls each with no arguments and closes each thread's database connections when
    it is done. The results come back in the order of the callables; a thread that raised
    re-raises here (several: an ExceptionGroup). For tests marked `postgres` with
    `django_db(transaction=True)`: the threads must see the test's rows, so no transaction
    may be open around the test.
    """
    import threading

    from django.db import connections

    def run(*calls, timeout: float = 60):
        assert len(calls) >= 2, "a race needs two runners at least"
        assert not connection.in_atomic_block, (
            "race() needs django_db(transaction=True): other threads cannot see rows of a "
            "transaction the test keeps open"
        )
        barrier = threading.Barrier(len(calls))
        results: list = [None] * len(calls)
        errors: list[Exception | None] = [None] * len(calls)

        def runner(index, call):
            try:
                barrier.wait(timeout=10)
                results[index] = call()
            except Exception as error:  # noqa: BLE001 - re-raised in the test's thread
                errors[index] = error
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=runner, args=(i, call), name=f"race-{i}")
            for i, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
        stuck = [thread.name for thread in threads if thread.is_alive()]
        assert not stuck, f"still running after {timeout} s: {stuck}"
        failed = [error for error in errors if error is not None]
        if len(failed) == 1:
            raise failed[0]
        if failed:
            raise ExceptionGroup(f"{len(failed)} of {len(calls)} racers failed", failed)
        return results

    return run


# `HYPOTHESIS_PROFILE=triage` reports a failing example without shrinking it: a quick list of
# what fails after a wide change, before running the suite as it is meant to run.
hypothesis_settings.register_profile("triage", phases=[Phase.explicit, Phase.reuse, Phase.generate])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
