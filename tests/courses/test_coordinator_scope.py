"""A district's coordinator sees their administration and nothing of another, in every page
and format; the city's central coordinator sees both."""

import datetime

import pytest
from django.urls import reverse

from certificates.services import certificate_issue
from courses.models import Completion, CoordinatorScope
from courses.roles import COORDINATOR
from courses.selectors.organisation import scope_roots, user_sees_whole_organisation
from courses.services.learning import completion_record
from courses.services.organisation import staff_placement_set
from tests.factories import (
    StaffMemberFactory,
    TargetGroupFactory,
    UnitFactory,
    UserFactory,
    make_course,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def city():
    everyone = TargetGroupFactory(code="alla")
    course = make_course(required_for=[everyone], title="Grundkurs", slug="grundkurs")
    root = UnitFactory(code="STAD", name="Staden")
    ours = UnitFactory(code="NORR", name="Norrförvaltningen", parent=root)
    ours_leaf = UnitFactory(code="NORR-1", name="Norrenheten", parent=ours)
    theirs = UnitFactory(code="SODER", name="Söderförvaltningen", parent=root)
    theirs_leaf = UnitFactory(code="SODER-1", name="Söderenheten", parent=theirs)
    people = {}
    for prefix, unit in (("N", ours_leaf), ("X", theirs_leaf)):
        for n in range(3):
            person = StaffMemberFactory(
                employee_number=f"{prefix}{n:04d}",
                last_name=f"{'Norrström' if prefix == 'N' else 'Söderström'}{n}",
                unit=unit,
                target_groups=[everyone],
            )
            completion_record(
                staff=person,
                course=course,
                completed_on=TODAY - datetime.timedelta(days=10),
                method=Completion.Method.ONLINE,
            )
            people[person.employee_number] = person
    district = UserFactory(username="distrikt", roles=[COORDINATOR])
    CoordinatorScope.objects.create(user=district, unit=ours)
    central = UserFactory(username="centralen", roles=[COORDINATOR])
    return {
        "course": course,
        "ours": ours,
        "theirs": theirs,
        "theirs_leaf": theirs_leaf,
        "people": people,
        "district": district,
        "central": central,
    }


def pages(c):
    period = f"{TODAY.year}-T{(TODAY.month - 1) // 4 + 1}"
    coverage = reverse("courses:coverage")
    people = reverse("courses:coverage_people")
    yield f"{coverage}?course=grundkurs"
    yield f"{coverage}?course=grundkurs&unit=NORR"
    yield f"{people}?course=grundkurs"
    for fmt in ("csv", "json", "xlsx"):
        yield reverse("courses:coverage_export", args=[fmt]) + "?course=grundkurs"
    yield reverse("courses:followup") + f"?period={period}"
    yield reverse("courses:followup_xlsx") + f"?period={period}"
    yield "/reports/"
    yield "/reports/export.csv"
    yield "/certificates/staff/"


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content))
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode("utf-8-sig")


def test_the_scope_rule_reads_coordinator_scopes(city):
    assert scope_roots(user=city["district"]) == [city["ours"].pk]
    assert scope_roots(user=city["central"]) is None
    assert not user_sees_whole_organisation(user=city["district"])
    assert user_sees_whole_organisation(user=city["central"])


def test_a_district_coordinator_sees_nothing_of_another_administration(client, city):
    client.force_login(city["district"])
    for url in pages(city):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        assert "Söder" not in text, url
        assert "X000" not in text, url
    # Their own part is there (in the pages that list units or people).
    assert "Norrförvaltningen" in _text(
        client.get(f"{reverse('courses:coverage')}?course=grundkurs")
    )
    assert "Norrström0" in _text(
        client.get(f"{reverse('courses:coverage_people')}?course=grundkurs")
    )


def test_a_district_coordinator_cannot_ask_for_the_other_administration(client, city):
    client.force_login(city["district"])
    coverage = reverse("courses:coverage")
    for url in (
        f"{coverage}?course=grundkurs&unit=SODER",
        f"{coverage}?course=grundkurs&unit=STAD",
        f"{reverse('courses:coverage_people')}?course=grundkurs&unit=SODER-1",
        reverse("courses:coverage_export", args=["csv"]) + "?unit=SODER",
        f"/reports/?unit={city['theirs'].pk}",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Söderström" not in _text(response)


def test_the_district_figures_count_their_people_only(client, city):
    client.force_login(city["district"])
    csv = _text(client.get(reverse("courses:coverage_export", args=["csv"]) + "?course=grundkurs"))
    assert "Norrförvaltningen" in csv


def test_the_central_coordinator_sees_both_administrations(client, city):
    client.force_login(city["central"])
    text = _text(client.get(f"{reverse('courses:coverage')}?course=grundkurs&unit=STAD"))
    assert "Norrförvaltningen" in text and "Söderförvaltningen" in text
    people = _text(client.get(f"{reverse('courses:coverage_people')}?course=grundkurs"))
    assert "Söderström0" in people and "Norrström0" in people


def test_only_the_central_coordinator_adopts_the_city_follow_up(client, city):
    period = f"{TODAY.year - 1}-T3"
    client.force_login(city["district"])
    response = client.post(reverse("courses:followup_adopt"), {"period": period})
    assert response.status_code == 404
    client.force_login(city["central"])
    response = client.post(reverse("courses:followup_adopt"), {"period": period})
    assert response.status_code == 302


def test_a_person_who_moves_to_the_other_administration_leaves_the_district_scope(client, city):
    person = city["people"]["N0000"]
    staff_placement_set(
        staff=person,
        unit=city["theirs_leaf"],
        title=person.title,
        start=person.employment_start,
        end=None,
        effective=TODAY,
    )
    client.force_login(city["district"])
    url = reverse("courses:coverage_people")
    assert "Norrström0" not in _text(client.get(f"{url}?course=grundkurs"))
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert "Norrström0" in _text(client.get(f"{url}?course=grundkurs&as_of={yesterday}"))


def test_the_admin_lists_and_opens_only_the_district_for_its_coordinator(client, city):
    client.force_login(city["district"])
    theirs = city["people"]["X0000"]
    ours = city["people"]["N0000"]
    listing = client.get("/admin/snippets/courses/staffmember/").content.decode()
    assert "Norrström0" in listing and "Söderström" not in listing
    response = client.get("/admin/snippets/courses/staffmember/?export=csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "N0000" in export and "X0000" not in export
    assert client.get(f"/admin/snippets/courses/staffmember/edit/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/snippets/courses/staffmember/edit/{ours.pk}/").status_code == 200
    completions = client.get("/admin/snippets/courses/completion/").content.decode()
    assert "Norrström0" in completions and "Söderström" not in completions
    units = client.get("/admin/snippets/courses/unit/").content.decode()
    assert "Norrenheten" in units and "Söderenheten" not in units
    certificate = certificate_issue(completion=Completion.objects.get(staff=theirs), render=False)
    revoke = f"/admin/snippets/certificates/certificate/revoke/{certificate.pk}/"
    assert client.get(revoke).status_code == 404
    assert client.get("/admin/hr-import/").status_code in (302, 403)


def test_the_central_coordinator_opens_both_districts_in_the_admin(client, city):
    client.force_login(city["central"])
    listing = client.get("/admin/snippets/courses/staffmember/").content.decode()
    assert "Norrström0" in listing and "Söderström0" in listing
    theirs = city["people"]["X0000"]
    assert client.get(f"/admin/snippets/courses/staffmember/edit/{theirs.pk}/").status_code == 200
    assert client.get("/admin/hr-import/").status_code == 200
