"""Read queries about learners: required courses, statuses, what a page shows a learner."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone

from cms.generations import PAGES_GENERATION_KEY, generation, reading_cached
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    StaffMember,
)
from courses.rules import Standing, Status, course_standing
from courses.selectors.history import staff_groups_on

__all__ = ["Status"]  # re-exported: views and other apps read the statuses from here

# ---------------------------------------------------------------------------- statuses


def required_courses_for(
    *, staff: StaffMember, day: datetime.date | None = None
) -> QuerySet[CoursePage]:
    """Live courses required for one of the person's target groups on `day` (today)."""
    day = day or timezone.localdate()
    return (
        CoursePage.objects.live()
        .filter(required_for__in=staff_groups_on(staff=staff, day=day))
        .distinct()
        .order_by("path")
    )


@dataclass(frozen=True)
class CourseStatus:
    """A course and one person's standing in it on a day (`courses.rules.course_standing`)."""

    course: CoursePage
    standing: Standing
    required: bool

    @property
    def status(self) -> str:
        return self.standing.status

    @property
    def label(self):
        return self.standing.label

    @property
    def due(self) -> datetime.date | None:
        return self.standing.due

    @property
    def overdue(self) -> bool:
        return self.standing.overdue

    @property
    def latest_completion(self) -> Completion | None:
        return self.standing.completion

    @property
    def renew_by(self) -> datetime.date | None:
        return self.standing.renew_by

    @property
    def refresher(self) -> CoursePage | None:
        """The other course to take to renew this one, while its renewal is due; None when
        nothing is due or the course is its own refresher. Reads `course.refresher`: the
        caller select_related()s it."""
        if self.renew_by is None:
            return None
        refresher = course_refresher(course=self.course)
        return None if refresher.pk == self.course.pk else refresher


# Someone with no records at all: what the catalogue shows a visitor.
NOT_STARTED = Standing(status=Status.NOT_STARTED, due=None, completion=None, trained=False)


def first_due(*, staff: StaffMember, course: CoursePage) -> datetime.date:
    """When someone who never completed the course must have: within its days of joining."""
    return staff.employment_start + datetime.timedelta(days=course.due_within_days)


def course_statuses(
    *,
    staff: StaffMember,
    courses: Iterable[CoursePage],
    required_ids: set[int],
    day: datetime.date | None = None,
    completions: Iterable[Completion] | None = None,
    started: set[int] | None = None,
) -> list[CourseStatus]:
    """Status per course for one person on `day`, in two queries whatever the number of
    courses; none for what the caller passes: all the person's `completions`, and the ids
    of the courses with a round open on `day` (`Enrolment.objects.open_on`)."""
    day = day or timezone.localdate()
    courses = list(courses)
    ids = [c.pk for c in courses]
    if not courses:
        return []
    if completions is None:
        completions = Completion.objects.filter(staff=staff, course_id__in=ids)
    by_course: dict[int, list[Completion]] = defaultdict(list)
    for completion in completions:
        by_course[completion.course_id].append(completion)
    if started is None:
        started = set(
            Enrolment.objects.open_on(day)
            .filter(staff=staff, course_id__in=ids)
            .values_list("course_id", flat=True)
        )
    return [
        CourseStatus(
            course=course,
            standing=course_standing(
                completions=by_course.get(course.pk, ()),
                day=day,
                started=course.pk in started,
                required=course.pk in required_ids,
                first_due=first_due(staff=staff, course=course),
                renewal_days=course.renewal_days,
            ),
            required=course.pk in required_ids,
        )
        for course in courses
    ]


# ---------------------------------------------------------------------------- refreshers


def course_refresher(*, course: CoursePage) -> CoursePage:
    """The course a person takes to renew `course`: the live course it names as its
    refresher, else the course itself (no query when `refresher` is select_related)."""
    refresher = course.refresher if course.refresher_id is not None else None
    return refresher if refresher is not None and refresher.live else course


