"""Changing the organisation: every change is a dated fact that takes effect on a day.

One rule (`dated_plan`) says how a fact stated "as of day E" (a person's unit and title, a
unit's name and parent) meets the facts already recorded: what holds before E stays as it
was; the fact holding on E is closed on E - 1, or carried on when it says the same; later
facts are replaced. An end date before E (a back-dated leaving or closure) closes the fact
on that end date. Something with no facts yet (a new person or unit) gets its statement
whole, from its own start date. So a second run of the same statement changes nothing.

The present fields (`StaffMember.unit`, `title`, `employment_*`; `Unit.name`, `parent`) are
refreshed from the facts after each change.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.generations import generation_bump
from courses.models import Placement, StaffMember, Unit, UnitVersion
from courses.models.history import title_key
from courses.selectors.history import GENERATION_KEY, unit_tree_on
from courses.services.learner_pages import learner_pages_forget

ONE_DAY = datetime.timedelta(days=1)


class OrganisationRefused(ValueError):
    """A change the organisation cannot take; str() is for the user."""


class Change:
    NEW = "new"
    CHANGED = "changed"
    MOVED = "moved"
    LEAVING = "leaving"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Fact:
    pk: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None
    value: tuple


@dataclass
class Plan:
    """What to write for one person or unit: rows to delete, rows to re-close (pk, new
    valid_to), facts to create, and what kind of change it is."""

    change: str
    delete: list[int] = field(default_factory=list)
    close: list[tuple[int, datetime.date | None]] = field(default_factory=list)
    create: list[Fact] = field(default_factory=list)


def dated_plan(
    *,
    facts: list[Fact],
    value: tuple,
    start: datetime.date,
    end: datetime.date | None,
    effective: datetime.date,
) -> Plan:
    """How "from `start` to `end`, `value` holds", stated as of `effective`, changes `facts`
    (one thing's facts, which never overlap). Pure: nothing is read or written."""
    facts = sorted(facts, key=lambda f: f.valid_from)
    cut = end + ONE_DAY if end is not None and end < effective else effective
    if not any(f.valid_from < cut for f in facts):
        # Nothing recorded before the cut (a new person or unit): the statement rewrites no
        # earlier fact, so it holds whole, from its own start.
        cut = min(cut, start)
    wanted = []
    if end is None or end >= cut:
        wanted = [Fact(None, max(cut, start), end, value)]
    before = [f for f in facts if f.valid_from < cut]
    later = [f for f in facts if f.valid_from >= cut]
    span = (
        before[-1]
        if before and (before[-1].valid_to is None or before[-1].valid_to >= cut)
        else None
    )
    existing = [Fact(None, cut, span.valid_to, span.value)] if span else []
    existing += [Fact(None, f.valid_from, f.valid_to, f.value) for f in later]
    if existing == wanted:
        return Plan(Change.UNCHANGED)
    if not facts:
        change = Change.NEW
    elif not wanted:
        change = Change.LEAVING
    elif span is None:
        change = Change.NEW  # back after a gap, or not yet started
    elif span.value[0] != value[0]:
        change = Change.MOVED
    else:
        change = Change.CHANGED
    plan = Plan(change, delete=[f.pk for f in later])
    if span is not None:
        if wanted and wanted[0].valid_from == cut and span.value == value:
            plan.close.append((span.pk, wanted[0].valid_to))
            wanted = []
        else:
            plan.close.append((span.pk, cut - ONE_DAY))
    plan.create = wanted
    return plan


# ---------------------------------------------------------------------------- people


def placement_facts(*, staff_ids: Iterable[int] | None = None) -> dict[int, list[Fact]]:
    """Person id -> their placements as facts, value (unit id, title)."""
    rows = Placement.objects.all()
    if staff_ids is not None:
        rows = rows.filter(staff_id__in=list(staff_ids))
    found: dict[int, list[Fact]] = {}
    for pk, staff_id, valid_from, valid_to, unit_id, title in rows.values_list(
        "pk", "staff_id", "valid_from", "valid_to", "unit_id", "title"
    ).iterator(chunk_size=5000):
        found.setdefault(staff_id, []).append(Fact(pk, valid_from, valid_to, (unit_id, title)))
    return found


def organisation_changed() -> None:
    """Forget the cached unit trees, target group rules and people's groups
    (`courses.selectors.history`), now and again when the transaction commits (so no reader
    keeps what a transaction wrote before it committed)."""
    generation_bump(key=GENERATION_KEY)


def plans_apply(*, plans: dict[int, Plan], model, build) -> None:
    """Write plans of one model: `build(owner_id, fact)` makes a new row."""
    deletes = [pk for plan in plans.values() for pk in plan.delete]
    closes = [(pk, to) for plan in plans.values() for pk, to in plan.close]
    for chunk in _chunks(deletes, 500):
        model.objects.filter(pk__in=chunk).delete()
    if closes:
        rows = list(model.objects.filter(pk__in=[pk for pk, _to in closes]).only("pk"))
        ends = dict(closes)
        for row in rows:
            row.valid_to = ends[row.pk]
        model.objects.bulk_update(rows, ["valid_to"], batch_size=1000)
    model.objects.bulk_create(
        [build(owner, fact) for owner, plan in plans.items() for fact in plan.create],
        batch_size=1000,
    )
    if any(plan.change != Change.UNCHANGED for plan in plans.values()):
        organisation_changed()


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _placement(staff_id: int, fact: Fact) -> Placement:
    unit_id, title = fact.value
    return Placement(
        staff_id=staff_id,
        unit_id=unit_id,
        title=title,
        title_key=title_key(title),
        valid_from=fact.valid_from,
        valid_to=fact.valid_to,
    )


def placements_apply(*, plans: dict[int, Plan]) -> None:
    plans_apply(plans=plans, model=Placement, build=_placement)


def staff_present_refresh(*, staff_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Set each person's present fields from their placements: the placement holding today
    (else the latest begun, else the first to come) and the employment run it is part of.
    Returns how many people changed."""
    today = today or timezone.localdate()
    staff_ids = list(staff_ids)
    facts = placement_facts(staff_ids=staff_ids)
    people = StaffMember.objects.filter(pk__in=staff_ids).only(
        "pk", "unit_id", "title", "employment_start", "employment_end"
    )
    changed = []
    for person in people.iterator(chunk_size=2000):
        rows = sorted(facts.get(person.pk, []), key=lambda f: f.valid_from)
        if not rows:
            continue
        begun = [i for i, f in enumerate(rows) if f.valid_from <= today]
        at = begun[-1] if begun else 0
        first = last = at
        while first > 0 and rows[first - 1].valid_to == rows[first].valid_from - ONE_DAY:
            first -= 1
        while (
            last + 1 < len(rows)
            and rows[last].valid_to is not None
            and rows[last + 1].valid_from == rows[last].valid_to + ONE_DAY
        ):
            last += 1
        unit_id, title = rows[at].value
        present = (unit_id, title, rows[first].valid_from, rows[last].valid_to)
        if present != (
            person.unit_id,
            person.title,
            person.employment_start,
            person.employment_end,
        ):
            person.unit_id, person.title, person.employment_start, person.employment_end = present
            changed.append(person)
    StaffMember.objects.bulk_update(
        changed, ["unit", "title", "employment_start", "employment_end"], batch_size=1000
    )
    learner_pages_forget(staff_ids=[person.pk for person in changed])
    return len(changed)


def placement_problem(*, unit: Unit, day: datetime.date) -> str | None:
    """Why nobody can be placed in `unit` from `day` (None: they can): it is not open then."""
    if unit.pk not in unit_tree_on(day=day).names:
        return _("%(unit)s is not open on %(day)s.") % {"unit": unit.name, "day": day.isoformat()}
    return None


@transaction.atomic
def staff_placement_set(
    *,
    staff: StaffMember,
    unit: Unit,
    title: str,
    start: datetime.date,
    end: datetime.date | None,
    effective: datetime.date | None = None,
) -> str:
    """Place one person in `unit` with `title`, employed from `start` to `end`, as of
    `effective` (default today). What the admin's staff form and the tests use; the HR
    import plans many people at once with the same rule."""
    effective = effective or timezone.localdate()
    if end is not None and end < start:
        raise OrganisationRefused(_("The employment ends before it starts."))
    plan = dated_plan(
        facts=placement_facts(staff_ids=[staff.pk]).get(staff.pk, []),
        value=(unit.pk, title),
        start=start,
        end=end,
        effective=effective,
    )
    for fact in plan.create:
        problem = placement_problem(unit=unit, day=fact.valid_from)
        if problem:
            raise OrganisationRefused(problem)
    placements_apply(plans={staff.pk: plan})
    staff_present_refresh(staff_ids=[staff.pk])
    staff.refresh_from_db(fields=["unit", "title", "employment_start", "employment_end"])
    return plan.change


# ---------------------------------------------------------------------------- units

# The day a unit's first version starts when nobody says when it opened.
SINCE = datetime.date(1900, 1, 1)


def unit_facts(*, unit_ids: Iterable[int] | None = None) -> dict[int, list[Fact]]:
    rows = UnitVersion.objects.all()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    found: dict[int, list[Fact]] = {}
    for pk, unit_id, valid_from, valid_to, parent_id, name in rows.values_list(
        "pk", "unit_id", "valid_from", "valid_to", "parent_id", "name"
    ):
        found.setdefault(unit_id, []).append(Fact(pk, valid_from, valid_to, (parent_id, name)))
    return found


def _unit_version(unit_id: int, fact: Fact) -> UnitVersion:
    parent_id, name = fact.value
    return UnitVersion(
        unit_id=unit_id,
        parent_id=parent_id,
        name=name,
        valid_from=fact.valid_from,
        valid_to=fact.valid_to,
    )


def unit_versions_apply(*, plans: dict[int, Plan]) -> None:
    plans_apply(plans=plans, model=UnitVersion, build=_unit_version)


def units_present_refresh(*, unit_ids: Iterable[int], today: datetime.date | None = None) -> None:
    """Set each unit's present name and parent from the version holding today (else the
    latest begun, else the first)."""
    today = today or timezone.localdate()
    unit_ids = list(unit_ids)
    facts = unit_facts(unit_ids=unit_ids)
    changed = []
    for unit in Unit.objects.filter(pk__in=unit_ids).only("pk", "name", "parent_id"):
        rows = sorted(facts.get(unit.pk, []), key=lambda f: f.valid_from)
        if not rows:
            continue
        begun = [f for f in rows if f.valid_from <= today]
        parent_id, name = (begun[-1] if begun else rows[0]).value
        if (parent_id, name) != (unit.parent_id, unit.name):
            unit.parent_id, unit.name = parent_id, name
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["parent", "name"], batch_size=1000)


def unit_parent_problem(*, unit: Unit, parent: Unit | None, day: datetime.date) -> str | None:
    """Why `parent` cannot be the unit's parent from `day` on (None: it can): a unit below
    itself would have no root."""
    if parent is None or unit.pk is None:
        return None
    if parent.pk == unit.pk:
        return _("A unit cannot be its own parent.")
    if unit.pk in unit_tree_on(day=day).ancestors(parent.pk):
        return _("%(parent)s is below %(unit)s: a unit cannot be placed under itself.") % {
            "parent": parent.name,
            "unit": unit.name,
        }
    return None


@transaction.atomic
def unit_version_set(
    *,
    unit: Unit,
    name: str,
    parent: Unit | None,
    opened: datetime.date | None = None,
    closed: datetime.date | None = None,
    effective: datetime.date | None = None,
) -> str:
    """Give a unit `name` and `parent` as of `effective` (default today); `opened` and
    `closed` bound it (an open unit has no `closed`)."""
    effective = effective or timezone.localdate()
    if closed is not None and opened is not None and closed < opened:
        raise OrganisationRefused(_("The unit closes before it opens."))
    problem = unit_parent_problem(unit=unit, parent=parent, day=effective)
    if problem:
        raise OrganisationRefused(problem)
    plan = dated_plan(
        facts=unit_facts(unit_ids=[unit.pk]).get(unit.pk, []),
        value=(parent.pk if parent else None, name),
        start=opened or SINCE,
        end=closed,
        effective=effective,
    )
    unit_versions_apply(plans={unit.pk: plan})
    units_present_refresh(unit_ids=[unit.pk])
    unit.refresh_from_db(fields=["name", "parent"])
    return plan.change
