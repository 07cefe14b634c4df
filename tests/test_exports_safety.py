"""Every CSV and XLSX download is safe against formula injection and private.

Text that a spreadsheet would read as a formula (it begins with = + - @ or a tab) comes out
as text: in CSV with a leading apostrophe, in XLSX unchanged but as a string cell marked
"quote prefix". Numbers stay numbers. Every response is an attachment that no cache keeps.

EXPORTS lists every export endpoint; a new one is added there (the last test fails for an
admin listing with an export that is missing from it).
"""

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log

from certificates.services import certificate_issue
from courses.models import Attendance
from courses.roles import COORDINATOR
from courses.services.learning import completion_record
from courses.services.session_attendance import attendance_mark
from courses.services.sessions import registration_create
from quizzes.models import Question
from tests.factories import (
    StaffMemberFactory,
    TargetGroupFactory,
    UnitFactory,
    UserFactory,
    make_course,
    manager_of,
)
from tests.quizzes.factories import make_test
from tests.sessions.factories import SessionFactory, running_session

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)", "\tTAB"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
PERIOD = "2025-T2"


@pytest.fixture
def data(home):
    """Every text a user or HR controls begins with a payload somewhere."""
    everyone = TargetGroupFactory(code="alla", name="Alla")
    root = UnitFactory(code="ROOT", name="Förvaltning")
    units = [UnitFactory(code=f"P{i}", name=text, parent=root) for i, text in enumerate(PAYLOADS)]
    course = make_course(required_for=[everyone], title="Grundutbildning", slug="grund")
    coordinator = UserFactory(roles=[COORDINATOR])
    people = [
        StaffMemberFactory(
            first_name=text,
            last_name="Berg",
            unit=unit,
            target_groups=[everyone],
            employment_start=datetime.date(2020, 1, 1),
        )
        for text, unit in zip(PAYLOADS, units, strict=True)
    ]
    for person in people:
        completion = completion_record(
            staff=person,
            course=course,
            completed_on=datetime.date(2025, 6, 1),
            method="online",
            recorded_by=coordinator,
        )
        certificate_issue(completion=completion, render=False)
    session = running_session(title=PAYLOADS[0], place=PAYLOADS[1], capacity=10)
    for text in PAYLOADS[1:]:
        SessionFactory(title=text, place=PAYLOADS[2])
    for person in people:
        registration_create(
            session=session, staff=person, now=session.starts_at - datetime.timedelta(days=1)
        )
    attendance_mark(
        session=session, staff=people[0], status=Attendance.Status.PRESENT, by=coordinator
    )
    for text in PAYLOADS:
        test = make_test(title=text, pass_mark=75, questions=[])
        Question.objects.create(test=test, kind="single", text=text, sort_order=1)
    admin = UserFactory(is_superuser=True, is_staff=True)
    for unit in units:
        log(instance=unit, action="wagtail.edit", user=admin)
    for i, text in enumerate(PAYLOADS):
        Redirect.objects.create(old_path=f"/gammal-{i}", redirect_link=text)
    return {
        "users": {"manager": manager_of(root), "coordinator": coordinator, "admin": admin},
        "session": session,
    }


def _admin(path: str) -> Callable[[dict, str], str]:
    return lambda data, fmt: f"{path}?export={fmt}"


@dataclass(frozen=True)
class Export:
    name: str
    url: Callable[[dict, str], str]  # (data, "csv" or "xlsx") -> the download's address
    user: str
    formats: tuple[str, ...] = ("csv", "xlsx")
    numeric: tuple[int, ...] = ()  # columns (0-based) whose body cells are numbers
    first_body_row: int = 1  # 0-based, the row after the header


EXPORTS = [
    Export(
        "manager report",
        lambda data, fmt: reverse("courses:manager_export", args=[fmt]),
        "manager",
    ),
    Export(
        "coverage",
        lambda data, fmt: reverse("courses:coverage_export", args=[fmt]) + "?course=grund",
        "coordinator",
        numeric=(5, 6),
    ),
    Export(
        "follow-up",
        lambda data, fmt: reverse("courses:followup_xlsx") + f"?period={PERIOD}",
        "coordinator",
        formats=("xlsx",),
        numeric=(4, 5, 6),
        first_body_row=4,
    ),
    Export(
        "session roster",
        lambda data, fmt: (
            reverse("courses:session_roster_export", args=[data["session"].pk]) + f"?export={fmt}"
        ),
        "coordinator",
    ),
    Export("admin: units", _admin("/admin/snippets/courses/unit/"), "admin"),
    Export("admin: staff", _admin("/admin/snippets/courses/staffmember/"), "admin"),
    Export("admin: completions", _admin("/admin/snippets/courses/completion/"), "admin"),
    Export("admin: sessions", _admin("/admin/snippets/courses/session/"), "admin", numeric=(7,)),
    Export(
        "admin: test statistics",
        _admin("/admin/snippets/quizzes/knowledgetest/"),
        "admin",
        numeric=(1, 2, 3),
    ),
    Export(
        "admin: question statistics",
        _admin("/admin/quizzes/question-stats/"),
        "admin",
        numeric=(3, 4),
    ),
    Export("admin: certificates", _admin("/admin/snippets/certificates/certificate/"), "admin"),
    Export("wagtail: site history", _admin("/admin/reports/site-history/"), "admin"),
    Export("wagtail: redirects", _admin("/admin/redirects/"), "admin"),
]
CASES = [pytest.param(e, fmt, id=f"{e.name}-{fmt}") for e in EXPORTS for fmt in e.formats]


