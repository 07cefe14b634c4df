import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import Attendance, Completion
from courses.services.session_attendance import (
    MARKED,
    UNDONE,
    AttendanceRefused,
    attendance_check_in,
    attendance_mark,
    attendance_mark_many,
)
from courses.services.sessions import registration_create
from tests.factories import UserFactory, learner, manager_of
from tests.sessions.factories import SessionFactory, running_session

pytestmark = pytest.mark.django_db
PRESENT = Attendance.Status.PRESENT
ABSENT = Attendance.Status.ABSENT
EXCUSED = Attendance.Status.EXCUSED


@pytest.fixture
def coordinator():
    return UserFactory(roles=["Samordnare"])


def _registered(session, person):
    registration_create(
        session=session, staff=person, now=session.starts_at - datetime.timedelta(days=1)
    )


# ---------------------------------------------------------------------------- completion


def test_present_records_the_completion_once(coordinator):
    session = running_session()
    person = learner()
    _registered(session, person)
    attendance_mark(session=session, staff=person, status=PRESENT, by=coordinator)
    attendance_mark(session=session, staff=person, status=PRESENT, by=coordinator)
    attendance_mark_many(session=session, marks={person.pk: PRESENT}, by=coordinator)
    attendance_check_in(session=session, staff=person, code=session.checkin_code)

    completions = Completion.objects.filter(staff=person, course=session.course)
    assert completions.count() == 1
    completion = completions.get()
    assert completion.method == Completion.Method.ATTENDANCE
    assert completion.recorded_by == coordinator
    assert completion.completed_on == timezone.localdate(session.starts_at)
    attendance = Attendance.objects.get(session=session, staff=person)
    assert attendance.completion == completion
    entries = ModelLogEntry.objects.filter(action=MARKED, object_id=str(attendance.pk))
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user_id == coordinator.pk
    assert entry.data["status"] == PRESENT
    assert entry.data["completion"] == completion.pk


def test_undoing_present_withdraws_the_completion_and_logs_it(coordinator):
    session = running_session()
    person = learner()
    attendance = attendance_mark(session=session, staff=person, status=PRESENT, by=coordinator)
    completion = attendance.completion

    attendance_mark(session=session, staff=person, status=ABSENT, by=coordinator)

    completion.refresh_from_db()
    assert completion.withdrawn_at is not None
    assert completion.withdrawn_by == coordinator
    assert Completion.objects.filter(pk=completion.pk).exists()  # never deleted
    undone = ModelLogEntry.objects.get(action=UNDONE, object_id=str(attendance.pk))
    assert undone.user_id == coordinator.pk
    assert undone.data["completion"] == completion.pk
    assert ModelLogEntry.objects.filter(action=MARKED, object_id=str(attendance.pk)).count() == 2

    # Marking present again records a fresh completion; the withdrawn one stays as history.
    attendance = attendance_mark(session=session, staff=person, status=PRESENT, by=coordinator)
    assert attendance.completion != completion
    assert Completion.objects.filter(staff=person, withdrawn_at__isnull=True).count() == 1
    assert Completion.objects.filter(staff=person).count() == 2


def test_absent_or_excused_records_nothing_and_lecture_sessions_never_complete(coordinator):
    session = running_session()
    a, b = learner(), learner()
    attendance_mark_many(session=session, marks={a.pk: ABSENT, b.pk: EXCUSED}, by=coordinator)
    assert not Completion.objects.exists()
    no_completion = running_session(completes_course=False)
    attendance_mark(session=no_completion, staff=a, status=PRESENT, by=coordinator)
    assert not Completion.objects.exists()


def test_marking_before_the_session_is_refused(coordinator):
    session = SessionFactory()  # in two weeks
    with pytest.raises(AttendanceRefused):
        attendance_mark(session=session, staff=learner(), status=PRESENT, by=coordinator)
    assert not Attendance.objects.exists()


def test_mark_many_is_all_or_nothing(coordinator):
    session = running_session()
    a = learner()
    with pytest.raises(AttendanceRefused):
        attendance_mark_many(
            session=session, marks={a.pk: PRESENT, 987654: PRESENT}, by=coordinator
        )
    with pytest.raises(AttendanceRefused):
        attendance_mark_many(session=session, marks={a.pk: "maybe"}, by=coordinator)
    assert not Attendance.objects.exists()


# ---------------------------------------------------------------------------- check-in


