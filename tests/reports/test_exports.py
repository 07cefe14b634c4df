"""One truth: the screen, CSV, XLSX, JSON, PDF and the command line show the selector's numbers;
a manager gets their subtrees and nothing else, in every format."""

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.reports.coverage import coverage_tree
from courses.reports.exports import CSV_COLUMNS
from tests.factories import UserFactory
from tests.reports.factories import AS_OF

pytestmark = pytest.mark.django_db
DAY = AS_OF.isoformat()


def expected(org, codes=None):
    tree = coverage_tree(course=org["course"], as_of=AS_OF)
    return {n.code: (n.population, n.trained) for n in tree if codes is None or n.code in codes}


def from_rows(rows):
    return {row["unit_code"]: (int(row["population"]), int(row["trained"])) for row in rows}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def export(client, fmt, **params):
    params.setdefault("as_of", DAY)
    return client.get(reverse("courses:coverage_export", args=[fmt]), params)


def test_the_numbers_are_the_ones_we_expect(org):
    assert expected(org) == {
        "ROOT": (6, 3),
        "DEPT": (5, 2),
        "A": (3, 2),
        "B": (2, 0),
        "OTHER": (1, 1),
    }


def test_screen_and_every_export_show_the_selector_numbers(org, coordinator, client):
    truth = expected(org)
    client.force_login(coordinator)

    page = client.get(reverse("courses:coverage"), {"as_of": DAY, "course": "grund"})
    assert page.status_code == 200
    html = page.content.decode()
    for node in coverage_tree(course=org["course"], as_of=AS_OF):
        if node.depth <= 1:  # the root and its children are on the first screen
            population, trained = truth[node.code]
            assert f'<td class="num">{population}</td><td class="num">{trained}</td>' in html, (
                node.code
            )

    rows = list(
        csv.DictReader(
            io.StringIO(export(client, "csv").content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert list(rows[0]) == CSV_COLUMNS
    assert from_rows(rows) == truth
    assert {r["as_of"] for r in rows} == {DAY}
    assert {r["unit_code"]: r["parent_code"] for r in rows}["A"] == "DEPT"
    assert {r["unit_code"]: r["coverage"] for r in rows}["B"] == "0.0"
    assert {r["unit_code"]: r["coverage"] for r in rows}["A"] == str(2 / 3)  # exact, not rounded

    data = json.loads(export(client, "json").content)
    assert data["as_of"] == DAY
    [course] = data["courses"]
    assert set(course) == {"course", "title", "units"}
    assert course["course"] == "grund" and course["title"] == "Grundutbildning"
    assert set(course["units"][0]) == {
        "code",
        "name",
        "parent",
        "population",
        "trained",
        "coverage",
    }
    assert {u["code"]: (u["population"], u["trained"]) for u in course["units"]} == truth
    assert course["units"][0]["parent"] is None
    for unit in course["units"]:  # trained / population exactly; null for nobody
        population, trained = unit["population"], unit["trained"]
        assert unit["coverage"] == (trained / population if population else None)

    sheet = load_workbook(io.BytesIO(export(client, "xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == CSV_COLUMNS
    assert {r[2]: (r[5], r[6]) for r in values[1:]} == truth

    text = pdf_text(export(client, "pdf").content)
    for code in truth:
        assert f"({code})" in text
    assert "Enhet A (A) DEPT 3 2 66,7 %" in text
    assert "Enhet B (B) DEPT 2 0 0,0 %" in text


def test_command_line_gives_the_same_numbers_in_every_format(org, tmp_path):
    truth = expected(org)
    out = io.StringIO()
    call_command("coverage_report", "--as-of", DAY, "--format", "csv", stdout=out)
    assert from_rows(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";")) == truth
    out = io.StringIO()
    call_command(
        "coverage_report", "--as-of", DAY, "--course", "grund", "--format", "json", stdout=out
    )
    units = json.loads(out.getvalue())["courses"][0]["units"]
    assert {u["code"]: (u["population"], u["trained"]) for u in units} == truth
    assert {u["code"]: u["coverage"] for u in units}["OTHER"] == 1.0
    xlsx = tmp_path / "c.xlsx"
    call_command(
        "coverage_report",
        "--as-of",
        DAY,
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        stderr=io.StringIO(),
    )
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))[1:]
    assert {r[2]: (r[5], r[6]) for r in rows} == truth
    pdf = tmp_path / "c.pdf"
    call_command(
        "coverage_report",
        "--as-of",
        DAY,
        "--unit",
        "DEPT",
        "--format",
        "pdf",
        "--output",
        str(pdf),
        stderr=io.StringIO(),
    )
    text = pdf_text(pdf.read_bytes())
    assert "Avdelning (DEPT) – 5 2 40,0 %" in text
    assert "(OTHER)" not in text


def test_unit_option_restricts_to_the_subtree_and_drops_the_outside_parent(org):
    out = io.StringIO()
    call_command(
        "coverage_report", "--as-of", DAY, "--unit", "DEPT", "--format", "json", stdout=out
    )
    units = json.loads(out.getvalue())["courses"][0]["units"]
    assert [(u["code"], u["parent"]) for u in units] == [
        ("DEPT", None),
        ("A", "DEPT"),
        ("B", "DEPT"),
    ]


def test_every_course_required_for_someone_is_reported(org):
    from tests.factories import make_course

    make_course(title="Ej obligatorisk", slug="frivillig")  # required for nobody
    make_course(required_for=[org["larare"]], title="Fördjupning", slug="fordjupning")
    out = io.StringIO()
    call_command("coverage_report", "--as-of", DAY, "--format", "json", stdout=out)
    courses = json.loads(out.getvalue())["courses"]
    assert [c["course"] for c in courses] == ["grund", "fordjupning"]
    assert all(u["coverage"] is None for u in courses[1]["units"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "2025-13-01"], "YYYY-MM-DD"),
        (["--course", "finns-inte"], "finns-inte"),
        (["--unit", "NOPE"], "NOPE"),
        (["--user", "nobody"], "nobody"),
    ],
)
def test_bad_arguments_are_command_errors(org, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("coverage_report", *args, "--format", "csv", stdout=io.StringIO())


def test_bad_format_is_refused(org):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("coverage_report", "--format", "docx", stdout=io.StringIO())


def test_bad_date_exits_nonzero_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "coverage_report", "--as-of", "igår", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
    )
    assert result.returncode != 0
    assert "YYYY-MM-DD" in result.stderr


# ---------------------------------------------------------------------------- scope


def test_a_manager_gets_only_their_subtree_in_every_format(org, manager, client, tmp_path):
    inside = {"DEPT", "A", "B"}
    truth = expected(org, inside)
    client.force_login(manager)
    assert client.get(reverse("courses:coverage")).status_code == 404
    assert client.get(reverse("courses:coverage_people")).status_code == 404
    assert client.get(reverse("courses:followup")).status_code == 404

    rows = list(
        csv.DictReader(
            io.StringIO(export(client, "csv").content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert from_rows(rows) == truth
    data = json.loads(export(client, "json").content)
    units = data["courses"][0]["units"]
    assert {u["code"]: (u["population"], u["trained"]) for u in units} == truth
    assert units[0]["parent"] is None  # ROOT is outside the manager's view
    values = list(load_workbook(io.BytesIO(export(client, "xlsx").content)).active.values)
    assert {r[2] for r in values[1:]} == inside
    text = pdf_text(export(client, "pdf").content)
    assert "(DEPT)" in text and "(ROOT)" not in text and "(OTHER)" not in text
    # Another subtree asked for by code is refused, not shown.
    response = export(client, "csv", unit="OTHER")
    assert response.status_code == 400 and b"OTHER" not in response.content

    out = io.StringIO()
    call_command(
        "coverage_report",
        "--as-of",
        DAY,
        "--format",
        "json",
        "--user",
        manager.username,
        stdout=out,
    )
    units = json.loads(out.getvalue())["courses"][0]["units"]
    assert {u["code"]: (u["population"], u["trained"]) for u in units} == truth
    with pytest.raises(CommandError):
        call_command(
            "coverage_report",
            "--unit",
            "OTHER",
            "--format",
            "csv",
            "--user",
            manager.username,
            stdout=io.StringIO(),
        )


def test_staff_and_anonymous_get_nothing(org, client):
    for fmt in ("csv", "json"):
        response = export(client, fmt)
        assert response.status_code == 302  # to the login page
    client.force_login(UserFactory(roles=["Medarbetare"]))
    for fmt in ("csv", "json", "xlsx", "pdf"):
        assert export(client, fmt).status_code == 404
    assert client.get(reverse("courses:coverage")).status_code == 404
    assert export(client, "docx").status_code == 404
