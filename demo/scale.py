"""Demo data at scale for the coverage reports: about twenty courses and a year of records.

`seed_scale()` runs after `seed_synthetic_staff()` when `seed_demo --staff N` is given. It
adds courses with varied target groups and validity, then completions (online, attendance,
import; over the last year, some expired, some withdrawn) and open enrolments for the
synthetic staff, in bulk. Idempotent: staff who already have records for these courses
are left alone, and the courses are keyed on their slugs.
"""

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from courses.dates import add_months
from courses.models import (
    Completion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    StaffMember,
    TargetGroup,
)

CATALOGUE_SLUG = "utbildningar"
SLUG_PREFIX = "skala-"
BATCH = 10000

# title, level, required for (target group codes), validity in months, share who completed
SCALE_COURSES = [
    ("Att känna igen våldsbejakande extremism", "basic", ["alla"], 36, 0.72),
    ("Oro för en medarbetare eller brukare – vad gör jag?", "basic", ["alla"], 12, 0.55),
    ("Demokrati och mänskliga rättigheter i arbetet", "basic", ["alla"], 24, 0.61),
    ("Hot och våld i arbetsmiljön", "basic", ["alla"], 24, 0.48),
    ("Bemötande och informationssäkerhet", "basic", ["alla"], None, 0.66),
    ("Samtal med unga om extrema budskap", "advanced", ["fritid", "falt"], 24, 0.58),
    ("Fördjupning för mottagningsgrupper", "advanced", ["mottagning"], 24, 0.74),
    ("Riskbedömning i socialtjänstens arbete", "advanced", ["mottagning"], 36, 0.52),
    ("Uppsökande arbete och fältsamtal", "advanced", ["falt"], None, 0.69),
    ("Skolans uppdrag och elevhälsans roll", "advanced", ["rektorer", "larare"], 36, 0.47),
    ("Rektorns ansvar när oro uppstår", "advanced", ["rektorer"], 24, 0.81),
    ("Kontroversiella frågor i undervisningen", "advanced", ["larare"], None, 0.43),
    ("Propaganda, symboler och nätmiljöer", "advanced", ["larare", "fritid", "falt"], 24, 0.5),
    ("Chefens ansvar för kompetens och uppföljning", "advanced", ["chefer"], None, 0.77),
    ("Samverkan med polis och civilsamhälle", "advanced", ["chefer", "falt"], 36, 0.45),
    ("Sekretess och informationsdelning", "basic", ["mottagning", "chefer"], 24, 0.63),
    ("Radikalisering och psykisk ohälsa", "advanced", ["mottagning", "falt"], None, 0.39),
    ("Trygga mötesplatser för unga", "advanced", ["fritid"], 12, 0.57),
    ("Återvändare och anhöriga", "advanced", ["mottagning"], None, 0.34),
    ("Samtalsguiden i praktiken", "advanced", ["falt", "fritid", "mottagning"], 24, 0.6),
]


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _catalogue() -> CourseIndexPage:
    index = CourseIndexPage.objects.filter(slug=CATALOGUE_SLUG).first()
    if index is not None:
        return index
    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("The demo site has no home page: run seed_site first.")
    return home.add_child(instance=CourseIndexPage(title="Utbildningar", slug=CATALOGUE_SLUG))


def _courses() -> list[tuple[CoursePage, set[int], int | None, float]]:
    index = _catalogue()
    groups = dict(TargetGroup.objects.values_list("code", "pk"))
    result = []
    for n, (title, level, required, validity, share) in enumerate(SCALE_COURSES, start=1):
        slug = f"{SLUG_PREFIX}{n:02d}"
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            course = index.add_child(
                instance=CoursePage(
                    title=title,
                    slug=slug,
                    level=level,
                    validity_months=validity,
                    estimated_minutes=30 + 15 * (n % 4),
                    completion_mode="either" if level == "basic" else "modules",
                )
            )
            course.required_for.set([groups[code] for code in required])
            course.save()
        result.append((course, {groups[code] for code in required}, validity, share))
    return result


@transaction.atomic
def seed_scale(*, staff_count: int, stdout=None) -> int:
    """Courses, completions and enrolments for the synthetic staff. Returns completions made."""
    started = time.monotonic()
    courses = _courses()
    _say(stdout, f"Scale courses: {len(courses)} ({time.monotonic() - started:.1f} s)")

    today = timezone.localdate()
    course_ids = [c.pk for c, *_rest in courses]
    done = set(
        Completion.objects.filter(course_id__in=course_ids).values_list("staff_id", "course_id")
    ) | set(Enrolment.objects.filter(course_id__in=course_ids).values_list("staff_id", "course_id"))
    people = list(
        StaffMember.objects.filter(employee_number__startswith="S")
        .order_by("pk")
        .values_list("pk", "employment_start", "employment_end")
    )
    memberships: dict[int, set[int]] = {}
    for staff_id, group_id in StaffMember.target_groups.through.objects.filter(
        staffmember__employee_number__startswith="S"
    ).values_list("staffmember_id", "targetgroup_id"):
        memberships.setdefault(staff_id, set()).add(group_id)

    completions: list[Completion] = []
    enrolments: list[Enrolment] = []
    now = timezone.now()
    made = 0

    def flush():
        nonlocal completions, enrolments, made
        Completion.objects.bulk_create(completions, batch_size=BATCH)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        made += len(completions)
        completions, enrolments = [], []
        _say(stdout, f"  scale records: {made} completions ({time.monotonic() - started:.1f} s)")

    for staff_id, start, end in people:
        mine = memberships.get(staff_id, set())
        last_day = min(today, end) if end else today
        for course, required, validity, share in courses:
            if not mine & required or (staff_id, course.pk) in done or start > last_day:
                continue
            # One generator per person and course: a second run draws the same lots, so
            # whoever got nothing the first time gets nothing again (idempotent).
            rng = random.Random(f"{staff_id}:{course.slug}")  # noqa: S311 - demo data
            roll = rng.random()
            if roll < share:
                expired = validity is not None and rng.random() < 0.1
                # An expired one has run out long enough ago: a refresher is due.
                days_ago = validity * 31 + rng.randint(1, 120) if expired else rng.randint(0, 365)
                completed = max(start, today - datetime.timedelta(days=days_ago))
                if completed > last_day:
                    continue
                method = rng.choices(["online", "attendance", "import"], [70, 25, 5])[0]
                withdrawn = rng.random() < 0.01
                completions.append(
                    Completion(
                        staff_id=staff_id,
                        course_id=course.pk,
                        completed_on=completed,
                        method=method,
                        valid_until=add_months(completed, validity) if validity else None,
                        note="demo",
                        withdrawn_at=now if withdrawn else None,
                    )
                )
            elif roll < share + 0.12:
                enrolments.append(Enrolment(staff_id=staff_id, course_id=course.pk))
        if len(completions) >= BATCH:
            flush()
    flush()
    _say(
        stdout,
        f"Scale data for {staff_count} synthetic staff: {made} new completions "
        f"in {time.monotonic() - started:.1f} s.",
    )
    return made
