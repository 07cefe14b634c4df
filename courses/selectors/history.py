"""The organisation as it was on a day: its unit tree, who was placed where, and who belonged
to which target group. Every report for a date reads the organisation through here.

A target group's members on day D are the people whose placement holding on D matches one
of the group's rules on the tree of D (a unit's subtree, a title, a person kind), and the
people named into the group for a period that holds on D. So history needs no bookkeeping
of its own: move a unit, and the rules follow the tree of each day.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, QuerySet, Value

from cms.generations import generation, reading_cached
from courses.models import Placement, StaffMember, TargetGroupMember, TargetGroupRule, UnitVersion
from courses.models.history import holds_q


@dataclass
class UnitTree:
    """The units open on one day: their names and parents as they were then."""

    day: datetime.date
    codes: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)
    children: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))

    def subtree(self, unit_ids: Iterable[int]) -> set[int]:
        """The given units open that day and every unit below them that day."""
        seen: set[int] = set()
        stack = [pk for pk in unit_ids if pk in self.names]
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            stack.extend(self.children.get(pk, ()))
        return seen

    def ancestors(self, unit_id: int) -> list[int]:
        """The unit and its parents up to the root, that day."""
        chain: list[int] = []
        while unit_id is not None and unit_id in self.names and unit_id not in chain:
            chain.append(unit_id)
            unit_id = self.parents[unit_id]
        return chain


def unit_trees_on(*, days: Iterable[datetime.date]) -> dict[datetime.date, UnitTree]:
    """The unit tree of each day, from one query of the versions that hold on any of them."""
    days = sorted(set(days))
    trees = {day: UnitTree(day=day) for day in days}
    if not days:
        return trees
    versions = (
        UnitVersion.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=days[0]), valid_from__lte=days[-1]
        )
        .order_by("unit__name", "unit__code")
        .values_list("unit_id", "unit__code", "name", "parent_id", "valid_from", "valid_to")
    )
    for unit_id, code, name, parent_id, valid_from, valid_to in versions:
        for day in days:
            if valid_from <= day and (valid_to is None or valid_to >= day):
                tree = trees[day]
                tree.codes[unit_id] = code
                tree.names[unit_id] = name
                tree.parents[unit_id] = parent_id
    for tree in trees.values():
        # Sorted by today's name, then code; a parent closed that day makes its child a root.
        for unit_id, parent_id in tree.parents.items():
            tree.children[parent_id if parent_id in tree.names else None].append(unit_id)
        tree.children = dict(tree.children)
    return trees


ORGANISATION_CACHE_SECONDS = 3600
GENERATION_KEY = "courses:organisation:generation"


def organisation_generation() -> int:
    """A number that changes whenever the unit tree or a target group rule changes
    (`courses.services.organisation.organisation_changed`): the key of the cached readings."""
    return generation(key=GENERATION_KEY)


def unit_tree_on(*, day: datetime.date) -> UnitTree:
    """The unit tree of `day`, from the cache while the organisation is unchanged: every
    learner's page asks for today's."""

    def build() -> UnitTree:
        tree = unit_trees_on(days=[day])[day]
        tree.children = dict(tree.children)
        return tree

    return reading_cached(
        key=f"courses:organisation:tree:{organisation_generation()}:{day.isoformat()}",
        build=build,
        timeout=ORGANISATION_CACHE_SECONDS,
    )


# ---------------------------------------------------------------------------- target groups


@dataclass(frozen=True)
class Rule:
    unit_id: int | None
    title_key: str
    kind: str


def group_rules_read(*, group_ids: Iterable[int] | None = None) -> dict[int, list[Rule]]:
    """Each target group's rules (from the cache while no rule changes)."""

    def build() -> dict[int, list[Rule]]:
        every = defaultdict(list)
        for rule in TargetGroupRule.objects.order_by("pk"):
            every[rule.group_id].append(Rule(rule.unit_id, rule.title_key, rule.kind))
        return dict(every)

    every = reading_cached(
        key=f"courses:organisation:rules:{organisation_generation()}",
        build=build,
        timeout=ORGANISATION_CACHE_SECONDS,
    )
    if group_ids is None:
        return every
    wanted = set(group_ids)
    return {group_id: rules for group_id, rules in every.items() if group_id in wanted}


EVERYONE = Q(pk__isnull=False)
NOBODY = Q(pk__in=[])


def _rule_q(rule: Rule, tree: UnitTree) -> Q:
    q = EVERYONE
    if rule.unit_id is not None:
        units = tree.subtree([rule.unit_id])
        if not units:
            return NOBODY  # the unit was not open that day
        q &= Q(unit_id__in=sorted(units))
    if rule.title_key:
        q &= Q(title_key=rule.title_key)
    if rule.kind:
        q &= Q(staff__kind=rule.kind)
    return q


def group_members_q(*, group_ids: Iterable[int], tree: UnitTree, rules: dict[int, list[Rule]]) -> Q:
    """On placements holding on `tree.day`: those whose person belongs to any of the groups
    that day. `rules` comes from `group_rules_read` (so a report reads them once)."""
    group_ids = sorted(set(group_ids))
    q = NOBODY
    for group_id in group_ids:
        for rule in rules.get(group_id, ()):
            q |= _rule_q(rule, tree)
    # Not correlated: the database reads the named members of the day once (a hashed
    # set), instead of looking them up again for every placement.
    named = TargetGroupMember.objects.filter(holds_q(tree.day), group_id__in=group_ids)
    return q | Q(staff_id__in=named.values("staff_id"))