def _download(client, data, export: Export, fmt: str):
    client.force_login(data["users"][export.user])
    response = client.get(export.url(data, fmt))
    assert response.status_code == 200, export.name
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    return response, body


def _assert_private_attachment(response, extension: str) -> None:
    disposition = response["Content-Disposition"]
    assert re.fullmatch(rf'attachment; filename="[^"/\\]+\.{extension}"', disposition), disposition
    assert {part.strip() for part in response["Cache-Control"].split(",")} >= {
        "private",
        "no-store",
    }


@pytest.mark.parametrize("export, fmt", CASES)
def test_export_writes_formula_like_text_as_text(client, data, export, fmt):
    response, body = _download(client, data, export, fmt)
    if fmt == "csv":
        _assert_safe_csv(body, export)
    else:
        _assert_safe_xlsx(body, export)
    _assert_private_attachment(response, fmt)


def _assert_safe_csv(body: bytes, export: Export) -> None:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    for text in PAYLOADS:
        assert any(cell.startswith("'" + text) for cell in cells), (text, rows)
    for n, row in enumerate(rows):
        for column, cell in enumerate(row):
            if n >= export.first_body_row and column in export.numeric:
                assert NUMBER.fullmatch(cell), (n, column, cell)  # a number, not prefixed
            else:
                assert not cell.startswith(DANGEROUS), (n, column, cell)
    if export.numeric:
        assert len(rows) > export.first_body_row
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"


def _assert_safe_xlsx(body: bytes, export: Export) -> None:
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert cell.data_type == "s", cell.value
            if cell.value.startswith(DANGEROUS):
                assert cell.quotePrefix, cell.value
    for text in PAYLOADS:
        assert any(
            isinstance(c.value, str) and c.value.startswith(text) and c.quotePrefix for c in cells
        ), text
    sheet = book.worksheets[0]
    body_rows = list(sheet.iter_rows(min_row=export.first_body_row + 1))
    for column in export.numeric:
        values = [row[column] for row in body_rows if row[column].value not in (None, "")]
        assert values, column
        for cell in values:
            assert cell.data_type == "n" and isinstance(cell.value, int | float), cell.value


def test_numbers_in_an_export_stay_numbers(client, data):
    """The test statistics: pass mark 75 is a number in XLSX and bare in CSV."""
    export = next(e for e in EXPORTS if e.name == "admin: test statistics")
    _response, body = _download(client, data, export, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == {75}
    _response, body = _download(client, data, export, "csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert {row[1] for row in rows[1:]} == {"75"}
    assert {row[0] for row in rows[1:]} == {"'" + text for text in PAYLOADS}


def _followup_file():
    from courses.services.followup import followup_file_render, followup_file_request

    asked = followup_file_request(period_code=PERIOD, user=None)
    return followup_file_render(followup_id=asked.pk)


OTHER_DOWNLOADS = {
    "coverage-json": lambda: reverse("courses:coverage_export", args=["json"]),
    "coverage-pdf": lambda: reverse("courses:coverage_export", args=["pdf"]),
    "follow-up-pdf": lambda: reverse("courses:followup_file", args=[_followup_file().pk]),
}


@pytest.mark.parametrize("name", OTHER_DOWNLOADS)
def test_other_report_downloads_are_private_attachments(client, data, name):
    """The reports' JSON and PDF hold no cells, but the same personal data."""
    client.force_login(data["users"]["coordinator"])
    response = client.get(OTHER_DOWNLOADS[name]())
    assert response.status_code == 200
    _assert_private_attachment(response, name.rsplit("-", 1)[1])


def test_every_admin_listing_with_an_export_is_in_exports(client):
    """A Wagtail viewset with `list_export` must be listed in EXPORTS, so it is tested."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.base import ViewSet

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/").status_code == 200  # the admin's URLs register the viewsets
    covered = {export.url({}, "csv").split("?")[0] for export in EXPORTS if export.user == "admin"}
    listed = set()
    for viewset in viewsets.viewsets:
        fields = getattr(viewset, "list_export", ViewSet.UNDEFINED)
        if fields is ViewSet.UNDEFINED:
            fields = getattr(getattr(viewset, "index_view_class", None), "list_export", None)
        if fields:
            listed.add(viewset.menu_url)
    assert listed, "no viewset found: the registry moved"
    assert listed <= covered, listed - covered
