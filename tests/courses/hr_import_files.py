"""HR files for the import tests: CSV bytes with the default (Swedish) columns."""

import datetime

from courses.models import (
    ManagerResponsibility,
    Placement,
    StaffMember,
    Unit,
    UnitVersion,
)
from courses.services.hr_import import hr_import_run

STAFF_HEADER = (
    "Anställningsnummer;Förnamn;Efternamn;E-post;Enhetskod;Befattning;Anställd från;"
    "Anställd till;Personkategori"
)
UNITS_HEADER = "Enhetskod;Enhetsnamn;Överordnad enhet;Nivå;Öppnad;Stängd;Chef"
E1 = datetime.date(2025, 1, 1)
E2 = datetime.date(2025, 3, 1)
BEFORE_E2 = datetime.date(2025, 2, 28)

UNITS = (
    "ROOT;Staden;;city;2000-01-01;;",
    "A;Enhet A;ROOT;enhet;2000-01-01;;",
    "B;Enhet B;ROOT;enhet;2000-01-01;;",
)
STAFF = (
    "100;Eva;Ek;eva@example.test;A;Lärare;2010-01-01;;anställd",
    "200;Per;Holm;per@example.test;A;Kurator;2012-01-01;;anställd",
    "300;Åsa;Öberg;;B;Rektor;2015-01-01;;employee",
)


def staff_csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([STAFF_HEADER, *lines]).encode(encoding)


def units_csv(*lines: str) -> bytes:
    return "\n".join([UNITS_HEADER, *lines]).encode()


def run(staff: bytes, units: bytes | None = None, **options):
    options.setdefault("source", "command")
    return hr_import_run(
        staff_data=staff,
        staff_name="staff.csv",
        units_data=units,
        units_name="units.csv" if units is not None else "",
        **options,
    )


def organisation() -> dict:
    """Every row of the organisation: what a refused import must leave as it was."""
    return {
        "units": sorted(Unit.objects.values_list("code", "name", "kind", "parent_id")),
        "versions": sorted(
            UnitVersion.objects.values_list(
                "unit_id", "name", "parent_id", "valid_from", "valid_to"
            )
        ),
        "staff": sorted(
            StaffMember.objects.values_list(
                "employee_number",
                "first_name",
                "last_name",
                "email",
                "kind",
                "unit_id",
                "title",
                "employment_start",
                "employment_end",
                "user_id",
            )
        ),
        "placements": sorted(
            Placement.objects.values_list("staff_id", "unit_id", "title", "valid_from", "valid_to")
        ),
        "managers": sorted(
            ManagerResponsibility.objects.values_list("user_id", "unit_id", "from_hr")
        ),
    }
