"""Two people take the last seat at the same moment: one seat, one waiting list."""

import datetime
import functools

import pytest

from courses.models import Registration
from courses.services.sessions import registration_create
from tests.factories import learner
from tests.sessions.factories import SessionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_seat_goes_to_exactly_one_of_two_simultaneous_registrations(race):
    session = SessionFactory(capacity=2)
    registration_create(session=session, staff=learner())  # one seat left
    registrations = race(
        *(
            functools.partial(registration_create, session=session, staff=person)
            for person in (learner(), learner())
        )
    )
    assert sorted(r.status for r in registrations) == [
        Registration.Status.REGISTERED,
        Registration.Status.WAITING,
    ]
    assert session.registrations.filter(status=Registration.Status.REGISTERED).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_in_and_coordinator_mark_at_the_same_moment_record_one_completion(race):
    from courses.models import Attendance, Completion
    from courses.services.session_attendance import attendance_check_in, attendance_mark
    from tests.factories import UserFactory
    from tests.sessions.factories import running_session

    session = running_session()
    person = learner()
    registration_create(
        session=session, staff=person, now=session.starts_at - datetime.timedelta(days=1)
    )
    coordinator = UserFactory(roles=["Samordnare"])
    race(
        lambda: attendance_check_in(session=session, staff=person, code=session.checkin_code),
        lambda: attendance_mark(
            session=session, staff=person, status=Attendance.Status.PRESENT, by=coordinator
        ),
    )
    assert Completion.objects.filter(staff=person, withdrawn_at=None).count() == 1
    assert Attendance.objects.get(session=session, staff=person).completion is not None