def test_check_in_window_wrong_code_and_replay():
    session = running_session()
    person = learner()
    _registered(session, person)
    code = session.checkin_code

    with pytest.raises(AttendanceRefused, match="koden"):
        attendance_check_in(session=session, staff=person, code="WRONG1")
    early = session.starts_at - datetime.timedelta(minutes=16)
    with pytest.raises(AttendanceRefused, match="öppnar"):
        attendance_check_in(session=session, staff=person, code=code, now=early)
    late = session.ends_at + datetime.timedelta(seconds=1)
    with pytest.raises(AttendanceRefused, match="slut"):
        attendance_check_in(session=session, staff=person, code=code, now=late)
    assert not Attendance.objects.exists()

    just_in_time = session.starts_at - datetime.timedelta(minutes=15)
    first = attendance_check_in(
        session=session, staff=person, code=f" {code.lower()} ", now=just_in_time
    )
    again = attendance_check_in(session=session, staff=person, code=code)
    assert first.pk == again.pk
    assert again.status == PRESENT and not again.walk_in
    assert again.checked_in_at == just_in_time
    assert Completion.objects.filter(staff=person).count() == 1
    assert ModelLogEntry.objects.filter(action=MARKED).count() == 1


def test_a_renewed_code_and_another_sessions_code_are_refused():
    """A code shared outside the room is renewed; the old one, or one from the session
    next door, checks no one in."""
    from courses.services.session_attendance import checkin_code_renew

    session, next_door = running_session(), running_session()
    person = learner()
    _registered(session, person)
    old = session.checkin_code
    checkin_code_renew(session=session)
    assert session.checkin_code != old
    for code in (old, next_door.checkin_code):
        with pytest.raises(AttendanceRefused, match="koden"):
            attendance_check_in(session=session, staff=person, code=code)
    assert not Attendance.objects.exists()
    attendance_check_in(session=session, staff=person, code=session.checkin_code)
    assert Attendance.objects.get().session_id == session.pk


