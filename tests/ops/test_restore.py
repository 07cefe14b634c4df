"""docs/ops/backup.sh and docs/ops/restore.sh: a dump of a database with coverage data,
restored into an empty database, gives the product the same coverage figures; a database
that is not empty is never restored into."""

import json
import subprocess
import sys

import pytest

from tests.ops import postgres
from tests.ops.services import ROOT, program


def report(database: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tests.ops.seed", "report"],
        cwd=ROOT,
        env=postgres.node_env(database),
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def databases():
    made = []
    yield made
    for name in made:
        postgres.database_drop(name)


def test_a_restored_dump_serves_the_same_coverage(tmp_path, databases):
    for name in ("pg_dump", "pg_restore", "psql"):
        program(name, package="postgresql-client")
    source = postgres.database_copy(postgres.template_database(), label="backup")
    databases.append(source)
    subprocess.run(
        [sys.executable, "-m", "tests.ops.seed", "coverage"],
        cwd=ROOT,
        env=postgres.node_env(source),
        check=True,
        capture_output=True,
        timeout=180,
    )
    before = report(source)
    units = before["courses"][0]["units"]
    assert any(unit["trained"] for unit in units), "the source has no coverage to compare"

    dump = tmp_path / "utbildning.dump"
    subprocess.run(
        [str(ROOT / "docs/ops/backup.sh"), postgres.url(source), str(dump)],
        check=True,
        capture_output=True,
    )
    target = postgres.database_create(label="restored")
    databases.append(target)
    subprocess.run(
        [str(ROOT / "docs/ops/restore.sh"), str(dump), postgres.url(target)],
        check=True,
        capture_output=True,
    )
    assert report(target) == before

    again = subprocess.run(
        [str(ROOT / "docs/ops/restore.sh"), str(dump), postgres.url(target)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2
    assert "refusing" in again.stderr
