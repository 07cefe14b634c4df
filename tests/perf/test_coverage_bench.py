"""Coverage at scale: the whole tree for one course and date, on 45,000 staff.

Prints `BENCH coverage_tree_ms_sqlite <ms> ms`, `BENCH coverage_tree_ms_postgres <ms> ms`
(when PostgreSQL answers at 127.0.0.1:5432; measured in a child pytest run against a
database of its own), `coverage_tree_cpu_ms_*` (the CPU per call of this process and the
database server together: what the wall time would be on a machine of its own) and
`BENCH coverage_vs_naive_x <ratio> x` (the selector against a straightforward per-staff
loop over the ORM, both measured here).
"""

import datetime
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

STAFF = int(os.environ.get("BENCH_STAFF", "45000"))
CHILD = "REPORTS_BENCH_CHILD"
PG_URL = "postgres://postgres@127.0.0.1:5432/reports_bench"


def seed():
    """The load data with a year of history (moves and renames); returns the course
    required for everyone."""
    from tests.scale_factories import history_year, load_data

    started = time.monotonic()
    courses = load_data(staff=STAFF)
    moved = history_year()
    # A database in service has its planner statistics (autovacuum keeps them on
    # PostgreSQL); rows inserted a moment ago in the test's transaction have none.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"\nbench data: {STAFF} staff, {moved} moved this year, seeded in "
        f"{time.monotonic() - started:.0f} s"
    )
    return courses[0]


def timed(fn, repeat=5):
    runs = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), result


def backend_cpu_seconds() -> float:
    """CPU used so far by this connection's PostgreSQL backend (a local server), 0 else."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_ms(fn, repeat=10) -> float:
    """CPU per call, this process's and the database server's together: unlike wall time,
    it does not grow when other work shares the machine."""
    fn()
    started, backend = time.process_time(), backend_cpu_seconds()
    for _ in range(repeat):
        fn()
    used = time.process_time() - started + backend_cpu_seconds() - backend
    return used * 1000 / repeat


def naive_tree(course, day):
    """A straightforward per-staff loop over the ORM: what the selector replaces."""
    from courses.models import Completion, StaffMember, Unit
    from courses.models.history import holds_q
    from courses.selectors.history import staff_groups_on

    required = {group.pk for group in course.required_for.all()}
    own = defaultdict(lambda: [0, 0])
    for person in StaffMember.objects.all():
        placement = person.placements.filter(holds_q(day)).first()
        if placement is None:
            continue
        if not staff_groups_on(staff=person, day=day) & required:
            continue
        own[placement.unit_id][0] += 1
        if Completion.objects.valid_on(day).filter(staff=person, course=course).exists():
            own[placement.unit_id][1] += 1
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    totals = defaultdict(lambda: [0, 0])
    for unit_id, (population, trained) in own.items():
        walker = unit_id
        while walker is not None:
            totals[walker][0] += population
            totals[walker][1] += trained
            walker = parents[walker]
    return totals


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.bench
@pytest.mark.django_db
def test_coverage_tree_at_scale():
    from courses.reports.coverage import coverage_tree

    course = seed()
    day = datetime.date.today()
    ms, tree = timed(lambda: coverage_tree(course=course, as_of=day))
    vendor = "postgres" if connection.vendor == "postgresql" else connection.vendor
    print(f"BENCH coverage_tree_ms_{vendor} {ms:.0f} ms", flush=True)
    past = day - datetime.timedelta(days=200)  # before this year's moves and renames
    past_ms, _tree = timed(lambda: coverage_tree(course=course, as_of=past))
    print(f"BENCH coverage_tree_past_ms_{vendor} {past_ms:.0f} ms", flush=True)
    cpu = cpu_ms(lambda: coverage_tree(course=course, as_of=day))
    print(f"BENCH coverage_tree_cpu_ms_{vendor} {cpu:.0f} ms", flush=True)
    with CaptureQueriesContext(connection) as queries:
        coverage_tree(course=course, as_of=past)
    print(f"BENCH coverage_tree_queries_{vendor} {len(queries)} queries", flush=True)
    assert len(tree) > 300 and tree[0].population > 30000
    assert ms < 1000

    if os.environ.get(CHILD):
        return
    naive_ms, naive = timed(lambda: naive_tree(course, day), repeat=1)
    assert {n.unit_id: [n.population, n.trained] for n in tree if n.population} == {
        k: v for k, v in naive.items() if v[0]
    }
    print(f"bench naive loop: {naive_ms:.0f} ms")
    print(f"BENCH coverage_vs_naive_x {naive_ms / ms:.0f} x", flush=True)

    if connection.vendor == "sqlite" and postgres_reachable():
        root = Path(__file__).resolve().parents[2]
        child = subprocess.run(  # noqa: S603 - our own test file, fixed arguments
            [
                sys.executable,
                "-m",
                "pytest",
                f"{__file__}::test_coverage_tree_at_scale",
                "-m",
                "bench",
                "-s",
                "-q",
                "-p",
                "no:randomly",
                "--create-db",
            ],
            cwd=root,
            env={**os.environ, "DATABASE_URL": PG_URL, CHILD: "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in child.stdout.splitlines() if line.startswith("BENCH")]
        for line in lines:
            print(line, flush=True)
        assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-3000:]
