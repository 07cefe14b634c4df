"""The load data: synthetic staff and a year of varied records, each added only once."""

import datetime

import pytest
from django.utils import timezone

from courses.models import Completion, CoursePage, Enrolment, StaffMember, Unit
from tests.scale_factories import LOAD_COURSES, load_data, synthetic_staff

pytestmark = pytest.mark.django_db


def test_load_data_makes_varied_records_once(home):
    courses = load_data(staff=600)
    assert len(courses) == len(LOAD_COURSES)
    assert all(c.required_for.exists() for c in courses)
    assert {c.validity_months for c in courses} >= {None, 12, 24, 36}
    synthetic = StaffMember.objects.filter(employee_number__startswith="S")
    assert synthetic.count() == 600
    assert Unit.objects.filter(code__startswith="SYN-", kind="unit").count() == 5
    assert all(s.group_memberships.exists() for s in synthetic[:50])
    records = Completion.objects.filter(course__in=courses)
    made = records.count()
    assert made > 1000
    assert set(records.values_list("method", flat=True)) == {"online", "attendance", "import"}
    today = timezone.localdate()
    assert records.filter(valid_until__lt=today).exists()  # some have expired
    assert records.filter(withdrawn_at__isnull=False).exists()
    assert not records.filter(completed_on__gt=today).exists()
    assert records.filter(completed_on__gte=today - datetime.timedelta(days=365)).count() > (
        made * 0.8
    )
    assert Enrolment.objects.filter(course__in=courses, completion=None).exists()

    enrolments = Enrolment.objects.count()
    load_data(staff=600)
    assert synthetic.count() == 600
    assert Completion.objects.count() == made
    assert Enrolment.objects.count() == enrolments
    assert CoursePage.objects.filter(slug__startswith="last-").count() == len(LOAD_COURSES)


def test_synthetic_staff_adds_only_the_missing_and_reports_progress(home):
    from tests.factories import TargetGroupFactory, UnitFactory

    everyone, parent = TargetGroupFactory(code="alla"), UnitFactory(code="STAD")
    seen = []
    made = synthetic_staff(
        count=250,
        parent=parent,
        everyone=everyone,
        batch_size=100,
        progress=lambda done, missing: seen.append((done, missing)),
    )
    assert made == 250 and seen == [(100, 250), (200, 250), (250, 250)]
    assert synthetic_staff(count=300, parent=parent, everyone=everyone) == 50
    assert StaffMember.objects.filter(group_memberships__group=everyone).count() == 300
