"""Bulk builders for load data at a city's scale: tens of thousands of staff over several
hundred units, and a year of varied records for them, for benchmarks and load tests.

Rows go in with bulk inserts, so no signals run: the completions get no certificates (as
for completions imported from another system). Both builders are idempotent. Synthetic
staff are keyed on employee numbers S000001.. and their units on codes SYN-..; whoever
already has a completion or an enrolment for a course gets no new record for it, and each
person's lots for a course come from a generator of their own, so a second run draws the
same lots and adds nothing. The demo's `seed_demo --staff N` is built on them too.
"""

import datetime
import random
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from courses.dates import add_months
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    Placement,
    StaffMember,
    TargetGroup,
    TargetGroupMember,
    Unit,
    UnitVersion,
)
from courses.services.organisation import SINCE, organisation_changed
from tests.factories import TargetGroupFactory, UnitFactory, make_course

SYNTHETIC = "S"  # prefix of the synthetic staff's employee numbers
UNIT_PREFIX = "SYN-"
STAFF_PER_UNIT = 120
UNITS_PER_DEPARTMENT = 12
FIRST_NAMES = ("Alex", "Kim", "Robin", "Sam", "Charlie", "Noa")
LAST_NAMES = ("Berg", "Lund", "Holm", "Ek", "Strand", "Dahl")
RECORD_BATCH = 10000

# Target groups of the load data: everyone is in the first, a quarter also in one other.
LOAD_GROUPS = ("alla", "mottagning", "falt", "rektorer", "larare", "fritid", "chefer")
# slug, required for (target group codes), validity in months, share who completed
LOAD_COURSES = [
    ("last-01", ["alla"], 36, 0.72),
    ("last-02", ["alla"], 12, 0.55),
    ("last-03", ["alla"], 24, 0.61),
    ("last-04", ["alla"], None, 0.66),
    ("last-05", ["mottagning"], 24, 0.74),
    ("last-06", ["larare", "rektorer"], 36, 0.47),
    ("last-07", ["falt", "fritid"], None, 0.58),
]