def placements_on(*, day: datetime.date, kinds: Iterable[str] | None = None) -> QuerySet:
    """The placements holding on `day`: one per person engaged that day. `kinds` limits the
    people to those kinds (default: employees, whom staff coverage counts)."""
    kinds = [StaffMember.Kind.EMPLOYEE] if kinds is None else list(kinds)
    return Placement.objects.filter(holds_q(day), staff__kind__in=kinds)


def staff_in_groups_q(*, group_ids: Iterable[int], day: datetime.date, tree=None, rules=None):
    """On people: those engaged on `day` who belong to any of the groups that day."""
    group_ids = list(group_ids)
    tree = tree if tree is not None else unit_tree_on(day=day)
    rules = rules if rules is not None else group_rules_read(group_ids=group_ids)
    return Q(
        Exists(
            Placement.objects.filter(holds_q(day), staff_id=OuterRef("pk")).filter(
                group_members_q(group_ids=group_ids, tree=tree, rules=rules)
            )
        )
    )


def staff_groups_many(
    *, staff_ids: Iterable[int] | None, day: datetime.date, tree=None
) -> dict[int, set[int]]:
    """Each person's target groups on `day` (person id -> group ids), in one query: the
    same rule as `group_members_q`, read in Python for a page of people (`staff_ids`) or
    for everyone placed that day (None). One query, with the tree and rules cached."""
    placements = Placement.objects.filter(holds_q(day))
    named = TargetGroupMember.objects.filter(holds_q(day))
    if staff_ids is not None:
        staff_ids = list(staff_ids)
        placements = placements.filter(staff_id__in=staff_ids)
        named = named.filter(staff_id__in=staff_ids)
    # One query for both: a placement row has a unit, a named membership a group.
    rows = (
        placements.order_by()
        .values_list("staff_id", "unit_id", "title_key", "staff__kind", Value(None, IntegerField()))
        .union(
            named.order_by().values_list(
                "staff_id",
                Value(None, IntegerField()),
                Value("", CharField()),
                Value("", CharField()),
                "group_id",
            ),
            all=True,
        )
    )
    placements, named_rows = [], []
    for staff_id, unit_id, key, kind, group_id in rows:
        if group_id is None:
            placements.append((staff_id, unit_id, key, kind))
        else:
            named_rows.append((staff_id, group_id))
    found: dict[int, set[int]] = {pk: set() for pk in staff_ids or ()}
    found.update((staff_id, set()) for staff_id, *_rest in placements)
    if not placements:
        return found
    tree = tree if tree is not None else unit_tree_on(day=day)
    rules = group_rules_read()
    for staff_id, unit_id, key, kind in placements:
        above = set(tree.ancestors(unit_id))
        for group_id, group_rules in rules.items():
            if any(
                (rule.unit_id is None or rule.unit_id in above)
                and (not rule.title_key or rule.title_key == key)
                and (not rule.kind or rule.kind == kind)
                for rule in group_rules
            ):
                found[staff_id].add(group_id)
    placed = {staff_id for staff_id, *_rest in placements}
    for staff_id, group_id in named_rows:
        if staff_id in placed:  # named, but placed nowhere that day: not a member
            found[staff_id].add(group_id)
    return found


def staff_groups_on(*, staff: StaffMember, day: datetime.date) -> set[int]:
    """The ids of the target groups a person belongs to on `day`: what the learner's pages
    ask on every request, so kept in the cache until the organisation changes (the key has
    the person's kind, which the rules read and which changes without a dated fact)."""
    return reading_cached(
        key=f"courses:organisation:groups:{organisation_generation()}:{staff.pk}:{staff.kind}:{day}",
        build=lambda: staff_groups_many(staff_ids=[staff.pk], day=day)[staff.pk],
        timeout=ORGANISATION_CACHE_SECONDS,
    )


@dataclass(frozen=True)
class RuleCount:
    rule: TargetGroupRule
    people: int


def group_rule_counts(*, group_id: int, day: datetime.date) -> tuple[list[RuleCount], int]:
    """How many people each of a group's rules matches on `day`, and how many the group has
    in all (rules and named members, people of every kind): what a coordinator sees beside
    the rules in the admin. One query a rule, and one for the whole."""
    tree = unit_tree_on(day=day)
    placements = placements_on(day=day, kinds=StaffMember.Kind.values)
    counts = [
        RuleCount(
            rule,
            placements.filter(_rule_q(Rule(rule.unit_id, rule.title_key, rule.kind), tree)).count(),
        )
        for rule in TargetGroupRule.objects.filter(group_id=group_id).select_related("unit")
    ]
    members = group_members_q(
        group_ids=[group_id], tree=tree, rules=group_rules_read(group_ids=[group_id])
    )
    return counts, placements.filter(members).count()


def placed_in_q(*, unit_ids: Iterable[int], on, staff_ref: str = "staff_id") -> Q:
    """On rows that point at a person (through `staff_ref`): those whose person was placed
    in one of `unit_ids` on the day `on` - a date, or the name of the row's own date field
    (e.g. "completed_on"), so each row is placed by its own day."""
    day = OuterRef(on) if isinstance(on, str) else on
    return Q(
        Exists(
            Placement.objects.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=day),
                staff_id=OuterRef(staff_ref),
                unit_id__in=sorted(unit_ids),
                valid_from__lte=day,
            )
        )
    )
