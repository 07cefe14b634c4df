"""The course page's sessions come from the cache (courses.selectors.course_sessions): each
write that changes what the page shows is seen on the next read, and what is the person's
own (their registration, the groups they are in) is never shared with someone else."""

import pytest

from courses.models import CoursePage
from courses.selectors.course_sessions import (
    course_sessions_and_required_groups,
    course_sessions_shared,
)
from courses.services.session_attendance import checkin_code_renew, session_walk_ins_set
from courses.services.sessions import registration_cancel, registration_create
from tests.factories import TargetGroupFactory, learner
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _rows(course, staff):
    return course_sessions_and_required_groups(
        course=CoursePage.objects.get(pk=course.pk), staff=staff
    )


def _row(session, staff):
    [row] = [r for r in _rows(session.course, staff)[0] if r.session.pk == session.pk]
    return row


def test_the_shared_part_is_read_once_then_from_the_cache(django_assert_num_queries):
    session = SessionFactory()
    course = CoursePage.objects.get(pk=session.course.pk)
    course_sessions_shared(course=course)
    with django_assert_num_queries(0):
        assert [s.pk for s in course_sessions_shared(course=course).sessions] == [session.pk]


def test_a_booking_and_a_cancellation_change_the_seats_shown():
    session = SessionFactory(capacity=2)
    person, other = learner(), learner()
    assert _row(session, person).seats_left == 2
    registration_create(session=session, staff=other)
    row = _row(session, person)
    assert row.seats_left == 1 and row.my_status is None
    registration_create(session=session, staff=person)
    assert _row(session, person).seats_left == 0
    assert _row(session, person).my_status == "registered"
    registration_cancel(session=session, staff=other)
    assert _row(session, person).seats_left == 1


def test_a_place_on_the_waiting_list_is_counted_at_once():
    session = SessionFactory(capacity=1)
    first, second, someone = learner(), learner(), learner()
    registration_create(session=session, staff=first)
    assert _row(session, someone).session.waiting_count == 0
    registration_create(session=session, staff=second)
    assert _row(session, someone).session.waiting_count == 1
    assert _row(session, second).waiting_position == 1


def test_an_edited_session_is_shown_as_edited():
    session = SessionFactory(title="Före")
    person = learner()
    assert _row(session, person).session.title == "Före"
    session.title = "Efter"
    session.save()
    assert _row(session, person).session.title == "Efter"


def test_a_new_session_and_a_deleted_one_are_seen():
    session = SessionFactory()
    person = learner()
    assert len(_rows(session.course, person)[0]) == 1
    added = SessionFactory(course=session.course)
    assert [r.session.pk for r in _rows(session.course, person)[0]] == [session.pk, added.pk]
    added.delete()
    assert [r.session.pk for r in _rows(session.course, person)[0]] == [session.pk]


def test_a_sessions_target_groups_decide_who_may_register_at_once():
    group = TargetGroupFactory()
    session = SessionFactory(target_groups=[TargetGroupFactory()])
    member, outsider = learner(target_groups=[group]), learner()
    assert not _row(session, member).open_to_me
    session.target_groups.add(group)
    assert _row(session, member).open_to_me
    assert not _row(session, outsider).open_to_me  # `mine` is the person's own
    assert _row(session, member).open_to_me


def test_a_renamed_target_group_is_shown_renamed():
    group = TargetGroupFactory(name="Före")
    session = SessionFactory(target_groups=[group])
    person = learner()
    assert [g.name for g in _row(session, person).target_groups] == ["Före"]
    group.name = "Efter"
    group.save()
    assert [g.name for g in _row(session, person).target_groups] == ["Efter"]


def test_the_required_groups_follow_the_published_course():
    group = TargetGroupFactory()
    session = SessionFactory()
    member = learner(target_groups=[group])
    assert _rows(session.course, member)[1] == []
    course = CoursePage.objects.get(pk=session.course.pk)
    course.required_for.set([group])
    course.save_revision().publish()
    [required] = _rows(session.course, member)[1]
    assert required.pk == group.pk and required.mine
    [required] = _rows(session.course, learner())[1]
    assert not required.mine


def test_changes_written_without_signals_are_seen():
    """Session fields written with QuerySet.update (no model signal) still reach the
    cached sessions."""
    session = SessionFactory()
    course = CoursePage.objects.get(pk=session.course.pk)

    def cached():
        [cached] = course_sessions_shared(course=course).sessions
        return cached

    assert not cached().walk_ins_by_code
    session_walk_ins_set(session=session, allowed=True, by=None)
    assert cached().walk_ins_by_code
    code = checkin_code_renew(session=session)
    assert cached().checkin_code == code