def renewals_due(
    *, staff: StaffMember, refresher: CoursePage, day: datetime.date | None = None
) -> list[CourseStatus]:
    """The other courses the person must renew by taking `refresher`: those naming it as
    their refresher whose renewal is due for them (`Standing.renew_by`)."""
    day = day or timezone.localdate()
    courses = list(
        CoursePage.objects.filter(refresher=refresher, completions__staff=staff)
        .exclude(pk=refresher.pk)
        .select_related("refresher")
        .distinct()
    )
    required_ids = set(
        required_courses_for(staff=staff, day=day)
        .filter(pk__in=[c.pk for c in courses])
        .values_list("pk", flat=True)
    )
    statuses = course_statuses(staff=staff, courses=courses, required_ids=required_ids, day=day)
    return [s for s in statuses if s.refresher is not None and s.refresher.pk == refresher.pk]


# ---------------------------------------------------------------------------- rounds


class ModuleNotInCourse(LookupError):
    """A module page that is not (or no longer) the child of a course."""


def module_course(*, module: ModulePage) -> CoursePage:
    parent = module.get_parent()
    course = parent.specific if parent is not None else None
    if not isinstance(course, CoursePage):
        raise ModuleNotInCourse(module.pk)
    return course


def course_rounds(
    *, staff: StaffMember, course: CoursePage, module: ModulePage | None = None
) -> list[Enrolment]:
    """All the person's rounds of the course with their completions, latest first, in one
    query. With `module`, each round also carries `module_progress`: its progress in that
    module, or None."""
    rounds = Enrolment.objects.filter(staff=staff, course=course).select_related("completion")
    if module is not None:
        rounds = rounds.annotate(
            module_progress=FilteredRelation("progress", condition=Q(progress__module=module))
        ).select_related("module_progress")
    rounds = list(rounds.order_by("-completion__completed_on", "-pk"))
    if module is not None:
        for round_ in rounds:
            # No progress in the module: the attribute is not set at all.
            round_.module_progress = getattr(round_, "module_progress", None)
    return rounds


def enrolment_current(
    *, staff: StaffMember, course: CoursePage, rounds: list[Enrolment] | None = None
) -> Enrolment | None:
    """The round that counts now: the open one, else the last one whose completion is valid
    (one query, none when the caller passes `course_rounds`)."""
    today = timezone.localdate()
    rounds = course_rounds(staff=staff, course=course) if rounds is None else rounds
    for round_ in rounds:
        if round_.completion_id is None:
            return round_
    for round_ in rounds:
        if round_.completion.is_valid_on(today):
            return round_
    return None


def module_video_duration(*, module: ModulePage) -> float | None:
    """The length the server knows of the module's video or lecture recording, if any."""
    for block in module.body:
        media = None
        if block.block_type == "video":
            media = block.value.get("video")
        elif block.block_type == "lecture" and block.value is not None:
            media = getattr(block.value.specific, "recording", None)
        if media is not None and media.duration:
            return float(media.duration)
    return None


def _progress_done(*, enrolment: Enrolment) -> QuerySet[ModuleProgress]:
    """The round's progress in the modules it has done."""
    return ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False)


# A backstop only: every page saved, deleted or moved changes the key.
MODULES_CACHE_SECONDS = 600


def course_modules_live(*, course: CoursePage) -> list[ModulePage]:
    """The course's live modules in order, the same for everyone: from the cache while no
    page was saved, deleted or moved. Neither the course page nor the previous and next
    links read a module's content: its StreamField is not read (nor parsed)."""
    return reading_cached(
        key=f"courses:modules:{generation(key=PAGES_GENERATION_KEY)}:{course.pk}",
        build=lambda: list(ModulePage.objects.live().child_of(course).defer_streamfields()),
        timeout=MODULES_CACHE_SECONDS,
    )


def course_modules(*, course: CoursePage, enrolment: Enrolment | None) -> list[ModulePage]:
    """The course's live modules in order, each with `done`: done in the round `enrolment`
    (never without one), in one query (none without a round)."""
    done = (
        set(_progress_done(enrolment=enrolment).values_list("module_id", flat=True))
        if enrolment is not None
        else set()
    )
    modules = course_modules_live(course=course)
    for module in modules:
        module.done = module.pk in done
    return modules


def resume_module(
    *, modules: list[ModulePage], done: set[int], last_module_id: int | None = None
) -> ModulePage | None:
    """Where to go on: the module the learner was last in, while it is one of `modules` (the
    course's live modules) and not done; else the first module not done yet, or the last
    module when all are."""
    for module in modules:
        if module.pk == last_module_id and module.pk not in done:
            return module
    for module in modules:
        if module.pk not in done:
            return module
    return modules[-1] if modules else None
