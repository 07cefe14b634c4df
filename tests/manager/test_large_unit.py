"""A unit of 2,000 people: the report shows one page at a time (50 rows, with the total and
the page links), each page costs the same queries whichever page it is, and the export
still has everyone."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.views.manager import STAFF_PER_PAGE
from tests.factories import manager_of
from tests.manager.factories import org
from tests.manager.test_views import URL, bulk_staff

pytestmark = pytest.mark.django_db

PEOPLE = 2000


@pytest.fixture
def big_unit(home):
    o = org()
    bulk_staff(o.unit_a, o.everyone, PEOPLE, prefix="U")
    return o


def _queries(client, url, params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


def test_a_unit_of_2000_is_shown_a_page_at_a_time_in_constant_queries(client, big_unit):
    client.force_login(manager_of(big_unit.unit_a))
    client.get(URL)  # what is cached once per session
    pages = -(-PEOPLE // STAFF_PER_PAGE)
    first_count, first = _queries(client, URL, {"unit": big_unit.unit_a.pk})
    last_count, last = _queries(client, URL, {"unit": big_unit.unit_a.pk, "page": pages})
    assert first_count == last_count
    assert len(first.context["staff_rows"]) == STAFF_PER_PAGE
    assert first.context["page"].paginator.count == PEOPLE
    html = first.content.decode()
    assert f"Sida 1 av {pages}" in html or f"Page 1 of {pages}" in html
    assert html.count('name="staff"') == STAFF_PER_PAGE  # one checkbox per row shown
    assert len(last.context["staff_rows"]) == PEOPLE - (pages - 1) * STAFF_PER_PAGE


def test_the_export_of_a_unit_of_2000_has_everyone(client, big_unit):
    client.force_login(manager_of(big_unit.unit_a))
    response = client.get("/reports/export.csv", {"unit": big_unit.unit_a.pk})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    rows = list(csv.reader(io.StringIO(text), dialect))[1:]
    numbers = {row[1] for row in rows}
    assert {f"U{n:06d}" for n in range(PEOPLE)} <= numbers
