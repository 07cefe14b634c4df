"""Tasks for the worker's own tests: each keeps its count of attempts in a file, so the test
process can read what the worker process did."""

from pathlib import Path

from django_tasks import task


def _attempt(path: str) -> int:
    counter = Path(path)
    count = int(counter.read_text() or 0) + 1 if counter.exists() else 1
    counter.write_text(str(count))
    return count


@task()
def fails_then_succeeds_task(*, path: str, failures: int) -> int:
    attempt = _attempt(path)
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} fails on purpose")
    return attempt


@task()
def always_fails_task(*, path: str) -> None:
    attempt = _attempt(path)
    raise ValueError(f"attempt {attempt} fails on purpose")
