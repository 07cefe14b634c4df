from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.choosers import PermittedSnippetChooserViewSet
from cms.models import ConcernContact
from cms.selectors import task_results_needing_attention


class ConcernContactViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ConcernContact
    icon = "warning"
    menu_label = _("If you are worried")
    list_display = ["name", "role", "phone", "sort_order"]
    add_to_admin_menu = True
    menu_order = 300


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view": task results are the queue's records, changed by workers alone."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class TaskIndexView(IndexView):
    def get_base_queryset(self):
        return task_results_needing_attention()


class TaskResultViewSet(ModelViewSet):
    """Background tasks that failed or are waiting to be tried again, with their error:
    what coordinators look at when a certificate or a reminder did not go out."""

    model = DBTaskResult
    icon = "warning"
    menu_label = _("Failed tasks")
    name = "failed_tasks"
    url_prefix = "tasks"
    add_to_admin_menu = True
    menu_order = 900
    index_view_class = TaskIndexView
    list_display = [
        # From the path, not the task object: that would need the task importable and
        # valid for today's backend, and a listing of failures must never fail itself.
        Column("task_path", label=_("task"), accessor=lambda r: r.task_path.rpartition(".")[2]),
        Column("status", label=_("status"), accessor="get_status_display"),
        Column("attempts", label=_("attempts"), accessor=lambda result: len(result.worker_ids)),
        Column("exception_class_path", label=_("error")),
        "enqueued_at",
        "finished_at",
    ]
    list_filter = ["status", "queue_name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "task_path",
        "status",
        "queue_name",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "exception_class_path",
        "traceback",
    ]
    form_fields = ["run_after"]
    copy_view_enabled = False