def test_only_those_registered_check_in_by_code_until_the_coordinator_opens_it(client, coordinator):
    session = running_session()
    walk_in = learner()
    with pytest.raises(AttendanceRefused, match="anmälda"):
        attendance_check_in(session=session, staff=walk_in, code=session.checkin_code)
    assert not Attendance.objects.exists() and not Completion.objects.exists()

    client.force_login(coordinator)
    response = client.post(
        reverse("courses:session_walk_ins", args=[session.pk]), {"allowed": "yes"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.walk_ins_by_code
    attendance = attendance_check_in(session=session, staff=walk_in, code=session.checkin_code)
    assert attendance.walk_in and attendance.status == PRESENT

    client.post(reverse("courses:session_walk_ins", args=[session.pk]), {"allowed": "no"})
    session.refresh_from_db()
    with pytest.raises(AttendanceRefused, match="anmälda"):
        attendance_check_in(session=session, staff=learner(), code=session.checkin_code)


def test_only_coordinators_open_check_in_to_walk_ins(client):
    session = running_session()
    person = learner()
    client.force_login(person.user)
    response = client.post(
        reverse("courses:session_walk_ins", args=[session.pk]), {"allowed": "yes"}
    )
    assert response.status_code in (403, 404)
    session.refresh_from_db()
    assert not session.walk_ins_by_code


def test_a_future_session_cannot_be_checked_into():
    session = SessionFactory()
    with pytest.raises(AttendanceRefused, match="öppnar"):
        attendance_check_in(session=session, staff=learner(), code=session.checkin_code)


def test_check_in_view_only_checks_in_the_logged_in_person(client):
    session = running_session()
    me, other = learner(), learner()
    _registered(session, me)
    _registered(session, other)
    client.force_login(me.user)
    url = reverse("courses:session_checkin", args=[session.pk])
    page = client.get(url + f"?code={session.checkin_code}")
    assert session.checkin_code in page.content.decode()
    assert not Attendance.objects.exists()  # a GET changes nothing

    # A smuggled staff id is ignored: only the logged-in person is checked in.
    response = client.post(url, {"code": session.checkin_code, "staff": other.pk})
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("staff_id", flat=True)) == [me.pk]


def test_check_in_view_wrong_code_is_400_with_the_message_on_the_field(client):
    session = running_session()
    client.force_login(learner().user)
    response = client.post(
        reverse("courses:session_checkin", args=[session.pk]), {"code": "XXXXXX"}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_view_refuses_guessing_with_429_and_checks_no_one_in(
    client, one_rate_limit_window
):
    from courses.views.sessions import CHECKIN_TRIES

    session = running_session()
    me = learner()
    _registered(session, me)
    client.force_login(me.user)
    url = reverse("courses:session_checkin", args=[session.pk])
    for _ in range(CHECKIN_TRIES):
        assert client.post(url, {"code": "XXXXXX"}).status_code == 400
    response = client.post(url, {"code": session.checkin_code})  # even the right one, now
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Vänta" in response.content.decode()
    assert not Attendance.objects.exists()
    assert client.get(url).status_code == 200  # the page itself still opens

    # Another person in the same room (same address) is not held up by it.
    neighbour = learner()
    _registered(session, neighbour)
    client.force_login(neighbour.user)
    assert client.post(url, {"code": session.checkin_code}).status_code == 302


# ---------------------------------------------------------------------------- permissions


def _roster_urls(session):
    return [
        reverse("courses:session_roster", args=[session.pk]),
        reverse("courses:session_checkin_code", args=[session.pk]),
        reverse("courses:session_roster_export", args=[session.pk]) + "?export=csv",
    ]


def test_managers_and_staff_get_404_for_rosters_and_cannot_mark(client):
    session = running_session()
    person = learner()
    _registered(session, person)
    for user in (manager_of(person.unit), person.user):
        client.force_login(user)
        for url in _roster_urls(session):
            assert client.get(url).status_code == 404, url
        response = client.post(
            reverse("courses:session_roster", args=[session.pk]),
            {"save": "all", f"status-{person.pk}": PRESENT},
        )
        assert response.status_code == 404
        response = client.post(
            reverse("courses:session_walk_in", args=[session.pk]), {"staff": person.pk}
        )
        assert response.status_code == 404
    assert not Attendance.objects.exists()
    assert not manager_of(person.unit).has_perm("courses.mark_attendance")


def test_coordinator_marks_one_row_all_rows_and_walk_ins(client, coordinator):
    session = running_session()
    a, b, c = learner(), learner(), learner()
    for person in (a, b):
        _registered(session, person)
    client.force_login(coordinator)
    url = reverse("courses:session_roster", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert a.full_name in page.content.decode()

    # Only row a is saved although b's radio is sent too.
    client.post(url, {"save": str(a.pk), f"status-{a.pk}": PRESENT, f"status-{b.pk}": ABSENT})
    assert dict(Attendance.objects.values_list("staff_id", "status")) == {a.pk: PRESENT}

    client.post(url, {"save": "all", f"status-{a.pk}": PRESENT, f"status-{b.pk}": EXCUSED})
    assert dict(Attendance.objects.values_list("staff_id", "status")) == {
        a.pk: PRESENT,
        b.pk: EXCUSED,
    }

    found = client.get(url, {"q": c.employee_number}).content.decode()
    assert c.full_name in found
    response = client.post(reverse("courses:session_walk_in", args=[session.pk]), {"staff": c.pk})
    assert response.status_code == 302
    walk_in = Attendance.objects.get(staff=c)
    assert walk_in.walk_in and walk_in.status == PRESENT


def test_mark_all_present_fills_only_the_unmarked(client, coordinator):
    session = running_session()
    a, b = learner(), learner()
    for person in (a, b):
        _registered(session, person)
    attendance_mark(session=session, staff=a, status=EXCUSED, by=coordinator)
    client.force_login(coordinator)
    client.post(reverse("courses:session_roster", args=[session.pk]), {"save": "all-present"})
    assert dict(Attendance.objects.values_list("staff_id", "status")) == {
        a.pk: EXCUSED,
        b.pk: PRESENT,
    }


def test_roster_rejects_people_not_on_it_and_bad_statuses(client, coordinator):
    session = running_session()
    a, stranger = learner(), learner()
    _registered(session, a)
    client.force_login(coordinator)
    url = reverse("courses:session_roster", args=[session.pk])
    assert (
        client.post(url, {"save": str(stranger.pk), f"status-{stranger.pk}": PRESENT}).status_code
        == 400
    )
    assert client.post(url, {"save": "all", f"status-{a.pk}": "maybe"}).status_code == 400
    assert not Attendance.objects.exists()


def test_checkin_code_page_shows_code_and_an_inline_qr_with_a_text_alternative(client, coordinator):
    session = running_session()
    client.force_login(coordinator)
    page = client.get(reverse("courses:session_checkin_code", args=[session.pk])).content.decode()
    assert session.checkin_code in page
    assert '<svg role="img" aria-label="' in page
    assert f"checkin/?code={session.checkin_code}" in page
    old = session.checkin_code
    client.post(reverse("courses:session_checkin_code", args=[session.pk]))
    session.refresh_from_db()
    assert session.checkin_code != old
