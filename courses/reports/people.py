"""The people behind a coverage figure: the population of a unit's subtree, each marked
trained, expired or not trained by the same rule as `courses.reports.coverage`."""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from courses.models import Completion, CoursePage, StaffMember
from courses.models.learning import completion_valid_q
from courses.reports.coverage import RequiredFor


class PersonStatus:
    TRAINED = "trained"
    EXPIRED = "expired"
    NOT_TRAINED = "not_trained"


def coverage_people(
    *, course: CoursePage, as_of: datetime.date, unit_ids: Iterable[int] | None
) -> QuerySet[StaffMember]:
    """The population of `unit_ids` for a course on `as_of`, each with `valid_completed_on`
    (their latest completion valid on the day) and `last_completed_on` (their latest one up to
    the day, valid or not). Those with `valid_completed_on` are the trained.
    `unit_ids` None means the whole organisation."""
    groups = RequiredFor.objects.filter(coursepage_id=course.pk).values("targetgroup_id")
    mine = Completion.objects.filter(
        staff_id=OuterRef("pk"), course_id=course.pk, withdrawn_at__isnull=True
    ).order_by("-completed_on")
    people = StaffMember.objects.employed_on(as_of)
    if unit_ids is not None:
        people = people.filter(unit_id__in=sorted(unit_ids))
    return (
        people.filter(
            Exists(
                StaffMember.target_groups.through.objects.filter(
                    staffmember_id=OuterRef("pk"), targetgroup_id__in=groups
                )
            )
        )
        .annotate(
            valid_completed_on=Subquery(
                mine.filter(completion_valid_q(as_of)).values("completed_on")[:1]
            ),
            last_completed_on=Subquery(
                mine.filter(completed_on__lte=as_of).values("completed_on")[:1]
            ),
        )
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )


def person_status(person) -> str:
    if person.valid_completed_on:
        return PersonStatus.TRAINED
    if person.last_completed_on:
        return PersonStatus.EXPIRED
    return PersonStatus.NOT_TRAINED
