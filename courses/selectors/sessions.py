"""Read queries about sessions: what a person can register for, a session's roster, and the
counts the follow-up report needs."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cms.page_cache import page_cache_expires_by
from courses.models import (
    Attendance,
    CoursePage,
    Placement,
    Registration,
    Session,
    StaffMember,
    TargetGroup,
    Unit,
)
from courses.models.history import holds_q
from courses.selectors.history import placed_in_q, staff_groups_on, unit_tree_on

RStatus = Registration.Status
AStatus = Attendance.Status


def sessions_upcoming(*, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """Sessions that have not ended yet, soonest first, with their seat counts."""
    now = now or timezone.now()
    return (
        _with_seat_counts(Session.objects.filter(ends_at__gt=now))
        .select_related("course", "lecture")
        .prefetch_related("target_groups")
        .order_by("starts_at", "pk")
    )


def _registrations_counted(status: str) -> Coalesce:
    """How many of the session's registrations have `status` (a subquery of the session)."""
    counted = (
        Registration.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_seat_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with `seats_taken` and `waiting_count`. Subqueries rather than COUNT over a
    join: no GROUP BY over every selected column (with the course and lecture pages, a few
    hundred), which cost more CPU to build than the rest of a course page's queries."""
    return sessions.annotate(
        seats_taken=_registrations_counted(RStatus.REGISTERED),
        waiting_count=_registrations_counted(RStatus.WAITING),
    )


def session_with_counts(*, pk: int) -> Session:
    return (
        _with_seat_counts(Session.objects.all())
        .select_related("course", "lecture")
        .prefetch_related("target_groups")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class SessionRow:
    """A session as a particular person sees it."""

    session: Session
    registration: Registration | None
    open_to_me: bool
    registration_open: bool
    waiting_position: int | None = None
    target_groups: tuple[TargetGroup, ...] = ()

    @property
    def seats_left(self) -> int:
        return max(self.session.capacity - self.session.seats_taken, 0)

    @property
    def my_status(self) -> str | None:
        if self.registration and self.registration.status != RStatus.CANCELLED:
            return self.registration.status
        return None


@dataclass(frozen=True)
class TargetGroupsRead:
    """Target groups as one query reads them for a person, each with `mine` (the person is
    in it): those of some sessions, by session id, and those a course is required for."""

    by_session: dict[int, list[TargetGroup]]
    required: list[TargetGroup]


def target_groups_read(
    *, staff: StaffMember | None, session_ids: Iterable[int] = (), required_for=None
) -> TargetGroupsRead:
    """The target groups of the sessions `session_ids` and of the course `required_for` (when
    given) in one query, each annotated `mine` and, for a session's, `session_id`."""
    session_ids = sorted(set(session_ids))
    if not session_ids and required_for is None:
        return TargetGroupsRead(by_session={}, required=[])
    mine = (
        ExpressionWrapper(
            Q(pk__in=staff_groups_on(staff=staff, day=timezone.localdate())),
            output_field=BooleanField(),
        )
        if staff is not None
        else Value(False)
    )
    required_here = (
        Exists(
            CoursePage.required_for.through.objects.filter(
                coursepage_id=required_for.pk, targetgroup_id=OuterRef("pk")
            )
        )
        if required_for is not None
        else Value(False)
    )
    groups = (
        TargetGroup.objects.annotate(
            linked=FilteredRelation("sessions", condition=Q(sessions__pk__in=session_ids)),
            session_id=F("linked__pk"),
            mine=mine,
            required_here=required_here,
        )
        .filter(Q(session_id__isnull=False) | Q(required_here=True))
        .order_by("name", "pk", "session_id")
    )
    by_session: dict[int, list[TargetGroup]] = defaultdict(list)
    required: dict[int, TargetGroup] = {}
    for group in groups:
        if group.session_id is not None:
            by_session[group.session_id].append(group)
        if group.required_here:
            required.setdefault(group.pk, group)
    return TargetGroupsRead(by_session=dict(by_session), required=list(required.values()))


def _waiting_position(*, at: str = "") -> Case:
    """A registration's place on its session's waiting list (1 is next; None when it does
    not wait), as an expression of the query that reads the registration at the path `at`
    ("" for a query of registrations). The list's order is the model's: when the person
    joined it, then the id."""

    def mine(field: str) -> OuterRef:
        return OuterRef(f"{at}{field}")

    ahead = Registration.objects.filter(session=mine("session"), status=RStatus.WAITING).filter(
        Q(queued_at__lt=mine("queued_at")) | Q(queued_at=mine("queued_at"), pk__lt=mine("pk"))
    )
    # COUNT as a plain function: one row, without grouping, however many wait.
    count = ahead.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Case(
        When(**{f"{at}status": RStatus.WAITING}, then=Subquery(count) + 1),
        default=None,
        output_field=IntegerField(),
    )


def registrations_with_waiting_position(registrations: QuerySet) -> QuerySet:
    """The registrations, each with its `waiting_position` (None when it does not wait)."""
    return registrations.annotate(waiting_position=_waiting_position())


def sessions_read(
    sessions: Iterable[Session], staff: StaffMember | None
) -> tuple[list[Session], dict[int, Registration]]:
    """The sessions and the person's registration for each, by session id, with its
    `waiting_position`: read with the sessions when they are a queryset, in one more query
    when they are a list."""
    if not isinstance(sessions, QuerySet):
        sessions = list(sessions)
        if staff is None or not sessions:
            return sessions, {}
        return sessions, {
            r.session_id: r
            for r in registrations_with_waiting_position(
                Registration.objects.filter(staff=staff, session__in=[s.pk for s in sessions])
            )
        }
    sessions = sessions.prefetch_related(None)  # their target groups: see target_groups_read
    if staff is None:
        return list(sessions), {}
    sessions = list(
        sessions.annotate(
            my_registration=FilteredRelation(
                "registrations", condition=Q(registrations__staff=staff)
            ),
            my_waiting_position=_waiting_position(at="my_registration__"),
        ).select_related("my_registration")
    )
    registrations = {}
    for session in sessions:
        # No registration of the person's: the attribute is not set at all.
        registration = getattr(session, "my_registration", None)
        if registration is not None:
            registration.waiting_position = session.my_waiting_position
            registrations[session.pk] = registration
    return sessions, registrations


def session_rows_built(
    *,
    sessions: list[Session],
    registrations: dict[int, Registration],
    groups_by_session: dict[int, list[TargetGroup]],
    staff: StaffMember | None,
    now=None,
) -> list[SessionRow]:
    """The rows of sessions already read, with the person's registrations (by session id)
    and each session's target groups (annotated `mine`): whether the person may register."""
    now = now or timezone.now()
    rows = []
    for session in sessions:
        session_groups = tuple(groups_by_session.get(session.pk, ()))
        open_to_me = staff is not None and (
            session.open_to_everyone or any(group.mine for group in session_groups)
        )
        window_open = (
            not session.is_cancelled
            and (session.registration_opens_at is None or session.registration_opens_at <= now)
            and now < session.registration_closes
        )
        # The row changes by itself when registration opens or closes, and when the
        # session starts and ends: a kept page (cms.page_cache) does not outlive that.
        for moment in (
            session.registration_opens_at,
            session.registration_closes,
            session.starts_at,
            session.ends_at,
        ):
            if moment is not None and moment > now:
                page_cache_expires_by(at=moment)
        registration = registrations.get(session.pk)
        rows.append(
            SessionRow(
                session=session,
                registration=registration,
                open_to_me=open_to_me,
                registration_open=window_open,
                waiting_position=registration.waiting_position if registration else None,
                target_groups=session_groups,
            )
        )
    return rows


def session_rows_for(
    *, sessions: Iterable[Session], staff: StaffMember | None, now=None
) -> list[SessionRow]:
    """Each session with the person's registration, its target groups and whether the
    person may register, with the person's place on a waiting list: two queries for a
    queryset of sessions, three for a list."""
    sessions, registrations = sessions_read(sessions, staff)
    groups = target_groups_read(staff=staff, session_ids=[s.pk for s in sessions])
    return session_rows_built(
        sessions=sessions,
        registrations=registrations,
        groups_by_session=groups.by_session,
        staff=staff,
        now=now,
    )


def sessions_for_course(*, course, staff: StaffMember | None) -> list[SessionRow]:
    return session_rows_for(sessions=sessions_upcoming().filter(course_id=course.pk), staff=staff)


def _my_session_ids(staff: StaffMember) -> QuerySet:
    """The sessions the person is registered for or waiting for (a subquery)."""
    return Registration.objects.filter(
        staff=staff, status__in=[RStatus.REGISTERED, RStatus.WAITING]
    ).values("session_id")


def sessions_of_person(*, staff: StaffMember) -> list[SessionRow]:
    """The person's coming sessions: registered or on the waiting list."""
    sessions = sessions_upcoming().filter(pk__in=_my_session_ids(staff))
    return session_rows_for(sessions=sessions, staff=staff)


def sessions_open_to(
    *, staff: StaffMember | None, limit: int = 20, course_ids: set[int] | None = None
) -> list[SessionRow]:
    """Upcoming sessions the person may register for and has not registered for yet
    (only those of `course_ids`, when given)."""
    sessions = sessions_upcoming()
    if course_ids is not None:
        sessions = sessions.filter(course_id__in=sorted(course_ids))
    rows = session_rows_for(sessions=sessions[:200], staff=staff)
    return open_rows(rows, limit)


def open_rows(rows: list[SessionRow], limit: int) -> list[SessionRow]:
    """The rows a person could register for: none of a cancelled session."""
    return [
        row
        for row in rows
        if row.open_to_me and row.my_status is None and not row.session.is_cancelled
    ][:limit]


# ---------------------------------------------------------------------------- roster


@dataclass
class RosterRow:
    staff: StaffMember
    registration_status: str | None  # registered / waiting / None for walk-ins
    attendance: Attendance | None
    waiting_position: int | None = None

    @property
    def attendance_status(self) -> str:
        return self.attendance.status if self.attendance else AStatus.UNMARKED

    @property
    def registration_label(self) -> str:
        if self.registration_status:
            return RStatus(self.registration_status).label
        return Attendance._meta.get_field("walk_in").verbose_name

    @property
    def attendance_label(self) -> str:
        return AStatus(self.attendance_status).label

    # For the spreadsheet export.
    @property
    def employee_number(self) -> str:
        return self.staff.employee_number

    @property
    def name(self) -> str:
        return self.staff.full_name

    @property
    def unit(self) -> str:
        return self.staff.unit.name

    @property
    def checked_in_at(self):
        return self.attendance.checked_in_at if self.attendance else None


def session_roster(*, session: Session) -> list[RosterRow]:
    """Registered (in order), then the waiting list (in order), then walk-ins."""
    registrations = (
        Registration.objects.filter(session=session)
        .exclude(status=RStatus.CANCELLED)
        .select_related("staff", "staff__unit")
        .order_by("queued_at", "pk")
    )
    attendances = {
        a.staff_id: a
        for a in Attendance.objects.filter(session=session).select_related(
            "staff", "staff__unit", "completion"
        )
    }
    registered, waiting = [], []
    for reg in registrations:
        row = RosterRow(
            staff=reg.staff,
            registration_status=reg.status,
            attendance=attendances.pop(reg.staff_id, None),
        )
        if reg.status == RStatus.REGISTERED:
            registered.append(row)
        else:
            row.waiting_position = len(waiting) + 1
            waiting.append(row)
    registered.sort(key=lambda r: (r.staff.last_name, r.staff.first_name))
    walk_ins = sorted(
        (
            RosterRow(staff=a.staff, registration_status=None, attendance=a)
            for a in attendances.values()
        ),
        key=lambda r: (r.staff.last_name, r.staff.first_name),
    )
    return registered + waiting + walk_ins


def staff_search(
    *, query: str, within: QuerySet[StaffMember] | None = None, limit: int = 20
) -> QuerySet[StaffMember]:
    """Staff by employee number (exact) or by name (every word matches), for walk-ins,
    among `within` (the searcher's scope, see staff_visible_to)."""
    words = query.split()
    if not words:
        return StaffMember.objects.none()
    condition = Q(employee_number__iexact=query.strip())
    by_name = Q()
    for word in words[:4]:
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    people = within if within is not None else StaffMember.objects.all()
    return (
        people.filter(condition | by_name)
        .select_related("unit")
        .order_by("last_name", "first_name")[:limit]
    )


# ---------------------------------------------------------------------------- follow-up


def _unit_id_set(unit_ids) -> set[int] | None:
    if unit_ids is None:
        return None
    return {u.pk if isinstance(u, Unit) else int(u) for u in unit_ids}


def sessions_followup(
    *, start: datetime.date, end: datetime.date, unit_ids: Iterable | None = None
) -> dict:
    """Counts for the follow-up: sessions held in [start, end], people registered, attended.

    `held` counts every session that started within the period and was not cancelled
    (sessions are organised for the whole administration). `registered` and `attended`
    count people, limited to staff of `unit_ids` when given (pass a subtree's ids), and
    `by_unit` splits them per unit.
    """
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    until = min(until, timezone.now())
    held = Session.objects.not_cancelled().filter(starts_at__gte=since, starts_at__lt=until)
    units = _unit_id_set(unit_ids)
    # People are counted in their unit as it was on the period's last day (or today).
    day = min(end, timezone.localdate())
    unit_then = Subquery(
        Placement.objects.filter(holds_q(day), staff_id=OuterRef("staff_id")).values("unit_id")[:1]
    )

    registrations = Registration.objects.filter(session__in=held, status=RStatus.REGISTERED)
    attended = Attendance.objects.filter(session__in=held, status=AStatus.PRESENT)
    if units is not None:
        registrations = registrations.filter(placed_in_q(unit_ids=units, on=day))
        attended = attended.filter(placed_in_q(unit_ids=units, on=day))

    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: {"registered": 0, "attended": 0})
    for unit_id, count in (
        registrations.annotate(unit_then=unit_then)
        .order_by()
        .values_list("unit_then")
        .annotate(n=Count("pk"))
    ):
        per_unit[unit_id]["registered"] = count
    for unit_id, count in (
        attended.annotate(unit_then=unit_then)
        .order_by()
        .values_list("unit_then")
        .annotate(n=Count("pk"))
    ):
        per_unit[unit_id]["attended"] = count
    names = unit_tree_on(day=day).names
    by_unit = sorted(
        ({"unit_id": pk, "unit": names.get(pk, ""), **counts} for pk, counts in per_unit.items()),
        key=lambda row: row["unit"],
    )
    return {
        "sessions_held": held.count(),
        "registered": registrations.count(),
        "attended": attended.count(),
        "attended_people": attended.values("staff_id").distinct().count(),
        "by_unit": by_unit,
    }
