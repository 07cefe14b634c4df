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
