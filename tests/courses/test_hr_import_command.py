"""`manage.py hr_import`: counts, problems by row and column, exit status, progress."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from courses.models import HrImport, StaffMember
from tests.courses.hr_import_files import STAFF, UNITS, staff_csv, units_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def files(tmp_path):
    staff = tmp_path / "personal.csv"
    staff.write_bytes(staff_csv(*STAFF))
    units = tmp_path / "enheter.csv"
    units.write_bytes(units_csv(*UNITS))
    return staff, units


def hr_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("hr_import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_the_counts(files):
    staff, units = files
    out, _err = hr_import(staff, "--units", units, "--effective", "2025-01-01")
    assert "New: 3" in out and "New units: 3" in out
    assert StaffMember.objects.count() == 3
    record = HrImport.objects.get()
    assert (record.source, record.staff_file_name, record.units_file_name) == (
        "command",
        "personal.csv",
        "enheter.csv",
    )
    assert not record.staff_file  # the command keeps no copy


def test_a_second_run_says_nothing_to_change(files):
    staff, units = files
    hr_import(staff, "--units", units, "--effective", "2025-01-01")
    out, _err = hr_import(staff, "--units", units, "--effective", "2025-01-01")
    assert "Nothing to change" in out and "Unchanged: 3" in out
    assert HrImport.objects.first().status == HrImport.Status.UNCHANGED


def test_a_dry_run_changes_nothing(files):
    staff, units = files
    out, _err = hr_import(staff, "--units", units, "--dry-run")
    assert "Dry run" in out and "New: 3" in out
    assert not StaffMember.objects.exists()
    assert HrImport.objects.get().status == HrImport.Status.PREVIEW


def test_refused_files_print_their_problems_and_exit_1(tmp_path):
    bad = tmp_path / "staff.csv"
    bad.write_bytes(staff_csv("100;Eva;Ek;;NOPE;;2020-01-01;;"))
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("hr_import", str(bad), stdout=io.StringIO(), stderr=err)
    assert refused.value.returncode == 1
    assert "staff.csv, row 2, column “Enhetskod”: Unknown unit code NOPE." in err.getvalue()
    assert not StaffMember.objects.exists()


def test_a_bad_date_or_a_missing_file_is_a_command_error(files, tmp_path):
    staff, _units = files
    with pytest.raises(CommandError, match="not a date"):
        hr_import(staff, "--effective", "1 mars")
    with pytest.raises(CommandError, match="No file"):
        hr_import(tmp_path / "nope.csv")
    assert not HrImport.objects.exists()


def test_progress_goes_to_stderr_when_asked(files):
    staff, units = files
    _out, err = hr_import(staff, "--units", units, "--progress")
    assert "\r3/3" in err


def test_full_files_end_those_left_out(files, tmp_path):
    staff, units = files
    hr_import(staff, "--units", units, "--effective", "2025-01-01")
    fewer = tmp_path / "fewer.csv"
    fewer.write_bytes(staff_csv(*STAFF[:2]))
    out, _err = hr_import(fewer, "--full", "--effective", "2025-03-01")
    assert "Leaving: 1" in out
    assert str(StaffMember.objects.get(employee_number="300").employment_end) == "2025-02-28"
