"""Who sees whom: the organisation tree and the one scope rule for managers."""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q, QuerySet

from courses.models import ManagerResponsibility, StaffMember, Unit


def unit_children_map() -> dict[int | None, list[int]]:
    """Parent id -> child ids for the whole tree, in one query."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def unit_subtree_ids(*, unit_ids: Iterable[int], children=None) -> set[int]:
    """The given units and every unit below them."""
    children = children if children is not None else unit_children_map()
    seen: set[int] = set()
    stack = list(unit_ids)
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return seen


def user_sees_whole_organisation(*, user) -> bool:
    return bool(user.is_authenticated and user.has_perm("courses.view_all_staff"))


def units_visible_to(*, user) -> QuerySet[Unit]:
    """Units a user may report on: all for coordinators, managed subtrees for managers."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user_sees_whole_organisation(user=user):
        return Unit.objects.all()
    roots = ManagerResponsibility.objects.filter(user=user).values_list("unit_id", flat=True)
    return Unit.objects.filter(pk__in=unit_subtree_ids(unit_ids=list(roots)))


def staff_visible_to(*, user) -> QuerySet[StaffMember]:
    """The staff a user may see as a manager or coordinator - the one scope rule.

    Coordinators (and superusers) see everyone; a manager sees exactly the staff of the
    subtrees of the units they answer for; anyone else sees no one.
    """
    if not user.is_authenticated:
        return StaffMember.objects.none()
    if user_sees_whole_organisation(user=user):
        return StaffMember.objects.all()
    return StaffMember.objects.filter(unit__in=units_visible_to(user=user))


def user_can_report(*, user) -> bool:
    """Coordinator (sees the whole organisation) or manager of some unit, in one query."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if hasattr(user, "_perm_cache"):  # permissions already loaded for this request
        return user_sees_whole_organisation(user=user) or user_is_manager(user=user)
    coordinator = Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label="courses",
        codename="view_all_staff",
    )
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Exists(coordinator) | Exists(ManagerResponsibility.objects.filter(user=user)))
        .exists()
    )


def user_is_manager(*, user) -> bool:
    return bool(user.is_authenticated and ManagerResponsibility.objects.filter(user=user).exists())


def staff_for_user(*, user) -> StaffMember | None:
    """The staff record behind a logged-in account, if there is one."""
    if not user.is_authenticated:
        return None
    return StaffMember.objects.filter(user=user).select_related("unit").first()


def staff_of_request(*, request) -> StaffMember | None:
    """The signed-in person's staff record, looked up once per request."""
    if not hasattr(request, "_staff_member"):
        request._staff_member = staff_for_user(user=request.user)
    return request._staff_member
