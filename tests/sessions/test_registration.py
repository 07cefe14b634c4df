import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import Registration
from courses.services.sessions import (
    RegistrationRefused,
    registration_cancel,
    registration_create,
)
from tests.factories import TargetGroupFactory, learner
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db
REGISTERED = Registration.Status.REGISTERED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def test_seats_fill_up_then_the_waiting_list_takes_over_in_order():
    session = SessionFactory(capacity=2)
    people = [learner() for _ in range(4)]
    statuses = [registration_create(session=session, staff=p).status for p in people]
    assert statuses == [REGISTERED, REGISTERED, WAITING, WAITING]
    assert session.registrations.filter(status=REGISTERED).count() == 2


def test_registering_twice_changes_nothing():
    session = SessionFactory(capacity=1)
    person = learner()
    first = registration_create(session=session, staff=person)
    again = registration_create(session=session, staff=person)
    assert first.pk == again.pk
    assert again.status == REGISTERED
    assert session.registrations.count() == 1


def test_audience_limits_who_may_register():
    falt = TargetGroupFactory(code="falt")
    session = SessionFactory(target_groups=[falt])
    outsider = learner()
    with pytest.raises(RegistrationRefused, match="målgrupper"):
        registration_create(session=session, staff=outsider)
    assert not session.registrations.exists()
    insider = learner(target_groups=[falt])
    assert registration_create(session=session, staff=insider).status == REGISTERED


def test_registration_window_is_enforced():
    now = timezone.now()
    session = SessionFactory(
        registration_opens_at=now + datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    person = learner()
    with pytest.raises(RegistrationRefused, match="öppnar"):
        registration_create(session=session, staff=person)
    with pytest.raises(RegistrationRefused, match="stängt"):
        registration_create(session=session, staff=person, now=now + datetime.timedelta(days=6))
    later = now + datetime.timedelta(days=2)
    assert registration_create(session=session, staff=person, now=later).status == REGISTERED


def test_former_staff_cannot_register():
    session = SessionFactory()
    gone = learner(employment_end=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(RegistrationRefused):
        registration_create(session=session, staff=gone)


def test_cancel_moves_the_first_waiting_up_and_mails_them(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1, title="Grundutbildning; dag 2")
    holder, first_waiting, second_waiting = learner(), learner(), learner()
    for person in (holder, first_waiting, second_waiting):
        registration_create(session=session, staff=person)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(session=session, staff=holder)

    assert promoted.staff == first_waiting
    statuses = dict(session.registrations.values_list("staff_id", "status"))
    assert statuses == {
        holder.pk: CANCELLED,
        first_waiting.pk: REGISTERED,
        second_waiting.pk: WAITING,
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [first_waiting.email]
    assert "Grundutbildning; dag 2" in message.subject
    assert reverse("courses:session_detail", args=[session.pk]) in message.body


def test_leaving_the_waiting_list_promotes_no_one(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    holder, waiting = learner(), learner()
    registration_create(session=session, staff=holder)
    registration_create(session=session, staff=waiting)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_cancel(session=session, staff=waiting) is None
    assert mail.outbox == []
    assert session.registrations.get(staff=holder).status == REGISTERED


def test_registering_again_after_cancelling_queues_at_the_end():
    session = SessionFactory(capacity=1)
    a, b = learner(), learner()
    registration_create(session=session, staff=a)
    registration_create(session=session, staff=b)  # waiting
    registration_cancel(session=session, staff=a)  # b moves up
    again = registration_create(session=session, staff=a)
    assert again.status == WAITING


def test_cannot_cancel_after_start_or_without_registration():
    session = SessionFactory()
    person = learner()
    with pytest.raises(RegistrationRefused):
        registration_cancel(session=session, staff=person)
    registration_create(session=session, staff=person)
    with pytest.raises(RegistrationRefused, match="börjat"):
        registration_cancel(
            session=session, staff=person, now=session.starts_at + datetime.timedelta(minutes=1)
        )


# ---------------------------------------------------------------------------- views


def test_register_and_cancel_through_form_posts(client):
    session = SessionFactory(capacity=1)
    person = learner()
    client.force_login(person.user)
    response = client.post(reverse("courses:session_register", args=[session.pk]))
    assert response.status_code == 302
    assert session.registrations.get(staff=person).status == REGISTERED
    page = client.get(reverse("courses:session_detail", args=[session.pk]))
    assert "Avboka min anmälan" in page.content.decode() or "Cancel my registration" in (
        page.content.decode()
    )
    response = client.post(reverse("courses:session_cancel", args=[session.pk]))
    assert response.status_code == 302
    assert session.registrations.get(staff=person).status == CANCELLED


def test_full_session_offers_the_waiting_list(client):
    session = SessionFactory(capacity=1)
    registration_create(session=session, staff=learner())
    person = learner()
    client.force_login(person.user)
    page = client.get(reverse("courses:session_detail", args=[session.pk])).content.decode()
    assert reverse("courses:session_register", args=[session.pk]) in page
    client.post(reverse("courses:session_register", args=[session.pk]))
    assert session.registrations.get(staff=person).status == WAITING


def test_outside_the_audience_gets_a_clear_refusal_and_nothing_changes(client):
    session = SessionFactory(target_groups=[TargetGroupFactory(code="rektorer")])
    person = learner()
    client.force_login(person.user)
    response = client.post(reverse("courses:session_register", args=[session.pk]))
    assert response.status_code == 403
    assert "målgrupper" in response.content.decode()
    assert not session.registrations.exists()


def test_register_requires_login_and_post(client):
    session = SessionFactory()
    url = reverse("courses:session_register", args=[session.pk])
    assert client.post(url).status_code == 302  # to the login page
    assert not session.registrations.exists()
    client.force_login(learner().user)
    assert client.get(url).status_code == 405


def test_unknown_session_is_404(client):
    client.force_login(learner().user)
    assert client.get(reverse("courses:session_detail", args=[999999])).status_code == 404


def test_session_list_shows_my_and_open_sessions(client):
    mine = SessionFactory(title="Mitt tillfälle")
    other = SessionFactory(title="Annat tillfälle")
    person = learner()
    registration_create(session=mine, staff=person)
    client.force_login(person.user)
    page = client.get(reverse("courses:session_list")).content.decode()
    assert "Mitt tillfälle" in page and other.title in page


def test_more_seats_move_the_waiting_list_up(client, django_capture_on_commit_callbacks):
    from courses.services.sessions import session_fill_seats

    session = SessionFactory(capacity=1)
    people = [learner() for _ in range(3)]
    for person in people:
        registration_create(session=session, staff=person)
    session.capacity = 2
    session.save(update_fields=["capacity"])
    with django_capture_on_commit_callbacks(execute=True):
        assert session_fill_seats(session=session) == 1
    statuses = [session.registrations.get(staff=p).status for p in people]
    assert statuses == [REGISTERED, REGISTERED, WAITING]
    assert [m.to for m in mail.outbox] == [[people[1].email]]
