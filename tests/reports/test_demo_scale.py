"""seed_scale: about twenty courses and a year of varied records, idempotent."""

import datetime

import pytest
from django.utils import timezone

from courses.models import Completion, CoursePage, Enrolment
from demo.organisation import seed_organisation, seed_synthetic_staff
from demo.scale import SCALE_COURSES, seed_scale

pytestmark = pytest.mark.django_db


def test_seed_scale_makes_varied_records_once(home):
    seed_organisation()
    seed_synthetic_staff(count=600)
    made = seed_scale(staff_count=600)
    courses = CoursePage.objects.filter(slug__startswith="skala-")
    assert courses.count() == len(SCALE_COURSES) == 20
    assert all(c.required_for.exists() for c in courses)
    assert {c.validity_months for c in courses} >= {None, 12, 24, 36}
    records = Completion.objects.filter(course__in=courses)
    assert records.count() == made > 1000
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
    assert seed_scale(staff_count=600) == 0
    assert Completion.objects.count() == made
    assert Enrolment.objects.count() == enrolments
    assert CoursePage.objects.filter(slug__startswith="skala-").count() == 20
