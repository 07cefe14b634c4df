"""The people behind a coverage figure: the population of a unit's subtree, each marked
trained, expired or not trained by the same rule as `courses.reports.coverage`."""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from courses.models import Completion, CoursePage, StaffMember, UnitVersion
from courses.models.history import holds_q
from courses.models.learning import completion_valid_q
from courses.reports.coverage import required_groups
from courses.selectors.history import (
    group_members_q,
    group_rules_read,
    placements_on,
    unit_tree_on,
)


class PersonStatus:
    TRAINED = "trained"
    EXPIRED = "expired"
    NOT_TRAINED = "not_trained"


def coverage_people(
    *, course: CoursePage, as_of: datetime.date, unit_ids: Iterable[int] | None
) -> QuerySet[StaffMember]:
    """The population of `unit_ids` for a course on `as_of`, each with `unit_name` (their
    unit's name that day), `valid_completed_on` (their latest completion valid on the day)
    and `last_completed_on` (their latest one up to the day, valid or not). Those with
    `valid_completed_on` are the trained. `unit_ids` None means the whole organisation;
    give the ids as the tree stood on `as_of` (`scope_unit_ids(..., tree=...)`)."""
    group_ids = required_groups(course_ids=[course.pk]).get(course.pk, [])
    members = group_members_q(
        group_ids=group_ids,
        tree=unit_tree_on(day=as_of),
        rules=group_rules_read(group_ids=group_ids),
    )
    placed = placements_on(day=as_of).filter(staff_id=OuterRef("pk"))
    if unit_ids is not None:
        placed = placed.filter(unit_id__in=sorted(unit_ids))
    unit_name = UnitVersion.objects.filter(holds_q(as_of), unit_id=OuterRef("unit_id"))
    mine = Completion.objects.filter(
        staff_id=OuterRef("pk"), course_id=course.pk, withdrawn_at__isnull=True
    ).order_by("-completed_on")
    return (
        StaffMember.objects.filter(Exists(placed.filter(members)))
        .annotate(
            unit_name=Subquery(
                placed.annotate(n=Subquery(unit_name.values("name")[:1])).values("n")[:1]
            ),
            valid_completed_on=Subquery(
                mine.filter(completion_valid_q(as_of)).values("completed_on")[:1]
            ),
            last_completed_on=Subquery(
                mine.filter(completed_on__lte=as_of).values("completed_on")[:1]
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )


def person_status(person) -> str:
    if person.valid_completed_on:
        return PersonStatus.TRAINED
    if person.last_completed_on:
        return PersonStatus.EXPIRED
    return PersonStatus.NOT_TRAINED
