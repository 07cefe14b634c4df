"""The HR import at scale: 45,000 people in several hundred units, on this database.

Prints `BENCH hr_import_45k_s <s> s` (the first import of both files),
`BENCH hr_reimport_noop_s <s> s` (the same files again: nothing to change) and
`BENCH hr_import_changes_s <s> s` (the same files with 500 people moved or retitled), and
`BENCH hr_reimport_vs_import_x <ratio> x` (the no-op run against the first, same run).
"""

import datetime
import os
import time

import pytest

from courses.models import HrImport, Placement, StaffMember

STAFF = int(os.environ.get("BENCH_STAFF", "45000"))
UNITS = 450
CHANGED = 500
EFFECTIVE = datetime.date(2025, 1, 1)
LATER = datetime.date(2025, 3, 1)
STAFF_HEADER = (
    "Anställningsnummer;Förnamn;Efternamn;E-post;Enhetskod;Befattning;Anställd från;"
    "Anställd till;Personkategori"
)
UNITS_HEADER = "Enhetskod;Enhetsnamn;Överordnad enhet;Nivå;Öppnad;Stängd;Chef"
TITLES = ("Lärare", "Undersköterska", "Socialsekreterare", "Förskollärare", "Handläggare")


def units_file() -> bytes:
    """A city, 15 administrations, 5 departments each, the rest units under departments."""
    lines = [UNITS_HEADER, "STAD;Staden;;city;2000-01-01;;"]
    administrations = [f"F{a:02d}" for a in range(15)]
    departments = [f"{a}-A{d}" for a in administrations for d in range(5)]
    lines += [f"{a};Förvaltning {a};STAD;förvaltning;2000-01-01;;" for a in administrations]
    lines += [f"{d};Avdelning {d};{d[:3]};avdelning;2000-01-01;;" for d in departments]
    for n in range(UNITS - 1 - len(administrations) - len(departments)):
        parent = departments[n % len(departments)]
        lines.append(f"{parent}-E{n};Enhet {n};{parent};enhet;2000-01-01;;P{n:06d}")
    return "\n".join(lines).encode()


def leaf_codes(units: bytes) -> list[str]:
    return [line.split(";")[0] for line in units.decode().splitlines()[1:] if "-E" in line]


def staff_file(leaves: list[str], changed: int = 0) -> bytes:
    lines = [STAFF_HEADER]
    for n in range(STAFF):
        unit = leaves[n % len(leaves)]
        title = TITLES[n % len(TITLES)]
        if n < changed:  # half move to the next unit, half get a new title
            unit, title = (leaves[(n + 1) % len(leaves)], title) if n % 2 else (unit, "Chef")
        lines.append(
            f"P{n:06d};Förnamn{n};Efternamn{n};p{n}@example.test;{unit};{title};"
            f"2015-01-01;;anställd"
        )
    return "\n".join(lines).encode()


def timed(**options) -> tuple[float, HrImport]:
    from courses.services.hr_import import hr_import_run

    started = time.perf_counter()
    record = hr_import_run(
        staff_name="staff.csv", units_name="units.csv", source="command", **options
    )
    return time.perf_counter() - started, record


@pytest.mark.bench
@pytest.mark.django_db
def test_hr_import_at_scale():
    units = units_file()
    staff = staff_file(leaf_codes(units))
    first_s, first = timed(staff_data=staff, units_data=units, effective=EFFECTIVE)
    assert first.status == HrImport.Status.APPLIED, first.problems[:5]
    assert first.counts["new"] == STAFF and first.counts["units_new"] == UNITS
    assert StaffMember.objects.count() == STAFF
    print(f"\nBENCH hr_import_45k_s {first_s:.1f} s", flush=True)
    assert first_s < 60

    noop_s, noop = timed(staff_data=staff, units_data=units, effective=LATER, full=True)
    assert noop.status == HrImport.Status.UNCHANGED
    print(f"BENCH hr_reimport_noop_s {noop_s:.1f} s", flush=True)
    print(f"BENCH hr_reimport_vs_import_x {noop_s / first_s:.2f} x", flush=True)

    changed = staff_file(leaf_codes(units), changed=CHANGED)
    changes_s, changes = timed(staff_data=changed, units_data=units, effective=LATER, full=True)
    assert changes.counts["moved"] + changes.counts["changed"] == CHANGED
    assert Placement.objects.count() == STAFF + CHANGED
    print(f"BENCH hr_import_changes_s {changes_s:.1f} s", flush=True)
    assert changes_s < 60
