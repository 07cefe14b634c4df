"""/reports/: who may see it, filters, pagination, the query bound and the exports."""

import csv
import datetime
import io
import re
from urllib.parse import parse_qs

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from courses.extension import COMPLETION_LINKS
from courses.models import Completion, StaffMember
from courses.roles import COORDINATOR, STAFF
from courses.selectors.learning import Status
from courses.selectors.manager import StatusFilter
from tests.factories import UserFactory, history_for_bulk, manager_of
from tests.manager.factories import complete, enrol, org, screen_rows, staff

pytestmark = pytest.mark.django_db

URL = "/reports/"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def o(home):
    return org()


def logged_in(client, user):
    client.force_login(user)
    return client


def test_url_name():
    assert reverse("courses:manager_report") == URL
    assert reverse("courses:manager_export", args=["csv"]) == "/reports/export.csv"


# ---------------------------------------------------------------------------- access


def test_anonymous_is_sent_to_login(client, o):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_without_reports_get_404(client, o):
    logged_in(client, UserFactory(roles=[STAFF]))
    assert client.get(URL).status_code == 404
    assert client.get("/reports/export.csv").status_code == 404
    assert client.post("/reports/remind/", {"staff": []}).status_code == 404


def test_manager_sees_own_subtree_only(client, o):
    mine = [staff(o.unit_a, o.everyone), staff(o.dept, o.everyone)]
    theirs = staff(o.other, o.everyone)
    response = logged_in(client, manager_of(o.dept)).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for person in mine:
        assert person.employee_number in html
    assert theirs.employee_number not in html
    assert "/reports/coverage/" not in html  # coordinators only


def test_manager_of_another_unit_sees_none_of_them(client, o):
    people = [staff(o.unit_a, o.everyone), staff(o.unit_b, o.everyone)]
    response = logged_in(client, manager_of(o.other)).get(URL)
    html = response.content.decode()
    assert not any(p.employee_number in html for p in people)


def test_coordinator_sees_all_and_the_coverage_link(client, o):
    people = [staff(o.unit_a, o.everyone), staff(o.other, o.everyone)]
    response = logged_in(client, UserFactory(roles=[COORDINATOR])).get(URL)
    html = response.content.decode()
    assert all(p.employee_number in html for p in people)
    assert 'href="/reports/coverage/"' in html


@pytest.mark.parametrize("param", ["unit", "course", "status", "target_group"])
def test_filter_values_outside_the_choices_are_400(client, o, param):
    staff(o.other, o.everyone)
    manager = manager_of(o.unit_a)
    bad = {"unit": o.other.pk, "course": 999999, "status": "bogus", "target_group": "nope"}
    response = logged_in(client, manager).get(URL, {param: bad[param]})
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content
    export = client.get("/reports/export.csv", {param: bad[param]})
    assert export.status_code == 400


def test_filters_in_the_page(client, o):
    done = staff(o.unit_a, o.everyone, last_name="Klar")
    complete(done, o.basic, TODAY - 10 * DAY, valid_until=TODAY + 700 * DAY)
    waiting = staff(o.unit_b, o.everyone, o.intake, last_name="Ovan")
    logged_in(client, manager_of(o.dept))
    html = client.get(URL, {"status": StatusFilter.NOT_TRAINED}).content.decode()
    assert waiting.employee_number in html and done.employee_number not in html
    html = client.get(URL, {"unit": o.unit_a.pk}).content.decode()
    assert done.employee_number in html and waiting.employee_number not in html
    html = client.get(URL, {"target_group": "mottagning"}).content.decode()
    assert waiting.employee_number in html and done.employee_number not in html
    html = client.get(URL, {"course": o.advanced.pk}).content.decode()
    assert waiting.employee_number in html and done.employee_number not in html
    html = client.get(URL, {"status": Status.COMPLETED}).content.decode()
    assert done.employee_number in html and waiting.employee_number not in html


# ---------------------------------------------------------------------------- pages


def bulk_staff(unit, group, count, prefix="B"):
    people = StaffMember.objects.bulk_create(
        StaffMember(
            employee_number=f"{prefix}{n:06d}",
            first_name="Test",
            last_name=f"Person{n:06d}",
            email=f"{prefix.lower()}{n}@example.test",
            unit=unit,
            employment_start=datetime.date(2020, 1, 1),
        )
        for n in range(count)
    )
    people = list(StaffMember.objects.filter(employee_number__startswith=prefix))
    history_for_bulk(staff=people, groups=[group])
    return people


