"""A course page's coming sessions and the target groups the course is required for: what
every learner sees alike comes from the cache, what is the person's own is read per request.

The shared part (the sessions with their seat counts, each session's target groups and the
course's required groups) is kept per course page revision and sessions generation: the
generation changes with every write of a session, a registration (a booking or a
cancellation changes the seats), a target group or a session's target groups
(`courses.services.sessions.sessions_changed`, called from signals in `courses.apps`)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from cms.generations import generation
from courses.models import CoursePage, Session, StaffMember, TargetGroup
from courses.selectors.history import staff_groups_on
from courses.selectors.sessions import (
    SessionRow,
    session_rows_built,
    sessions_read,
    sessions_upcoming,
    target_groups_read,
)

SESSIONS_GENERATION_KEY = "courses:sessions:generation"
# A backstop only: every write the cached reading depends on changes its key.
COURSE_SESSIONS_CACHE_SECONDS = 600


@dataclass(frozen=True)
class CourseSessions:
    """What a course page shows of its sessions to everyone alike."""

    sessions: list[Session]
    groups_by_session: dict[int, list[TargetGroup]]
    required: list[TargetGroup]


def course_sessions_key(*, course: CoursePage) -> str:
    return (
        f"courses:sessions:course:{generation(key=SESSIONS_GENERATION_KEY)}:{course.pk}"
        f":{course.latest_revision_id}:{course.live_revision_id}"
    )


def course_sessions_shared(*, course: CoursePage) -> CourseSessions:
    """The course's sessions not ended yet, with their seat counts and target groups, and
    the groups the course is required for: two queries, none while the cache holds them."""
    key = course_sessions_key(course=course)
    shared = cache.get(key)
    if shared is None:
        # The page shows neither the course (it is the page) nor a lecture: neither is joined.
        sessions = list(
            sessions_upcoming()
            .filter(course_id=course.pk)
            .select_related(None)
            .prefetch_related(None)
        )
        groups = target_groups_read(
            staff=None, session_ids=[s.pk for s in sessions], required_for=course
        )
        shared = CourseSessions(
            sessions=sessions, groups_by_session=groups.by_session, required=groups.required
        )
        cache.set(key, shared, COURSE_SESSIONS_CACHE_SECONDS)
    return shared


def course_sessions_and_required_groups(
    *, course: CoursePage, staff: StaffMember | None
) -> tuple[list[SessionRow], list[TargetGroup]]:
    """The course's coming sessions as the person sees them and the target groups the
    course is required for, each with `mine` (the person is in it): the shared part from
    the cache, the person's registrations in one query (none without sessions)."""
    now = timezone.now()
    shared = course_sessions_shared(course=course)
    sessions = [s for s in shared.sessions if s.ends_at > now]
    mine = staff_groups_on(staff=staff, day=timezone.localdate()) if staff is not None else set()
    for groups in [shared.required, *shared.groups_by_session.values()]:
        for group in groups:
            group.mine = group.pk in mine
    sessions, registrations = sessions_read(sessions, staff)
    rows = session_rows_built(
        sessions=sessions,
        registrations=registrations,
        groups_by_session=shared.groups_by_session,
        staff=staff,
        now=now,
    )
    for row in rows:
        row.session.course = course
    return rows, shared.required
