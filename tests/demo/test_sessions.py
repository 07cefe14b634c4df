import io

import pytest

from courses.models import Attendance, Completion, CoursePage, Registration, Session, StaffMember
from demo.organisation import seed_organisation
from demo.sessions import seed_sessions
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        Session.objects.count(),
        sorted(Registration.objects.values_list("session_id", "staff_id", "status")),
        sorted(Attendance.objects.values_list("session_id", "staff_id", "status")),
        Completion.objects.count(),
    )


def test_without_the_basic_course_it_creates_no_course_sessions_and_says_so():
    seed_organisation()
    out = io.StringIO()
    seed_sessions(stdout=out)
    assert "grundutbildning" in out.getvalue()
    assert not Session.objects.filter(course__isnull=False).exists()


def test_demo_sessions_are_complete_and_idempotent():
    seed_organisation()
    course = make_course(slug="grundutbildning", completion_mode=CoursePage.CompletionMode.EITHER)
    seed_sessions()
    first = _snapshot()
    seed_sessions()
    assert _snapshot() == first

    autumn = Session.objects.get(title__contains="hösten 2025")
    # 45 staff (3 absent, 2 excused) and 5 members of the district committee.
    assert autumn.attendances.filter(status=Attendance.Status.PRESENT).count() == 45
    assert (
        Completion.objects.filter(
            course=course, method=Completion.Method.ATTENDANCE, withdrawn_at=None
        ).count()
        == 45
    )
    elected = autumn.attendances.filter(staff__kind=StaffMember.Kind.ELECTED)
    assert elected.filter(status=Attendance.Status.PRESENT).count() == 5
    assert Registration.objects.filter(
        staff__user__username="medarbetare", status=Registration.Status.REGISTERED
    ).exists()
    full = Session.objects.get(title="Grundutbildning, eftermiddag")
    assert full.registrations.filter(status=Registration.Status.REGISTERED).count() == 16
    assert full.registrations.filter(status=Registration.Status.WAITING).count() == 3
    nearly = Session.objects.get(title="Grundutbildning, förmiddag")
    taken = nearly.registrations.filter(status=Registration.Status.REGISTERED).count()
    assert nearly.capacity - 5 <= taken < nearly.capacity
