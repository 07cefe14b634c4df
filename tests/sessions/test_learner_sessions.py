"""/my/'s sessions (`sessions_for_learner`): the coming sessions come from the cache shared
by every learner, the person's registrations and target groups are their own, and every
write that changes what the page shows is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.selectors.course_sessions import sessions_for_learner
from courses.services.sessions import registration_cancel, registration_create
from tests.factories import TargetGroupFactory, learner
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _titles(rows) -> list[str]:
    return [row.session.title for row in rows]


def test_my_sessions_and_those_open_to_me_follow_every_write_at_once():
    group = TargetGroupFactory()
    person, other = learner(target_groups=[group]), learner(target_groups=[group])
    open_one = SessionFactory(title="Öppet")
    course = open_one.course
    for_my_group = SessionFactory(title="För min grupp", course=course, target_groups=[group])
    SessionFactory(title="För en annan grupp", course=course, target_groups=[TargetGroupFactory()])
    SessionFactory(title="Annan kurs")

    mine, open_to_me = sessions_for_learner(staff=person, course_ids={course.pk})
    assert mine == []
    assert _titles(open_to_me) == ["Öppet", "För min grupp"]

    registration_create(session=open_one, staff=person)
    mine, open_to_me = sessions_for_learner(staff=person, course_ids={course.pk})
    assert _titles(mine) == ["Öppet"]
    assert _titles(open_to_me) == ["För min grupp"]
    # Someone else's registration is not mine, but its seat is counted for everyone.
    registration_create(session=for_my_group, staff=other)
    mine, open_to_me = sessions_for_learner(staff=person, course_ids={course.pk})
    assert _titles(mine) == ["Öppet"]
    assert open_to_me[0].session.seats_taken == 1

    registration_cancel(session=open_one, staff=person)
    mine, open_to_me = sessions_for_learner(staff=person, course_ids={course.pk})
    assert mine == []
    assert _titles(open_to_me) == ["Öppet", "För min grupp"]

    # A session added later is listed at once; a course done no longer offers its sessions.
    SessionFactory(title="Nytt", course=course)
    _, open_to_me = sessions_for_learner(staff=person, course_ids={course.pk})
    assert "Nytt" in _titles(open_to_me)
    assert sessions_for_learner(staff=person, course_ids=set()) == ([], [])


def test_the_shared_sessions_cost_no_query_once_read():
    group = TargetGroupFactory()
    person = learner(target_groups=[group])
    session = SessionFactory(target_groups=[group])
    registration_create(session=session, staff=person)
    sessions_for_learner(staff=person, course_ids={session.course_id})
    with CaptureQueriesContext(connection) as queries:
        mine, _ = sessions_for_learner(staff=person, course_ids={session.course_id})
    assert _titles(mine) == [session.title]
    assert mine[0].open_to_me
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]  # the registrations
