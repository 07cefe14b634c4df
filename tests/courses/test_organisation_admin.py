"""Editing the organisation in the admin writes dated facts, refuses a unit below itself and
shows what each target group rule matches today."""

import datetime

import pytest
from django.utils import timezone

from courses.models import Placement, StaffMember, TargetGroupRule, UnitVersion
from courses.roles import COORDINATOR
from courses.services.organisation import (
    OrganisationRefused,
    staff_placement_set,
    unit_version_set,
)
from tests.factories import StaffMemberFactory, TargetGroupFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def coordinator(client):
    user = UserFactory(roles=[COORDINATOR])
    client.force_login(user)
    return user


def _staff_form(person, unit, **changes) -> dict:
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "employee_number": person.employee_number,
        "email": person.email,
        "kind": person.kind,
        "organisation": person.organisation,
        "unit": unit.pk,
        "title": person.title,
        "employment_start": person.employment_start.isoformat(),
        "employment_end": "",
        "language": person.language,
        "user": "",
    }
    data.update(changes)
    return data


def test_moving_a_person_in_the_admin_takes_effect_today(client, coordinator):
    today = timezone.localdate()
    old, new = UnitFactory(name="Gamla"), UnitFactory(name="Nya")
    person = StaffMemberFactory(unit=old, employment_start=datetime.date(2020, 1, 1))
    url = f"/admin/snippets/courses/staffmember/edit/{person.pk}/"
    response = client.post(url, _staff_form(person, new, title="Kurator"))
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(
        Placement.objects.filter(staff=person)
        .order_by("valid_from")
        .values_list("unit_id", "title", "valid_from", "valid_to")
    )
    assert rows == [
        (old.pk, "Medarbetare", datetime.date(2020, 1, 1), today - DAY),
        (new.pk, "Kurator", today, None),
    ]
    person.refresh_from_db()
    assert (person.unit, person.title) == (new, "Kurator")


def test_registering_an_elected_official_in_the_admin(client, coordinator):
    committee = UnitFactory(name="Nämnden")
    data = {
        "first_name": "Rut",
        "last_name": "Ledamot",
        "employee_number": "F-1",
        "email": "",
        "kind": StaffMember.Kind.ELECTED,
        "organisation": "Stadsdelsnämnden",
        "unit": committee.pk,
        "title": "Ledamot",
        "employment_start": "2023-01-01",
        "employment_end": "",
        "language": "sv",
        "user": "",
    }
    response = client.post("/admin/snippets/courses/staffmember/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rut = StaffMember.objects.get(employee_number="F-1")
    assert rut.kind == StaffMember.Kind.ELECTED
    assert list(rut.placements.values_list("valid_from", "valid_to")) == [
        (datetime.date(2023, 1, 1), None)
    ]


def test_a_unit_cannot_be_placed_under_itself(client, coordinator):
    top = UnitFactory(name="Toppen")
    middle = UnitFactory(name="Mitten", parent=top)
    bottom = UnitFactory(name="Botten", parent=middle)
    with pytest.raises(OrganisationRefused):
        unit_version_set(unit=top, name=top.name, parent=bottom)
    with pytest.raises(OrganisationRefused):
        unit_version_set(unit=top, name=top.name, parent=top)
    data = {"name": top.name, "code": top.code, "kind": top.kind, "parent": bottom.pk}
    response = client.post(f"/admin/snippets/courses/unit/edit/{top.pk}/", data)
    assert response.status_code == 200  # the form again, with the reason
    assert "cannot be placed under itself" in response.content.decode() or (
        "kan inte placeras under sig själv" in response.content.decode()
    )
    assert UnitVersion.objects.filter(unit=top).count() == 1
    top.refresh_from_db()
    assert top.parent is None


def test_renaming_a_unit_in_the_admin_keeps_the_old_name_for_earlier_days(client, coordinator):
    today = timezone.localdate()
    unit = UnitFactory(name="Fältgruppen")
    data = {"name": "Fältassistenterna", "code": unit.code, "kind": unit.kind, "parent": ""}
    response = client.post(f"/admin/snippets/courses/unit/edit/{unit.pk}/", data)
    assert response.status_code == 302
    names = list(unit.versions.order_by("valid_from").values_list("name", "valid_to"))
    assert names == [("Fältgruppen", today - DAY), ("Fältassistenterna", None)]


def test_an_employment_cannot_end_before_it_starts():
    person = StaffMemberFactory()
    with pytest.raises(OrganisationRefused):
        staff_placement_set(
            staff=person,
            unit=person.unit,
            title="",
            start=datetime.date(2024, 5, 1),
            end=datetime.date(2024, 4, 1),
        )


def test_the_target_group_page_counts_what_each_rule_matches_today(client, coordinator):
    school = UnitFactory(name="Skolan")
    class_a = UnitFactory(name="Klass A", parent=school)
    for n in range(3):
        StaffMemberFactory(unit=class_a, title="Lärare", employee_number=f"L{n}")
    StaffMemberFactory(unit=class_a, title="Kurator", employee_number="K1")
    StaffMemberFactory(unit=UnitFactory(name="Annan"), title="lärare", employee_number="L9")
    group = TargetGroupFactory(name="Lärarna")
    TargetGroupRule.objects.create(group=group, unit=school, title="Lärare")
    TargetGroupRule.objects.create(group=group, title="LÄRARE")
    page = client.get(f"/admin/snippets/courses/targetgroup/edit/{group.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    # The school's teachers (3), teachers anywhere whatever the case (4), and the group (4).
    cells = [c.split("</td>")[0] for c in text.split("<td>")[1:] if c[:1].isdigit()]
    assert cells[-3:] == ["3", "4", "4"], cells


def test_nobody_is_placed_in_a_unit_that_is_not_open():
    today = timezone.localdate()
    closing = UnitFactory(name="Stängs")
    unit_version_set(unit=closing, name="Stängs", parent=None, closed=today - DAY)
    person = StaffMemberFactory()
    with pytest.raises(OrganisationRefused):
        staff_placement_set(
            staff=person, unit=closing, title="", start=person.employment_start, end=None
        )
    assert person.placements.count() == 1
