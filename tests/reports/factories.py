"""Builders for coverage tests: a small organisation with courses and completions."""

import datetime

from courses.models import Completion
from tests.factories import StaffMemberFactory, TargetGroupFactory, UnitFactory, make_course

AS_OF = datetime.date(2025, 6, 30)


def completion(staff, course, *, on, valid_until=None, withdrawn=False, method="online"):
    from django.utils import timezone

    return Completion.objects.create(
        staff=staff,
        course=course,
        completed_on=on,
        valid_until=valid_until,
        method=method,
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def small_organisation():
    """ROOT > (DEPT > A, B), OTHER; one course required for group "alla"."""
    alla = TargetGroupFactory(code="alla", name="Alla")
    larare = TargetGroupFactory(code="larare", name="Lärare")
    root = UnitFactory(code="ROOT", name="Förvaltning")
    dept = UnitFactory(code="DEPT", name="Avdelning", parent=root)
    unit_a = UnitFactory(code="A", name="Enhet A", parent=dept)
    unit_b = UnitFactory(code="B", name="Enhet B", parent=dept)
    other = UnitFactory(code="OTHER", name="Övrigt", parent=root)
    course = make_course(required_for=[alla], title="Grundutbildning", slug="grund")
    return {
        "alla": alla,
        "larare": larare,
        "root": root,
        "dept": dept,
        "a": unit_a,
        "b": unit_b,
        "other": other,
        "course": course,
    }


def staff(unit, *groups, start=datetime.date(2020, 1, 1), end=None, **fields):
    return StaffMemberFactory(
        unit=unit,
        target_groups=list(groups),
        employment_start=start,
        employment_end=end,
        **fields,
    )
