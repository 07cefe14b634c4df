"""Two people take the last seat at the same moment: one seat, one waiting list."""

import threading

import pytest
from django.db import connection

from courses.models import Registration
from courses.services.sessions import registration_create
from tests.factories import learner
from tests.sessions.factories import SessionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_seat_goes_to_exactly_one_of_two_simultaneous_registrations():
    session = SessionFactory(capacity=2)
    registration_create(session=session, staff=learner())  # one seat left
    racers = [learner(), learner()]
    barrier = threading.Barrier(len(racers))
    results, errors = {}, []

    def take_seat(person):
        try:
            barrier.wait(timeout=10)
            results[person.pk] = registration_create(session=session, staff=person).status
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_seat, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results.values()) == [Registration.Status.REGISTERED, Registration.Status.WAITING]
    assert session.registrations.filter(status=Registration.Status.REGISTERED).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_in_and_coordinator_mark_at_the_same_moment_record_one_completion():
    from courses.models import Attendance, Completion
    from courses.services.session_attendance import attendance_check_in, attendance_mark
    from tests.factories import UserFactory
    from tests.sessions.factories import running_session

    session = running_session()
    person = learner()
    coordinator = UserFactory(roles=["Samordnare"])
    barrier = threading.Barrier(2)
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    actions = [
        lambda: attendance_check_in(session=session, staff=person, code=session.checkin_code),
        lambda: attendance_mark(
            session=session, staff=person, status=Attendance.Status.PRESENT, by=coordinator
        ),
    ]
    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Completion.objects.filter(staff=person, withdrawn_at=None).count() == 1
    assert Attendance.objects.get(session=session, staff=person).completion is not None
