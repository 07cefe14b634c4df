"""Who sees whom: the organisation tree and the one scope rule for managers."""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from courses.models import CoordinatorScope, ManagerResponsibility, StaffMember, Unit
from courses.selectors.history import UnitTree, placed_in_q, unit_tree_on


def unit_subtree_ids(*, unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them in today's tree."""
    return unit_tree_on(day=timezone.localdate()).subtree(unit_ids)


def user_is_coordinator(*, user) -> bool:
    """Coordinators report on the organisation: all of it, or the subtrees of their
    scopes (`CoordinatorScope`)."""
    return bool(user.is_authenticated and user.has_perm("courses.view_all_staff"))


def scope_roots(*, user) -> list[int] | None:
    """The roots of the subtrees a user answers for, or None for the whole organisation.

    The one scope rule for managers and coordinators: a coordinator with no scope (and a
    superuser) answers for everything; a coordinator with scopes, for those subtrees; a
    manager, for the units they are responsible for; anyone else, for nothing ([]).
    """
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_scope_roots"):  # asked several times a request: read once
        user._scope_roots = _scope_roots_read(user)
    return None if user._scope_roots is None else list(user._scope_roots)


def _scope_roots_read(user) -> list[int] | None:
    if user_is_coordinator(user=user):
        if user.is_superuser:
            return None
        roots = list(CoordinatorScope.objects.filter(user=user).values_list("unit_id", flat=True))
        return roots or None
    return list(ManagerResponsibility.objects.filter(user=user).values_list("unit_id", flat=True))


def user_sees_whole_organisation(*, user) -> bool:
    """A coordinator without a narrower scope: the city's central coordinator."""
    return user_is_coordinator(user=user) and scope_roots(user=user) is None


def scope_unit_ids_on(*, user, tree: UnitTree) -> set[int] | None:
    """The units a user may report on as the tree stood on `tree.day` (None: all)."""
    roots = scope_roots(user=user)
    return None if roots is None else tree.subtree(roots)


def units_visible_to(*, user) -> QuerySet[Unit]:
    """Units a user may report on today: all, or the subtrees of their scope."""
    if not user.is_authenticated:
        return Unit.objects.none()
    ids = scope_unit_ids_on(user=user, tree=unit_tree_on(day=timezone.localdate()))
    return Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)


def staff_visible_to(*, user, day: datetime.date | None = None, tree=None) -> QuerySet[StaffMember]:
    """The people a user may see as a manager or coordinator on `day` (default today) - the
    one scope rule. Those with the whole organisation see everyone; others, the people
    placed that day in the subtrees they answer for; anyone else, no one.
    """
    if not user.is_authenticated:
        return StaffMember.objects.none()
    roots = scope_roots(user=user)
    if roots is None:
        return StaffMember.objects.all()
    if not roots:
        return StaffMember.objects.none()
    day = day or timezone.localdate()
    tree = tree if tree is not None else unit_tree_on(day=day)
    return StaffMember.objects.filter(
        placed_in_q(unit_ids=tree.subtree(roots), on=day, staff_ref="pk")
    )


def in_scope(*, user, queryset: QuerySet, staff: str | None = None, unit: str | None = None):
    """`queryset` narrowed to what the user answers for today, through the row's person
    (`staff`: the path to it, e.g. "completion__staff") or its unit (`unit`); with neither,
    the rows are the whole city's, for those who answer for all of it. The admin's lists,
    edit views and revocations use the same scope rule as the report pages."""
    if scope_roots(user=user) is None:
        return queryset
    if staff is None and unit is None:
        return queryset.none()
    if staff is not None:
        return queryset.filter(**{f"{staff}__in": staff_visible_to(user=user)})
    return queryset.filter(**{f"{unit}__in": units_visible_to(user=user)})


def scoped_view(base, **paths):
    """An admin view class about one object (edit, delete, inspect, history, usage) that
    answers only for objects in the user's scope: another administration's is a 404."""

    class Scoped(base):
        def get_object(self, *args, **kwargs):
            found = super().get_object(*args, **kwargs)
            mine = in_scope(
                user=self.request.user, queryset=type(found)._default_manager.all(), **paths
            )
            if not mine.filter(pk=found.pk).exists():
                raise Http404
            return found

    Scoped.__name__ = Scoped.__qualname__ = f"Scoped{base.__name__}"
    return Scoped


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
    if get_user_model().staff_member.is_cached(user):
        # Read with the account (courses.auth_backends.session_user); None when there is none.
        return getattr(user, "staff_member", None)
    return StaffMember.objects.filter(user=user).select_related("unit").first()


def staff_of_request(*, request) -> StaffMember | None:
    """The signed-in person's staff record, looked up once per request."""
    if not hasattr(request, "_staff_member"):
        request._staff_member = staff_for_user(user=request.user)
    return request._staff_member