def test_pagination_shows_50_staff_per_page_and_keeps_filters(client, o):
    bulk_staff(o.unit_a, o.everyone, 120)
    logged_in(client, manager_of(o.dept))
    seen = []
    for number in (1, 2, 3):
        response = client.get(URL, {"page": number, "status": StatusFilter.NOT_TRAINED})
        people = [sr.staff.employee_number for sr in response.context["staff_rows"]]
        seen.extend(people)
        assert len(people) == (50 if number < 3 else 20)
    assert len(set(seen)) == 120
    html = client.get(URL, {"page": 2, "status": StatusFilter.NOT_TRAINED}).content.decode()
    for rel, number in (("prev", "1"), ("next", "3")):
        query = re.search(rf'href="\?([^"]*)" rel="{rel}"', html).group(1)
        assert parse_qs(query.replace("&amp;", "&")) == {
            "page": [number],
            "status": ["not_trained"],
        }


def _queries_for_page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_staff(client, o, django_assert_max_num_queries):
    """60 staff or 5,000: a page costs the same number of queries."""
    manager = manager_of(o.dept)
    logged_in(client, manager)

    def add(count, prefix):
        people = bulk_staff(o.unit_a, o.everyone, count, prefix=prefix)
        Completion.objects.bulk_create(
            Completion(
                staff=p,
                course=o.basic,
                completed_on=TODAY - 30 * DAY,
                valid_until=TODAY + (300 if n % 2 else -3) * DAY,
                method=Completion.Method.IMPORT,
            )
            for n, p in enumerate(people)
            if n % 3
        )

    add(60, "S")
    urls = [URL, f"{URL}?status=not_trained&page=2", f"{URL}?status=overdue"]
    client.get(URL)  # fills what is cached once per user (session, the shell's roles)
    small = [_queries_for_page(client, url) for url in urls]
    add(4940, "L")
    assert StaffMember.objects.count() == 5000
    client.get(URL)  # the organisation changed: its cached readings (tree, rules) fill again
    with django_assert_max_num_queries(max(small)):
        client.get(urls[1])
    large = [_queries_for_page(client, url) for url in urls]
    assert large == small
    # session, user, permissions, scope, filters, five for the rows, the certificate-link hook
    assert max(large) <= 30


# ---------------------------------------------------------------------------- exports


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(
            [
                v.date().isoformat()
                if isinstance(v, datetime.datetime)
                else ("" if v is None else str(v))
                for v in values
            ]
        )
    return rows


def _all_screen_rows(client, params) -> tuple[list[str], list[list[str]]]:
    rows, number = [], 1
    while True:
        response = client.get(URL, {**params, "page": number})
        assert response.status_code == 200
        header = [str(c) for c in response.context["columns"]]
        rows.extend(
            [("" if cell == "–" else cell) for cell in row[1:]]
            for row in screen_rows(response.content.decode())
        )
        if not response.context["page"].has_next():
            return header, rows
        number += 1


@pytest.fixture
def export_data(o):
    people = bulk_staff(o.unit_a, o.everyone, 55, prefix="A")
    people += bulk_staff(o.unit_b, o.intake, 10, prefix="C")
    outsiders = bulk_staff(o.other, o.everyone, 5, prefix="X")
    for n, person in enumerate(people + outsiders):
        if n % 4 == 0:
            complete(person, o.basic, TODAY - 40 * DAY, valid_until=TODAY + 600 * DAY)
        elif n % 4 == 1:
            complete(person, o.basic, TODAY - 800 * DAY, valid_until=TODAY - 70 * DAY)
        elif n % 4 == 2:
            enrol(person, o.basic)
    return o, people, outsiders


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "not_trained"}, {"unit": "B"}, {"status": "completed", "unit": "A"}],
)
def test_exports_equal_the_screen_and_stay_in_scope(client, export_data, params):
    o, people, outsiders = export_data
    units = {"A": o.unit_a.pk, "B": o.unit_b.pk}
    if "unit" in params:
        params = {**params, "unit": units[params["unit"]]}
    logged_in(client, manager_of(o.dept))

    def links(user, completion_ids):
        return {pk: f"/certificates/c/{pk}/" for pk in completion_ids}

    with hooks.register_temporarily(COMPLETION_LINKS, links):
        header, screen = _all_screen_rows(client, params)
        csv_response = client.get("/reports/export.csv", params)
        xlsx_response = client.get("/reports/export.xlsx", params)
    assert screen, "the screen shows rows"
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    site = settings.SITE_URL.rstrip("/")
    for exported in (_csv_rows(csv_response.content), _xlsx_rows(xlsx_response.content)):
        assert exported[0] == header
        body = [[cell.removeprefix(site) for cell in row] for row in exported[1:]]
        assert body == screen
        numbers = {row[1] for row in exported[1:]}
        assert not numbers & {p.employee_number for p in outsiders}
    if "unit" in params:
        unit_names = {row[2] for row in screen}
        assert unit_names == {StaffMember.objects.get(employee_number=screen[0][1]).unit.name}
    if not params:
        assert any(row[-1].startswith("/certificates/c/") for row in screen)
