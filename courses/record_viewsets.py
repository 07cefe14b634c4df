"""Read-only admin screens for the records the product keeps about its own work: adopted
follow-ups (never changed) and the retention job's log. Coordinators may view them; no one
adds, edits or deletes one here (wagtail_hooks registers ViewOnlyPermissionPolicy for both)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from courses.models import FollowupSnapshot, RetentionRun


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view", whatever else a group or a superuser has."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if "view" in actions else [])


def _counts(run: RetentionRun) -> str:
    return ", ".join(f"{rule}: {n}" for rule, n in sorted(run.counts.items())) or "–"


class FollowupSnapshotViewSet(ModelViewSet):
    model = FollowupSnapshot
    icon = "lock"
    menu_label = _("Adopted follow-ups")
    name = "adopted_followups"
    url_prefix = "adopted-followups"
    add_to_admin_menu = True
    menu_order = 910
    list_display = ["period", "adopted_by_name", "adopted_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["period", "scope", "adopted_by_name", "adopted_at", "figures"]
    form_fields = ["period"]
    copy_view_enabled = False


class RetentionRunViewSet(ModelViewSet):
    """What each retention run removed, or in a dry run would have removed, per rule."""

    model = RetentionRun
    icon = "bin"
    menu_label = _("Retention log")
    name = "retention_runs"
    url_prefix = "retention"
    add_to_admin_menu = True
    menu_order = 920
    list_display = [
        "started_at",
        "dry_run",
        Column("total", label=_("records"), accessor="total"),
        Column("counts", label=_("records per rule"), accessor=_counts),
    ]
    list_filter = ["dry_run"]
    inspect_view_enabled = True
    inspect_view_fields = ["started_at", "finished_at", "dry_run", "counts", "notes"]
    form_fields = ["dry_run"]
    copy_view_enabled = False
