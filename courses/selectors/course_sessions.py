"""Sessions as learners see them: what every learner sees alike comes from the cache, what
is the person's own (their registrations, their target groups) is read per request.

Two shared readings are kept:
- a course page's coming sessions, their target groups and the course's required groups,
  per course page revision (`course_sessions_shared`);
- every coming session with its target groups, for /my/ (`sessions_upcoming_shared`).

Both are keyed by the sessions generation, which changes with every write of a session, a
registration (a booking or a cancellation changes the seats), a target group or a session's
target groups (`courses.services.sessions.sessions_changed`, called from signals in
`courses.apps`); the second also by the pages generation, since it shows courses' titles
and addresses."""

from dataclasses import dataclass

from django.utils import timezone

from cms.generations import PAGES_GENERATION_KEY, generation, reading_cached
from courses.models import CoursePage, Registration, Session, StaffMember, TargetGroup
from courses.selectors.history import staff_groups_on
from courses.selectors.sessions import (
    SessionRow,
    open_rows,
    registrations_with_waiting_position,
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

    def build() -> CourseSessions:
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
        return CourseSessions(
            sessions=sessions, groups_by_session=groups.by_session, required=groups.required
        )

    return reading_cached(
        key=course_sessions_key(course=course), build=build, timeout=COURSE_SESSIONS_CACHE_SECONDS
    )


def _groups_mark_mine(group_lists, *, staff: StaffMember | None) -> None:
    """Set `mine` on each shared target group read from the cache (a copy of this request's):
    whether the person is in it today."""
    mine = staff_groups_on(staff=staff, day=timezone.localdate()) if staff is not None else set()
    for groups in group_lists:
        for group in groups:
            group.mine = group.pk in mine


def course_sessions_and_required_groups(
    *, course: CoursePage, staff: StaffMember | None
) -> tuple[list[SessionRow], list[TargetGroup]]:
    """The course's coming sessions as the person sees them and the target groups the
    course is required for, each with `mine` (the person is in it): the shared part from
    the cache, the person's registrations in one query (none without sessions)."""
    now = timezone.now()
    shared = course_sessions_shared(course=course)
    sessions = [s for s in shared.sessions if s.ends_at > now]
    _groups_mark_mine([shared.required, *shared.groups_by_session.values()], staff=staff)
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


@dataclass(frozen=True)
class UpcomingSessions:
    """Every session not ended yet (soonest first, with seat counts, course and lecture) and
    each one's target groups, as everyone sees them."""

    sessions: list[Session]
    groups_by_session: dict[int, list[TargetGroup]]


# More coming sessions than this are not listed on /my/ (a city plans far fewer at once).
LEARNER_SESSIONS_LIMIT = 200


def sessions_upcoming_shared() -> UpcomingSessions:
    """The coming sessions and their target groups: two queries, none while the cache holds
    them."""
    key = (
        f"courses:sessions:upcoming:{generation(key=SESSIONS_GENERATION_KEY)}"
        f":{generation(key=PAGES_GENERATION_KEY)}"
    )

    def build() -> UpcomingSessions:
        sessions = list(sessions_upcoming().prefetch_related(None))
        groups = target_groups_read(staff=None, session_ids=[s.pk for s in sessions])
        return UpcomingSessions(sessions=sessions, groups_by_session=groups.by_session)

    return reading_cached(key=key, build=build, timeout=COURSE_SESSIONS_CACHE_SECONDS)


def sessions_for_learner(
    *, staff: StaffMember, course_ids: set[int], limit: int = 5
) -> tuple[list[SessionRow], list[SessionRow]]:
    """For /my/: the person's coming sessions (registered or waiting), and sessions of
    `course_ids` (their required courses still to do) they may register for. The sessions
    come from the cache; the person's registrations are one query."""
    now = timezone.now()
    shared = sessions_upcoming_shared()
    registrations = {
        r.session_id: r
        for r in registrations_with_waiting_position(
            Registration.objects.filter(staff=staff, session__ends_at__gt=now)
        )
    }
    booked = {
        session_id
        for session_id, registration in registrations.items()
        if registration.status in (Registration.Status.REGISTERED, Registration.Status.WAITING)
    }
    sessions = [
        s
        for s in shared.sessions
        if s.ends_at > now and (s.pk in booked or s.course_id in course_ids)
    ][:LEARNER_SESSIONS_LIMIT]
    _groups_mark_mine(shared.groups_by_session.values(), staff=staff)
    rows = session_rows_built(
        sessions=sessions,
        registrations=registrations,
        groups_by_session=shared.groups_by_session,
        staff=staff,
        now=now,
    )
    return (
        [row for row in rows if row.my_status is not None],
        open_rows([row for row in rows if row.session.course_id in course_ids], limit),
    )
