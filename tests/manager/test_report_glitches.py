"""/reports/: an empty filter result says so, and the staff's certificates are one click away."""

import pytest
from django.utils import translation

from courses.selectors.learning import Status
from tests.factories import manager_of
from tests.manager.factories import org, staff

pytestmark = pytest.mark.django_db

URL = "/reports/"


@pytest.fixture
def o(home):
    return org()


def test_an_empty_filter_result_shows_a_message(client, o):
    staff(o.unit_a, o.everyone)  # nobody has completed anything
    client.force_login(manager_of(o.dept))
    with translation.override("en"):
        response = client.get(URL, {"status": Status.COMPLETED}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No staff match these filters." in html
    assert "0 people match the filters." in html


def test_report_links_to_the_staff_certificates_and_their_zip(client, o):
    staff(o.unit_a, o.everyone)
    client.force_login(manager_of(o.dept))
    html = client.get(URL).content.decode()
    assert 'href="/certificates/staff/zip/"' in html
    assert 'href="/certificates/staff/"' in html


def test_certificate_links_carry_the_unit_and_course_filters(client, o):
    staff(o.unit_a, o.everyone)
    client.force_login(manager_of(o.dept))
    html = client.get(URL, {"unit": o.unit_a.pk, "course": o.basic.pk}).content.decode()
    query = f"unit={o.unit_a.code}&amp;course={o.basic.pk}"
    assert f'href="/certificates/staff/zip/?{query}"' in html
    assert f'href="/certificates/staff/?{query}"' in html
    # The certificates page understands those filters (unit by code, course by id).
    assert (
        client.get(f"/certificates/staff/?unit={o.unit_a.code}&course={o.basic.pk}").status_code
        == 200
    )


@pytest.mark.parametrize(
    "language, start, delimiter", [("sv", b"\xef\xbb\xbf", b";"), ("en", b"", b",")]
)
def test_csv_export_follows_the_interface_language(client, o, language, start, delimiter):
    staff(o.unit_a, o.everyone)
    client.force_login(manager_of(o.dept))
    body = client.get("/reports/export.csv", HTTP_ACCEPT_LANGUAGE=language).content
    header = body.split(b"\r\n", 1)[0]
    assert header.startswith(b"\xef\xbb\xbf") == bool(start)
    assert delimiter in header and (b"," if delimiter == b";" else b";") not in header
