"""Demo sessions: the basic training held in person in the autumn, the two lectures, and
coming sessions - one nearly full, one full with a waiting list - with `medarbetare`
registered for one of them.

Idempotent: sessions are keyed on their subject and title, registrations and attendance
are one per person and session, and completions come from attendance exactly once.
"""

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.models import Attendance, CoursePage, Registration, Session, StaffMember
from courses.services.session_attendance import attendance_mark_many
from courses.services.sessions import RegistrationRefused, registration_create

BASIC_COURSE_SLUG = "grundutbildning"
PRESENT = Attendance.Status.PRESENT


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _staff_employed_on(day: datetime.date, count: int, *, skip: int = 0) -> list[StaffMember]:
    people = (
        StaffMember.objects.filter(employee_number__startswith="E", employment_start__lte=day)
        .exclude(employment_end__lt=max(day, timezone.localdate()))
        .order_by("employee_number")
    )
    return list(people[skip : skip + count])


def _session(*, key: dict, defaults: dict) -> Session:
    session = Session.objects.filter(**key).first()
    if session is None:
        session = Session(**key, **defaults)
        session.full_clean()
        session.save()
    return session


def _held(session: Session, people: list[StaffMember], *, absent: int, excused: int, by) -> None:
    """Registrations as they stood, then attendance as the coordinator marked it."""
    for person in people:
        Registration.objects.get_or_create(
            session=session,
            staff=person,
            defaults={
                "status": Registration.Status.REGISTERED,
                "queued_at": session.starts_at - datetime.timedelta(days=20),
            },
        )
    marks = {person.pk: PRESENT for person in people}
    for person in people[:absent]:
        marks[person.pk] = Attendance.Status.ABSENT
    for person in people[absent : absent + excused]:
        marks[person.pk] = Attendance.Status.EXCUSED
    attendance_mark_many(session=session, marks=marks, by=by)


def _register(session: Session, people) -> None:
    # A refusal means e.g. that the session has begun since the demo was first loaded.
    for person in people:
        with contextlib.suppress(RegistrationRefused):
            registration_create(session=session, staff=person)


@transaction.atomic
def seed_sessions(*, stdout=None) -> None:
    coordinator = get_user_model().objects.filter(username="samordnare").first()
    course = CoursePage.objects.filter(slug=BASIC_COURSE_SLUG).first()
    if course is None:
        if stdout:
            stdout.write(
                f"Sessions: no course with slug '{BASIC_COURSE_SLUG}', so no course sessions."
            )
    else:
        _seed_course_sessions(course=course, coordinator=coordinator)
    _seed_lecture_sessions(coordinator=coordinator)
    if stdout:
        stdout.write(
            f"Sessions: {Session.objects.count()} sessions, "
            f"{Registration.objects.count()} registrations, "
            f"{Attendance.objects.filter(status=PRESENT).count()} present."
        )


def _seed_course_sessions(*, course: CoursePage, coordinator) -> None:
    autumn_day = datetime.date(2025, 10, 14)
    autumn = _session(
        key={"course": course, "title": "Grundutbildning på plats, hösten 2025"},
        defaults={
            "description": (
                "Heldag om vad våldsbejakande extremism är, de tre miljöerna, "
                "förebyggande arbete och vad du gör vid oro."
            ),
            "starts_at": _at(autumn_day, 9),
            "ends_at": _at(autumn_day, 15, 30),
            "place": "Liljeholmens medborgarhus, stora salen",
            "capacity": 60,
            "completes_course": True,
        },
    )
    elected = list(
        StaffMember.objects.filter(kind=StaffMember.Kind.ELECTED).order_by("employee_number")[:5]
    )  # members of the district committee took the same day
    _held(
        autumn,
        [*_staff_employed_on(autumn_day, 45), *elected],
        absent=3,
        excused=2,
        by=coordinator,
    )

    today = timezone.localdate()
    soon = _session(
        key={"course": course, "title": "Grundutbildning, förmiddag"},
        defaults={
            "description": "Grundutbildningen på en förmiddag, med samtal i mindre grupper.",
            "starts_at": _at(today + datetime.timedelta(days=15), 9),
            "ends_at": _at(today + datetime.timedelta(days=15), 12),
            "place": "Hägerstensåsens medborgarhus, sal 3",
            "capacity": 30,
            "completes_course": True,
        },
    )
    medarbetare = StaffMember.objects.filter(user__username="medarbetare").first()
    _register(soon, [*([medarbetare] if medarbetare else []), *_staff_employed_on(today, 26)])

    full = _session(
        key={"course": course, "title": "Grundutbildning, eftermiddag"},
        defaults={
            "description": "Samma innehåll som förmiddagen, för dem som arbetar förmiddagspass.",
            "starts_at": _at(today + datetime.timedelta(days=29), 13),
            "ends_at": _at(today + datetime.timedelta(days=29), 16),
            "place": "Fruängens bibliotek, samlingssalen",
            "online_link": "https://moten.example.se/grundutbildning-eftermiddag",
            "capacity": 16,
            "completes_course": True,
        },
    )
    _register(full, _staff_employed_on(today, 19, skip=60))


def _seed_lecture_sessions(*, coordinator) -> None:
    from cms.models import LecturePage

    lectures = (
        LecturePage.objects.live().filter(recorded_on__isnull=False).order_by("recorded_on")[:2]
    )
    for n, lecture in enumerate(lectures):
        day = lecture.recorded_on
        session = _session(
            key={"lecture": lecture, "title": lecture.title},
            defaults={
                "starts_at": _at(day, 13),
                "ends_at": _at(day, 15),
                "place": "Hägersten-Liljeholmens stadsdelsförvaltning, konferenssalen",
                "capacity": 80,
            },
        )
        if session.starts_at < timezone.now():
            _held(
                session,
                _staff_employed_on(day, 30, skip=20 + n * 40),
                absent=4,
                excused=1,
                by=coordinator,
            )
