"""The coordinator's pages: drill-down, people, bad input, the query bound, the follow-up."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail import hooks

from courses.extension import FOLLOWUP_SECTIONS
from courses.models import Completion, FollowupFile, StaffMember, Unit
from courses.reports.coverage import coverage_tree
from courses.reports.followup import lecture_views, period_parse
from tests.factories import history_for_bulk
from tests.reports.factories import AS_OF, completion, staff

pytestmark = pytest.mark.django_db
DAY = AS_OF.isoformat()


def get(client, name, **params):
    return client.get(reverse(f"courses:{name}"), params)


def test_drill_down_from_the_root_to_a_unit_and_its_people(org, coordinator, client):
    client.force_login(coordinator)
    page = get(client, "coverage", as_of=DAY, course="grund").content.decode()
    assert "Förvaltning" in page and "unit=DEPT" in page  # the department can be opened
    assert "unit=A&amp;" not in page.split('id="unit-table"')[1].split("</table>")[0]

    page = get(client, "coverage", as_of=DAY, course="grund", unit="DEPT").content.decode()
    table = page.split('id="unit-table"')[1].split("</table>")[0]
    assert "Enhet A" in table and "Enhet B" in table and "Övrigt" not in table
    assert 'aria-current="page">Avdelning' in page  # the path shows where we are

    response = get(client, "coverage_people", as_of=DAY, course="grund", unit="A")
    assert response.status_code == 200
    people = response.content.decode().split('id="people-table"')[1]
    assert people.count('<tr><th scope="row">') == 3  # the one who left is not listed
    assert people.count("status--completed") == 2 and people.count("status--not_started") == 1
    first = Completion.objects.filter(staff__unit=org["a"]).order_by("completed_on").first()
    assert first.completed_on.isoformat() in people


def test_people_status_shows_an_expired_completion(org, coordinator, client):
    person = staff(org["b"], org["alla"], last_name="Förfallen")
    completion(
        person, org["course"], on=datetime.date(2023, 1, 1), valid_until=AS_OF.replace(day=1)
    )
    client.force_login(coordinator)
    page = get(client, "coverage_people", as_of=DAY, course="grund", unit="B").content.decode()
    assert "status--refresher_due" in page and "2023-01-01" in page


@pytest.mark.parametrize(
    "params, error_id",
    [
        ({"as_of": "2025-02-30"}, "as_of-error"),
        ({"as_of": "i morgon"}, "as_of-error"),
        ({"course": "finns-inte"}, "course-error"),
        ({"unit": "NOPE"}, "unit-error"),
    ],
)
def test_bad_input_is_a_400_with_a_message(org, coordinator, client, params, error_id):
    client.force_login(coordinator)
    response = get(client, "coverage", **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="{error_id}"' in html
    if error_id != "unit-error":  # a field on the form: the message is tied to it
        assert f'aria-describedby="{error_id}"' in html
    assert 'id="unit-table"' not in html  # no figures for a request we could not read
    assert get(client, "coverage_people", **params).status_code == 400


def test_bad_period_is_a_400(org, coordinator, client):
    client.force_login(coordinator)
    for value in ("2025-T4", "förra året", "1999"):
        response = get(client, "followup", period=value)
        assert response.status_code == 400
        assert b"period-error" in response.content
        pdf = client.post(reverse("courses:followup_pdf"), {"period": value})
        assert pdf.status_code == 400
    assert not FollowupFile.objects.exists()


def test_periods_are_tertials_or_years():
    assert (period_parse("2025-T1").start, period_parse("2025-T1").end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 4, 30),
    )
    assert period_parse("2024-T2").end == datetime.date(2024, 8, 31)
    assert period_parse("2025-T3").end == datetime.date(2025, 12, 31)
    assert period_parse("2025").end == datetime.date(2025, 12, 31)


# ---------------------------------------------------------------------------- query bound


def build_tree(*, units: int, staff_count: int, group, course):
    root = Unit.objects.create(code="Q-ROOT", name="Rot", kind="administration")
    departments = Unit.objects.bulk_create(
        [Unit(code=f"Q-D{i}", name=f"Avd {i}", kind="department", parent=root) for i in range(5)]
    )
    leaves = Unit.objects.bulk_create(
        [
            Unit(code=f"Q-U{i}", name=f"Enhet {i}", parent=departments[i % 5])
            for i in range(units - 6)
        ]
    )
    people = StaffMember.objects.bulk_create(
        [
            StaffMember(
                employee_number=f"Q{i:06d}",
                first_name="Test",
                last_name=f"Person {i}",
                unit=leaves[i % len(leaves)],
                employment_start=datetime.date(2020, 1, 1),
            )
            for i in range(staff_count)
        ]
    )
    people = list(StaffMember.objects.filter(employee_number__startswith="Q"))
    history_for_bulk(units=[root, *departments, *leaves], staff=people, groups=[group])
    Completion.objects.bulk_create(
        [
            Completion(staff=p, course=course, completed_on=AS_OF, method="online")
            for p in people[::2]
        ]
    )


QUERY_BOUND = 20


@pytest.mark.parametrize("size", [1, 5])
def test_coverage_page_makes_a_bounded_number_of_queries(
    org, coordinator, client, django_assert_max_num_queries, size
):
    client.force_login(coordinator)
    # Once before the tree grows: the shell's cached reads (the site, the footer's links)
    # are warm, as on every request but a node's first in an hour.
    get(client, "coverage", as_of=DAY, course="grund")
    build_tree(units=50 * size, staff_count=500 * size, group=org["alla"], course=org["course"])
    with django_assert_max_num_queries(QUERY_BOUND):
        response = get(client, "coverage", as_of=DAY, course="grund")
    assert response.status_code == 200
    [root] = [n for n in coverage_tree(course=org["course"], as_of=AS_OF) if n.code == "Q-ROOT"]
    assert (root.population, root.trained) == (500 * size, 250 * size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = get(client, "coverage", as_of=DAY, course="grund", unit="Q-D1")
    assert response.status_code == 200
    with django_assert_max_num_queries(QUERY_BOUND):
        get(client, "coverage_people", as_of=DAY, course="grund", unit="Q-ROOT")


# ---------------------------------------------------------------------------- follow-up


def pass_rates(start, end, units):
    return [
        {
            "title": "Kunskapstest",
            "rows": [("Godkända försök", 41), ("Andel godkända", "82 %")],
        }
    ]


def test_followup_report_figures_in_page_pdf_and_xlsx(
    org, coordinator, client, django_capture_on_commit_callbacks
):
    # Completions inside 2025-T2 (May-August): the org fixture made 3 in May/June.
    client.force_login(coordinator)
    with hooks.register_temporarily(FOLLOWUP_SECTIONS, pass_rates):
        page = get(client, "followup", period="2025-T2")
        # The PDF is asked for, rendered by a task (here at once), then listed for download.
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(reverse("courses:followup_pdf"), {"period": "2025-T2"})
        assert asked.status_code == 302
        listed = client.get(asked["Location"])
        ready = FollowupFile.objects.get(period="2025-T2", status=FollowupFile.Status.READY)
        link = reverse("courses:followup_file", args=[ready.pk])
        assert link.encode() in listed.content
        pdf = client.get(link)
        xlsx = get(client, "followup_xlsx", period="2025-T2")
    assert page.status_code == pdf.status_code == xlsx.status_code == 200
    pdf_bytes = b"".join(pdf.streaming_content)
    html = page.content.decode()
    assert "Kunskapstest" in html and "Godkända försök" in html

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    as_of = datetime.date(2025, 8, 31)
    tree = {n.code: n for n in coverage_tree(course=org["course"], as_of=as_of)}
    root = tree["ROOT"]
    assert f"Grundutbildning {root.population} {root.trained}" in text
    assert "Godkända försök 41" in text and "Andel godkända 82 %" in text
    assert "2025-05-01" in text and "2025-08-31" in text
    completed = Completion.objects.filter(
        completed_on__range=(datetime.date(2025, 5, 1), as_of), withdrawn_at__isnull=True
    ).count()
    assert completed == 3
    assert f"Grundutbildning {completed} {completed} 0 0 0" in text  # all online
    assert "<svg" not in text

    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    units = {r[1]: (r[5], r[6]) for r in rows[4:]}
    assert units == {code: (n.population, n.trained) for code, n in tree.items()}
    assert "Kunskapstest" in book.sheetnames


def test_followup_without_hooks_or_lectures_still_renders(org, coordinator, client):
    assert lecture_views(start=AS_OF, end=AS_OF) == []
    client.force_login(coordinator)
    response = get(client, "followup")
    assert response.status_code == 200
    assert b"<svg" in response.content and b'role="img"' in response.content
