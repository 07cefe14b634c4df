from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.admin_guards import refuse_bulk_publish_of_uncaptioned_lectures
from cms.viewsets import ConcernContactViewSet, ReadOnlyPermissionPolicy, TaskResultViewSet

register_snippet(ConcernContactViewSet)
register_permission_policy(DBTaskResult, ReadOnlyPermissionPolicy(DBTaskResult))
hooks.register("register_admin_viewset", TaskResultViewSet)
hooks.register("before_bulk_action", refuse_bulk_publish_of_uncaptioned_lectures)
