"""Who sees whom: the organisation tree and the one scope rule for managers."""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet

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


SHELL_ROLES_SECONDS = 300


def shell_roles_key(user_id: int) -> str:
    return f"courses:shell-roles:{user_id}"


def user_shell_roles(*, user) -> dict[str, bool]:
    """Whether the user may report (coordinator or manager of some unit) and reach the
    Wagtail admin (editors, coordinators): what the page shell links to.

    Read from the cache: a change of groups or manager responsibility forgets it at once
    (`courses.apps`), anything else within five minutes. The pages themselves always check
    permissions anew; this only decides which links the shell shows.
    """
    if user.is_superuser:
        return {"shell_can_report": True, "shell_can_edit": True}
    key = shell_roles_key(user.pk)
    roles = cache.get(key)
    if roles is None:
        roles = _shell_roles_read(user)
        cache.set(key, roles, SHELL_ROLES_SECONDS)
    return roles


def shell_roles_forget(*, user_ids) -> None:
    cache.delete_many([shell_roles_key(pk) for pk in user_ids])


def _shell_roles_read(user) -> dict[str, bool]:
    def holds(app_label: str, codename: str) -> Exists:
        return Exists(
            Permission.objects.filter(
                Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
                content_type__app_label=app_label,
                codename=codename,
            )
        )

    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            coordinator=holds("courses", "view_all_staff"),
            editor=holds("wagtailadmin", "access_admin"),
            manager=Exists(ManagerResponsibility.objects.filter(user=OuterRef("pk"))),
        )
        .values("coordinator", "editor", "manager")
        .first()
    ) or {"coordinator": False, "editor": False, "manager": False}
    return {
        "shell_can_report": bool(flags["coordinator"] or flags["manager"]),
        "shell_can_edit": bool(flags["editor"]),
    }


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