def synthetic_staff(
    *,
    count: int,
    parent: Unit,
    everyone: TargetGroup,
    optional: Sequence[TargetGroup] = (),
    first_names: Sequence[str] = FIRST_NAMES,
    last_names: Sequence[str] = LAST_NAMES,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Staff S000001..S<count> over a tree below `parent`: departments of about twelve units,
    about one unit per 120 staff. All are in `everyone`, a quarter also in one of `optional`;
    about 8 % have left. Only what is missing is added; returns the number of staff created.

    `progress(created, missing)` is called after each batch.
    """
    rng = random.Random(45000)
    today = datetime.date.today()
    unit_count = max(1, count // STAFF_PER_UNIT)
    departments = max(1, unit_count // UNITS_PER_DEPARTMENT)

    existing_units = set(
        Unit.objects.filter(code__startswith=UNIT_PREFIX).values_list("code", flat=True)
    )
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"{UNIT_PREFIX}{d:03d}",
                name=f"Verksamhetsområde {d + 1}",
                kind=Unit.Kind.DEPARTMENT,
                parent=parent,
            )
            for d in range(departments)
            if f"{UNIT_PREFIX}{d:03d}" not in existing_units
        ],
        batch_size=1000,
    )
    dept_ids = dict(
        Unit.objects.filter(code__startswith=UNIT_PREFIX, kind=Unit.Kind.DEPARTMENT).values_list(
            "code", "pk"
        )
    )
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"{UNIT_PREFIX}{u % departments:03d}-{u:04d}",
                name=f"Enhet {u + 1}",
                kind=Unit.Kind.UNIT,
                parent_id=dept_ids[f"{UNIT_PREFIX}{u % departments:03d}"],
            )
            for u in range(unit_count)
            if f"{UNIT_PREFIX}{u % departments:03d}-{u:04d}" not in existing_units
        ],
        batch_size=1000,
    )
    _first_versions(UNIT_PREFIX)
    leaf_ids = list(
        Unit.objects.filter(code__startswith=UNIT_PREFIX, kind=Unit.Kind.UNIT)
        .order_by("code")
        .values_list("pk", flat=True)
    )

    have = set(
        StaffMember.objects.filter(employee_number__startswith=SYNTHETIC).values_list(
            "employee_number", flat=True
        )
    )
    wanted = [f"{SYNTHETIC}{n:06d}" for n in range(1, count + 1)]
    missing = [number for number in wanted if number not in have]
    optional_ids = [group.pk for group in optional]
    created = 0
    for offset in range(0, len(missing), batch_size):
        chunk = missing[offset : offset + batch_size]
        rows = []
        for number in chunk:
            n = int(number[len(SYNTHETIC) :])
            start = today - datetime.timedelta(days=rng.randint(0, 365 * 15))
            end = None
            if rng.random() < 0.08:
                end = start + datetime.timedelta(days=rng.randint(30, 3000))
            rows.append(
                StaffMember(
                    employee_number=number,
                    first_name=rng.choice(first_names),
                    last_name=rng.choice(last_names),
                    unit_id=leaf_ids[n % len(leaf_ids)],
                    title="Medarbetare",
                    employment_start=start,
                    employment_end=end,
                )
            )
        with transaction.atomic():
            StaffMember.objects.bulk_create(rows, batch_size=1000)
            ids = dict(
                StaffMember.objects.filter(employee_number__in=chunk).values_list(
                    "employee_number", "pk"
                )
            )
            Placement.objects.bulk_create(
                [
                    Placement(
                        staff_id=ids[row.employee_number],
                        unit_id=row.unit_id,
                        title=row.title,
                        title_key=row.title.casefold(),
                        valid_from=row.employment_start,
                        valid_to=row.employment_end,
                    )
                    for row in rows
                ],
                batch_size=2000,
            )
            links = []
            for number in chunk:
                pk = ids[number]
                links.append(_named(pk, everyone.pk))
                if rng.random() < 0.25 and optional_ids:
                    links.append(_named(pk, rng.choice(optional_ids)))
            TargetGroupMember.objects.bulk_create(links, batch_size=2000)
        created += len(chunk)
        if progress is not None:
            progress(created, len(missing))
    return created


def _named(staff_id: int, group_id: int) -> TargetGroupMember:
    return TargetGroupMember(staff_id=staff_id, group_id=group_id, valid_from=SINCE)


def _first_versions(prefix: str) -> None:
    """A first version (name and parent, from SINCE) for each unit under `prefix` that has
    none: what the bulk-created units lack."""
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(unit_id=pk, name=name, parent_id=parent_id, valid_from=SINCE)
            for pk, name, parent_id in Unit.objects.filter(
                code__startswith=prefix, versions__isnull=True
            ).values_list("pk", "name", "parent_id")
        ],
        batch_size=1000,
    )
    organisation_changed()


def scale_records(
    *,
    courses: Sequence[tuple[CoursePage, float]],
    note: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """A year of records for the synthetic staff: for each (course, share) pair, about that
    share of the staff it is required for have completed it (online, attendance or import;
    some expired, about 1 % withdrawn) and some 12 % more are enrolled. Returns the number
    of completions made; `progress(made)` is called after each batch.
    """
    today = timezone.localdate()
    plan = [
        (course, {group.pk for group in course.required_for.all()}, course.validity_months, share)
        for course, share in courses
    ]
    course_ids = [course.pk for course, *_rest in plan]
    done = set(
        Completion.objects.filter(course_id__in=course_ids).values_list("staff_id", "course_id")
    ) | set(Enrolment.objects.filter(course_id__in=course_ids).values_list("staff_id", "course_id"))
    people = list(
        StaffMember.objects.filter(employee_number__startswith=SYNTHETIC)
        .order_by("pk")
        .values_list("pk", "employment_start", "employment_end")
    )
    memberships: dict[int, set[int]] = {}
    for staff_id, group_id in TargetGroupMember.objects.filter(
        staff__employee_number__startswith=SYNTHETIC
    ).values_list("staff_id", "group_id"):
        memberships.setdefault(staff_id, set()).add(group_id)

    completions: list[Completion] = []
    enrolments: list[Enrolment] = []
    now = timezone.now()
    made = 0

    def flush():
        nonlocal completions, enrolments, made
        Completion.objects.bulk_create(completions, batch_size=RECORD_BATCH)
        Enrolment.objects.bulk_create(enrolments, batch_size=RECORD_BATCH)
        made += len(completions)
        completions, enrolments = [], []
        if progress is not None:
            progress(made)

    for staff_id, start, end in people:
        mine = memberships.get(staff_id, set())
        last_day = min(today, end) if end else today
        for course, required, validity, share in plan:
            if not mine & required or (staff_id, course.pk) in done or start > last_day:
                continue
            rng = random.Random(f"{staff_id}:{course.slug}")
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
                        note=note,
                        withdrawn_at=now if withdrawn else None,
                    )
                )
            elif roll < share + 0.12:
                enrolments.append(Enrolment(staff_id=staff_id, course_id=course.pk))
        if len(completions) >= RECORD_BATCH:
            flush()
    flush()
    return made


def load_data(*, staff: int) -> list[CoursePage]:
    """A city at scale: `staff` synthetic staff below one administration, the courses of
    LOAD_COURSES (the first required for everyone) and a year of records. Idempotent."""
    groups = {code: TargetGroupFactory(code=code, name=code.title()) for code in LOAD_GROUPS}
    city = Unit.objects.filter(code="STAD").first() or UnitFactory(
        code="STAD", name="Staden", kind=Unit.Kind.ADMINISTRATION
    )
    synthetic_staff(
        count=staff,
        parent=city,
        everyone=groups[LOAD_GROUPS[0]],
        optional=[groups[code] for code in LOAD_GROUPS[1:]],
    )
    plan = []
    for n, (slug, required, validity, share) in enumerate(LOAD_COURSES, start=1):
        course = CoursePage.objects.filter(slug=slug).first() or make_course(
            title=f"Kurs {n}",
            slug=slug,
            required_for=[groups[code] for code in required],
            validity_months=validity,
        )
        plan.append((course, share))
    scale_records(courses=plan)
    return [course for course, _share in plan]


def history_year(*, share: int = 10, today: datetime.date | None = None) -> int:
    """A year of changes over the synthetic organisation, through the dated-change rule in
    bulk: every `share`-th person employed half a year ago moved to another unit then, and
    every twentieth unit renamed a quarter ago. Returns how many people moved."""
    from courses.services.organisation import (
        dated_plan,
        placement_facts,
        placements_apply,
        staff_present_refresh,
        unit_facts,
        unit_versions_apply,
    )

    today = today or datetime.date.today()
    moved_on, renamed_on = today - datetime.timedelta(days=182), today - datetime.timedelta(days=91)
    leaves = list(
        Unit.objects.filter(code__startswith=UNIT_PREFIX, kind=Unit.Kind.UNIT)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    ids = list(
        StaffMember.objects.filter(employee_number__startswith=SYNTHETIC)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[::share]
    facts = placement_facts(staff_ids=ids)
    plans = {}
    for n, staff_id in enumerate(ids):
        rows = facts.get(staff_id, [])
        now = [f for f in rows if f.valid_from <= moved_on and (f.valid_to or today) >= today]
        if not now:
            continue
        unit_id, title = now[0].value
        target = leaves[(leaves.index(unit_id) + 1 + n) % len(leaves)]
        plan = dated_plan(
            facts=rows, value=(target, title), start=now[0].valid_from, end=None, effective=moved_on
        )
        plans[staff_id] = plan
    placements_apply(plans=plans)
    staff_present_refresh(staff_ids=list(plans))
    units = unit_facts(unit_ids=leaves[::20])
    renames = {}
    for unit_id, rows in units.items():
        parent_id, name = rows[-1].value
        renames[unit_id] = dated_plan(
            facts=rows,
            value=(parent_id, f"{name} (ny)"),
            start=SINCE,
            end=None,
            effective=renamed_on,
        )
    unit_versions_apply(plans=renames)
    return len(plans)
