"""Reading HR files: every bad file is refused with the row and column that are wrong."""

import datetime
import io
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from courses.hr_files import staff_parse, table_read, units_parse

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
STAFF_HEADER = (
    "Anställningsnummer;Förnamn;Efternamn;E-post;Enhetskod;Befattning;Anställd från;"
    "Anställd till;Personkategori"
)
UNITS_HEADER = "Enhetskod;Enhetsnamn;Överordnad enhet;Nivå;Öppnad;Stängd;Chef"
CODES = {"A", "B"}


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (Swedish is the default)."""
    with translation.override("en"):
        yield


def staff(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([STAFF_HEADER, *lines]).encode(encoding)


def units(*lines: str) -> bytes:
    return "\n".join([UNITS_HEADER, *lines]).encode()


def messages(parsed) -> list[str]:
    return [str(p) for p in parsed.problems]


def test_the_example_files_read_cleanly():
    unit_file = units_parse(data=(EXAMPLES / "hr_units.csv").read_bytes(), filename="hr_units.csv")
    assert unit_file.problems == []
    staff_file = staff_parse(
        data=(EXAMPLES / "hr_staff.csv").read_bytes(),
        filename="hr_staff.csv",
        unit_codes={u.code for u in unit_file.rows},
    )
    assert staff_file.problems == []
    assert len(staff_file.rows) == 10
    leaver = next(r for r in staff_file.rows if r.employee_number == "100007")
    assert leaver.employment_end == datetime.date(2026, 6, 30)
    assert next(u for u in unit_file.rows if u.code == "SDF-N").managers == ("100001",)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_and_without_bom_and_windows_1252_read_the_same(encoding):
    parsed = staff_parse(
        data=staff("1;Åsa;Öberg;;A;Lärare;2020-01-01;;", encoding=encoding),
        filename="staff.csv",
        unit_codes=CODES,
    )
    assert parsed.problems == []
    assert (parsed.rows[0].first_name, parsed.rows[0].last_name) == ("Åsa", "Öberg")


def test_comma_separated_files_read_too():
    data = STAFF_HEADER.replace(";", ",") + "\n1,Eva,Ek,,A,,2020-01-01,,\n"
    parsed = staff_parse(data=data.encode(), filename="staff.csv", unit_codes=CODES)
    assert parsed.problems == [] and parsed.rows[0].unit_code == "A"


def test_a_file_in_no_known_encoding_is_refused():
    parsed = staff_parse(data=b"\x81\x8d\x8f\x90\x9d", filename="staff.csv", unit_codes=CODES)
    assert parsed.rows == []
    assert "neither UTF-8 nor Windows-1252" in messages(parsed)[0]


def test_missing_required_columns_are_named():
    data = "Anställningsnummer;Förnamn\n1;Eva\n".encode()
    parsed = staff_parse(data=data, filename="staff.csv", unit_codes=CODES)
    assert parsed.rows == []
    missing = {p.column for p in parsed.problems}
    assert missing == {"Efternamn", "Enhetskod", "Anställd från"}


def test_duplicate_employee_numbers_name_both_rows():
    parsed = staff_parse(
        data=staff("7;Eva;Ek;;A;;2020-01-01;;", "7;Per;Holm;;B;;2021-01-01;;"),
        filename="staff.csv",
        unit_codes=CODES,
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "Anställningsnummer")]
    assert "also on row 2" in parsed.problems[0].message


def test_unknown_unit_codes_are_refused():
    parsed = staff_parse(
        data=staff("7;Eva;Ek;;X;;2020-01-01;;"), filename="staff.csv", unit_codes=CODES
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Enhetskod")]


def test_dates_that_do_not_parse_and_ends_before_starts():
    parsed = staff_parse(
        data=staff("7;Eva;Ek;;A;;1 mars;;", "8;Per;Holm;;A;;2020-05-01;2020-04-30;"),
        filename="staff.csv",
        unit_codes=CODES,
    )
    assert [(p.row, p.column) for p in parsed.problems] == [
        (2, "Anställd från"),
        (3, "Anställd till"),
    ]
    assert parsed.rows == []


def test_empty_required_cells_are_each_reported():
    parsed = staff_parse(data=staff("7;;;;A;;2020-01-01;;"), filename="s.csv", unit_codes=CODES)
    assert {p.column for p in parsed.problems} == {"Förnamn", "Efternamn"}


def test_a_unit_whose_parent_chain_loops_is_refused():
    parsed = units_parse(
        data=units("A;Ett;C;;;;", "B;Två;A;;;;", "C;Tre;B;;;;", "D;Fyra;;;;;"),
        filename="units.csv",
    )
    assert len(parsed.problems) == 1
    assert "loops" in parsed.problems[0].message
    assert parsed.problems[0].column == "Överordnad enhet"


def test_a_unit_with_an_unknown_parent_or_closing_before_opening_is_refused():
    parsed = units_parse(
        data=units("A;Ett;Z;;;;", "B;Två;;;2020-01-01;2019-01-01;"), filename="units.csv"
    )
    assert [(p.row, p.column) for p in parsed.problems] == [
        (3, "Stängd"),
        (2, "Överordnad enhet"),
    ]


def test_xlsx_reads_like_csv_with_dates_and_numbers_from_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(STAFF_HEADER.split(";"))
    sheet.append([1042.0, "Eva", "Ek", None, "A", "Lärare", datetime.datetime(2020, 1, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = staff_parse(data=buffer.getvalue(), filename="staff.xlsx", unit_codes=CODES)
    assert parsed.problems == []
    assert parsed.rows[0].employee_number == "1042"
    assert parsed.rows[0].employment_start == datetime.date(2020, 1, 1)


def test_a_workbook_with_a_csv_name_or_a_broken_workbook_gets_a_clear_message():
    with pytest.raises(ValueError, match="xlsx"):
        table_read(data=b"PK\x03\x04rest", filename="staff.csv")
    with pytest.raises(ValueError, match="XLSX"):
        table_read(data=b"not a zip", filename="staff.xlsx")


def test_the_column_mapping_comes_from_settings(settings):
    settings.HR_COLUMNS = {"staff": {"employee_number": "Pnr-id"}}
    data = staff("7;Eva;Ek;;A;;2020-01-01;;").replace("Anställningsnummer".encode(), b"Pnr-id")
    parsed = staff_parse(data=data, filename="staff.csv", unit_codes=CODES)
    assert parsed.problems == [] and parsed.rows[0].employee_number == "7"
