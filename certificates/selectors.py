"""Read queries about certificates, and who may fetch which."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from certificates.codes import code_normalise
from certificates.models import Certificate
from courses.selectors.history import placed_in_q
from courses.selectors.organisation import (
    staff_for_user,
    staff_visible_to,
    unit_subtree_ids,
    user_is_coordinator,
    user_is_manager,
)


def _with_relations(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return qs.select_related("completion", "completion__staff", "completion__staff__unit")


def certificate_by_code(*, raw_code: str) -> Certificate | None:
    """The certificate a typed code names, or None (also for what cannot be a code)."""
    code = code_normalise(raw_code)
    if code is None:
        return None
    return Certificate.objects.select_related("completion").filter(code=code).first()


def certificates_of_staff(*, staff) -> QuerySet[Certificate]:
    return _with_relations(Certificate.objects.filter(completion__staff=staff)).order_by(
        "-completion__completed_on", "-issued_at"
    )


def own_certificates(*, user) -> list[Certificate]:
    """The signed-in person's own certificates, read once per request (kept on the user
    object Django loads for the request): /my/ shows them in two places."""
    if not hasattr(user, "_own_certificates"):
        user._own_certificates = list(
            _with_relations(Certificate.objects.filter(completion__staff__user=user)).order_by(
                "-completion__completed_on", "-issued_at"
            )
        )
    return user._own_certificates


def user_may_manage_certificates(*, user) -> bool:
    """Managers and coordinators see their staff's certificates; nobody else does."""
    return user_is_coordinator(user=user) or user_is_manager(user=user)


def certificates_visible_to(*, user) -> QuerySet[Certificate]:
    """Certificates of the staff in the user's scope (the one scope rule of courses)."""
    if not user_may_manage_certificates(user=user):
        return Certificate.objects.none()
    return _with_relations(
        Certificate.objects.filter(completion__staff__in=staff_visible_to(user=user))
    )


def certificate_for_download(*, user, certificate_id: int) -> Certificate | None:
    """The certificate if the user may download it: its holder, their managers, coordinators."""
    if not user.is_authenticated:
        return None
    own = Q(completion__staff__user=user)
    scope = Q(pk__in=certificates_visible_to(user=user).values("pk"))
    qs = _with_relations(Certificate.objects.filter(own | scope))
    return qs.filter(pk=certificate_id).first()


def certificates_for_bulk(
    *, user, unit_code: str = "", course_id: int | None = None
) -> QuerySet[Certificate]:
    """What a manager's zip holds: their staff's certificates, optionally narrowed."""
    qs = certificates_visible_to(user=user)
    if unit_code:
        from courses.models import Unit

        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            return Certificate.objects.none()
        qs = qs.filter(
            placed_in_q(
                unit_ids=unit_subtree_ids(unit_ids=[unit.pk]),
                on=timezone.localdate(),
                staff_ref="completion__staff_id",
            )
        )
    if course_id:
        qs = qs.filter(completion__course_id=course_id)
    return qs.order_by("completion__staff__last_name", "completion__staff__first_name", "pk")


def completion_download_links(*, user, completion_ids: Iterable[int]) -> dict[int, int]:
    """completion id -> certificate id, for the completions whose certificate the user may get."""
    ids = list(completion_ids)
    if not ids or not user.is_authenticated:
        return {}
    # One query for both: the person's own certificates (kept for the rest of the request,
    # see own_certificates) and the certificates of the completions asked about.
    found = list(
        _with_relations(
            Certificate.objects.filter(Q(completion__staff__user=user) | Q(completion_id__in=ids))
        ).order_by("-completion__completed_on", "-issued_at")
    )
    if not hasattr(user, "_own_certificates"):
        user._own_certificates = [c for c in found if c.completion.staff.user_id == user.pk]
    wanted = set(ids)
    links = {
        c.completion_id: c.pk
        for c in found
        if c.completion_id in wanted and c.completion.staff.user_id == user.pk
    }
    others = [
        c.completion_id
        for c in found
        if c.completion_id in wanted and c.completion.staff.user_id != user.pk
    ]
    if others:  # someone else's: only within the user's scope (a manager's, a coordinator's)
        links.update(
            certificates_visible_to(user=user)
            .filter(completion_id__in=others)
            .values_list("completion_id", "pk")
        )
    return links


def certificates_issued_per_course(
    *, start: datetime.date, end: datetime.date, units: Iterable[int] | None
) -> list[tuple[str, int]]:
    """(course title, count) of certificates issued from start to end inclusive."""
    qs = Certificate.objects.filter(issued_at__date__gte=start, issued_at__date__lte=end)
    if units is not None:
        qs = qs.filter(
            placed_in_q(
                unit_ids=units, on=min(end, timezone.localdate()), staff_ref="completion__staff_id"
            )
        )
    rows = (
        qs.values("completion__course__title")
        .annotate(n=Count("pk"))
        .order_by("completion__course__title")
    )
    return [(row["completion__course__title"], row["n"]) for row in rows]


def learner_certificates(*, user) -> QuerySet[Certificate]:
    staff = staff_for_user(user=user)
    if staff is None:
        return Certificate.objects.none()
    return certificates_of_staff(staff=staff)
