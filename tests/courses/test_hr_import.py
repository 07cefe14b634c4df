"""The HR import: all or nothing, dated from the effective date, and idempotent."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses.models import (
    HrImport,
    ManagerResponsibility,
    Placement,
    StaffMember,
    TargetGroupRule,
    Unit,
    UnitVersion,
)
from courses.reports.coverage import coverage_by_course
from courses.services.hr_import import HrImportRefused, hr_import_confirm
from courses.services.organisation import staff_placement_set
from tests.courses.hr_import_files import (
    BEFORE_E2,
    E1,
    E2,
    STAFF,
    UNITS,
    organisation,
    run,
    staff_csv,
    units_csv,
)
from tests.factories import TargetGroupFactory, UserFactory, make_course

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

pytestmark = pytest.mark.django_db


@pytest.fixture
def base():
    """The organisation after a first import, effective E1."""
    record = run(staff_csv(*STAFF), units_csv(*UNITS), effective=E1)
    assert record.status == HrImport.Status.APPLIED, record.problems
    return record


def population(day, unit_code=None) -> int:
    """Employees counted for a course required of everyone, on `day` (in a unit's subtree)."""
    course = population.course
    root = Unit.objects.get(code=unit_code) if unit_code else None
    return coverage_by_course(as_of=day, courses=[course], root_unit=root)[0].population


@pytest.fixture
def everyone_course(home):
    group = TargetGroupFactory(code="alla")
    TargetGroupRule.objects.create(group=group)  # no condition: everyone
    population.course = make_course(required_for=[group])
    return population.course


def test_the_example_files_import():
    record = run(
        (EXAMPLES / "hr_staff.csv").read_bytes(),
        (EXAMPLES / "hr_units.csv").read_bytes(),
        effective=E1,
    )
    assert record.status == HrImport.Status.APPLIED, record.problems
    assert record.counts["new"] == 10 and record.counts["units_new"] == 8
    assert record.counts["managers_without_account"] == 6
    assert Unit.objects.get(code="STAD").kind == Unit.Kind.CITY
    assert Unit.objects.get(code="SDF-N-SOC").parent.code == "SDF-N"
    assert StaffMember.objects.count() == 10
    assert HrImport.objects.count() == 1
    assert len(record.staff_checksum) == 64 and len(record.units_checksum) == 64


def test_new_people_are_placed_from_their_employment_start(base):
    """Nothing is known of a new person's earlier posts: the file's is taken as theirs from
    the start of the employment, as the migration of today's data does."""
    eva = StaffMember.objects.get(employee_number="100")
    assert list(eva.placements.values_list("valid_from", "valid_to", "title")) == [
        (datetime.date(2010, 1, 1), None, "Lärare")
    ]
    assert (eva.unit.code, eva.title, eva.email) == ("A", "Lärare", "eva@example.test")
    assert base.counts["new"] == 3 and base.counts["units_new"] == 3


BAD_FILES = {
    "missing column": ("Anställningsnummer;Förnamn\n100;Eva\n".encode(), None, None, "Efternamn"),
    "duplicate number": (staff_csv(*STAFF, "100;Eva;Ek;;B;;2020-01-01;;"), None, 5, None),
    "unknown unit": (staff_csv("100;Eva;Ek;;NOPE;;2020-01-01;;"), None, 2, "Enhetskod"),
    "bad date": (staff_csv("100;Eva;Ek;;A;;1 mars;;"), None, 2, "Anställd från"),
    "end before start": (
        staff_csv("100;Eva;Ek;;A;;2020-05-01;2020-04-30;"),
        None,
        2,
        "Anställd till",
    ),
    "unknown kind": (staff_csv("100;Eva;Ek;;A;;2020-01-01;;konsult"), None, 2, "Personkategori"),
    "parent loop": (
        staff_csv(*STAFF),
        units_csv("ROOT;Staden;B;;;;", "A;Enhet A;ROOT;;;;", "B;Enhet B;A;;;;"),
        None,
        "Överordnad enhet",
    ),
    "unknown level": (staff_csv(*STAFF), units_csv(*UNITS, "C;Enhet C;ROOT;sektion;;;"), 5, "Nivå"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_whole_and_changes_nothing(base, case):
    staff, units, row, column = BAD_FILES[case]
    before = organisation()
    record = run(staff, units, effective=E2, full=True)
    assert record.status == HrImport.Status.REFUSED
    assert organisation() == before
    assert record.problems and all(p["message"] for p in record.problems)
    if row is not None:
        assert row in {p["row"] for p in record.problems}
    if column is not None:
        assert column in {p["column"] for p in record.problems}
    assert record.counts == {} and HrImport.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_windows_1252_and_utf8_with_bom_read_fine(base, encoding):
    record = run(staff_csv(*STAFF, encoding=encoding), effective=E1)
    assert record.status == HrImport.Status.UNCHANGED, record.problems
    assert StaffMember.objects.get(employee_number="300").last_name == "Öberg"


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_a_second_run_of_the_same_files_writes_nothing(base):
    manager = UserFactory(username="100")  # linked by employee number, made a manager
    units = units_csv(
        "ROOT;Staden;;city;2000-01-01;;", "A;Enhet A;ROOT;enhet;2000-01-01;;100", UNITS[2]
    )
    first = run(staff_csv(*STAFF), units, effective=E2, full=True)
    assert first.counts["users_linked"] == 1 and first.counts["managers_added"] == 1
    assert ManagerResponsibility.objects.get(user=manager, from_hr=True).unit.code == "A"
    with CaptureQueriesContext(connection) as queries:
        again = run(staff_csv(*STAFF), units, effective=E2, full=True)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES) and "courses_" in q["sql"]
    ]
    assert all("courses_hrimport" in sql for sql in writes), writes
    assert again.status == HrImport.Status.UNCHANGED
    assert again.counts["unchanged"] == 3 and again.counts["units_unchanged"] == 3
    assert not any(again.counts[k] for k in ("new", "changed", "moved", "leaving", "units_new"))


def test_a_full_file_ends_the_employment_of_those_left_out(base, everyone_course):
    assert population(BEFORE_E2) == 3
    record = run(staff_csv(*STAFF[:2]), effective=E2, full=True)
    assert record.counts["leaving"] == 1 and record.counts["unchanged"] == 2
    asa = StaffMember.objects.get(employee_number="300")  # never deleted
    start = datetime.date(2015, 1, 1)  # her employment start in the first file
    assert list(asa.placements.values_list("valid_from", "valid_to")) == [(start, BEFORE_E2)]
    assert population(E2) == 2
    assert population(BEFORE_E2) == 3
    leaver = next(c for c in record.changes if c["employee_number"] == "300")
    assert (leaver["change"], leaver["from_unit"], leaver["to_unit"]) == ("leaving", "B", "")


def test_without_full_those_left_out_stay(base):
    record = run(staff_csv(*STAFF[:2]), effective=E2)
    assert record.status == HrImport.Status.UNCHANGED
    assert StaffMember.objects.get(employee_number="300").placements.get().valid_to is None


def test_a_move_takes_effect_on_the_effective_date(base, everyone_course):
    moved = STAFF[0].replace(";A;", ";B;")
    record = run(staff_csv(moved, *STAFF[1:]), effective=E2)
    assert record.counts["moved"] == 1 and record.counts["unchanged"] == 2
    eva = StaffMember.objects.get(employee_number="100")
    assert list(eva.placements.order_by("valid_from").values_list("unit__code", "valid_to")) == [
        ("A", BEFORE_E2),
        ("B", None),
    ]
    assert population(BEFORE_E2, "A") == 2 and population(E2, "A") == 1
    assert [(c["from_unit"], c["to_unit"], c["row"]) for c in record.changes] == [("A", "B", 2)]


def test_a_new_title_is_a_change_and_so_is_a_new_name(base):
    retitled = STAFF[0].replace("Lärare", "Förstelärare")
    renamed = STAFF[1].replace("Holm", "Holmberg")
    record = run(staff_csv(retitled, renamed, STAFF[2]), effective=E2)
    assert record.counts["changed"] == 2 and record.counts["moved"] == 0
    per = StaffMember.objects.get(employee_number="200")
    assert per.last_name == "Holmberg" and per.placements.count() == 1  # names are not dated
    eva = StaffMember.objects.get(employee_number="100")
    assert eva.placements.count() == 2 and eva.title == "Förstelärare"


def test_preview_counts_are_what_the_confirmation_does(base):
    coordinator = UserFactory(roles=["Samordnare"])
    moved = STAFF[0].replace(";A;", ";B;")
    before = organisation()
    preview = run(
        staff_csv(moved, STAFF[1], "400;Ny;Person;;A;;2024-01-01;;"),
        units_csv(*UNITS, "C;Enhet C;ROOT;enhet;;;"),
        effective=E2,
        full=True,
        dry_run=True,
        source="admin",
        user=coordinator,
    )
    assert preview.status == HrImport.Status.PREVIEW
    assert organisation() == before
    assert preview.staff_file and preview.units_file
    stored = preview.staff_file.name
    confirmed = hr_import_confirm(record=preview, user=coordinator)
    assert confirmed.pk == preview.pk and confirmed.status == HrImport.Status.APPLIED
    assert confirmed.counts == preview.counts
    assert confirmed.counts | {} == {
        **confirmed.counts,
        "new": 1,
        "moved": 1,
        "leaving": 1,
        "unchanged": 1,
        "units_new": 1,
    }
    assert confirmed.changes == preview.changes
    confirmed.refresh_from_db()
    assert not confirmed.staff_file and not confirmed.units_file
    assert not HrImport.staff_file.field.storage.exists(stored)
    assert confirmed.staff_checksum == preview.staff_checksum
    with pytest.raises(HrImportRefused):
        hr_import_confirm(record=confirmed, user=coordinator)


def test_only_coordinators_confirm(base):
    preview = run(staff_csv(*STAFF), dry_run=True, source="admin", effective=E2)
    with pytest.raises(HrImportRefused):
        hr_import_confirm(record=preview, user=UserFactory(roles=["Redaktörer"]))


def test_a_unit_moved_in_the_units_file_moves_from_the_effective_date(base, everyone_course):
    units = units_csv(UNITS[0], UNITS[1], "B;Enhet B;A;enhet;2000-01-01;;")
    record = run(staff_csv(*STAFF), units, effective=E2)
    assert record.counts["units_changed"] == 1 and record.counts["units_unchanged"] == 2
    b = Unit.objects.get(code="B")
    assert list(b.versions.order_by("valid_from").values_list("parent__code", "valid_to")) == [
        ("ROOT", BEFORE_E2),
        ("A", None),
    ]
    assert b.parent.code == "A"  # today's tree
    assert population(BEFORE_E2, "A") == 2 and population(E2, "A") == 3


def test_a_closed_unit_counts_as_closed(base):
    units = units_csv(*UNITS, "C;Enhet C;ROOT;enhet;2000-01-01;2025-01-31;")
    run(staff_csv(*STAFF), units_csv(*UNITS, "C;Enhet C;ROOT;enhet;2000-01-01;;"), effective=E1)
    record = run(staff_csv(*STAFF), units, effective=E2)
    assert record.counts["units_closed"] == 1
    assert Unit.objects.get(code="C").versions.get().valid_to == datetime.date(2025, 1, 31)


def test_managers_come_from_the_units_file_and_hand_made_ones_stay(base):
    boss = UserFactory(username="200")
    StaffMember.objects.filter(employee_number="300").update(user=UserFactory(username="rektor"))
    by_hand = ManagerResponsibility.objects.create(user=boss, unit=Unit.objects.get(code="B"))
    units = units_csv(UNITS[0], "A;Enhet A;ROOT;enhet;2000-01-01;;200,300,999", UNITS[2])
    record = run(staff_csv(*STAFF), units, effective=E2)
    assert record.counts["managers_added"] == 2
    assert record.counts["managers_without_account"] == 1  # 999: nobody
    assert set(
        ManagerResponsibility.objects.filter(from_hr=True).values_list(
            "user__username", "unit__code"
        )
    ) == {("200", "A"), ("rektor", "A")}
    record = run(staff_csv(*STAFF), units_csv(*UNITS), effective=E2)
    assert record.counts["managers_removed"] == 2
    assert list(ManagerResponsibility.objects.all()) == [by_hand]


def test_a_user_is_linked_by_employee_number_whatever_the_case(base):
    user = UserFactory(username="t-500")
    record = run(staff_csv(*STAFF, "T-500;Ny;Person;;A;;2024-01-01;;"), effective=E2)
    assert record.counts["users_linked"] == 1
    assert StaffMember.objects.get(employee_number="T-500").user == user
    other = StaffMember.objects.get(employee_number="100")
    UserFactory(username="100")
    other.user = UserFactory(username="eva")
    other.save()
    run(staff_csv(*STAFF, "T-500;Ny;Person;;A;;2024-01-01;;"), effective=E2)
    assert StaffMember.objects.get(employee_number="100").user.username == "eva"  # kept


def test_progress_is_reported_and_the_record_says_who_and_what(base):
    calls = []
    user = UserFactory(roles=["Samordnare"])
    record = run(
        staff_csv(*STAFF), effective=E2, user=user, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (3, 3)
    assert (record.created_by, record.source, record.effective_on) == (user, "command", E2)
    assert record.staff_file_name == "staff.csv" and record.applied_at is not None


def test_problems_are_recorded_in_the_language_of_the_run():
    with translation.override("en"):
        record = run(staff_csv("100;Eva;Ek;;NOPE;;2020-01-01;;"), effective=E1)
    assert record.problems == [
        {"file": "staff.csv", "row": 2, "column": "Enhetskod", "message": "Unknown unit code NOPE."}
    ]
    assert not Placement.objects.exists() and not UnitVersion.objects.exists()


def test_a_full_file_of_employees_leaves_elected_officials_registered_by_hand(base):
    committee = Unit.objects.get(code="B")
    rut = StaffMember.objects.create(
        employee_number="F-1",
        first_name="Rut",
        last_name="Ledamot",
        unit=committee,
        employment_start=datetime.date(2023, 1, 1),
        kind=StaffMember.Kind.ELECTED,
    )
    staff_placement_set(
        staff=rut, unit=committee, title="Ledamot", start=datetime.date(2023, 1, 1), end=None
    )
    record = run(staff_csv(*STAFF[:2]), effective=E2, full=True)
    assert record.counts["leaving"] == 1  # Åsa, an employee; not Rut
    assert rut.placements.get().valid_to is None
