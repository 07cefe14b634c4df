"""Wagtail admin guards: the content pages' (registered in cms/wagtail_hooks.py) and the
snippets' bulk actions (routed in cms/urls.py)."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action
from wagtail.permissions import policy_registry

# The model permission a bulk action needs, where it is not named like the action itself.
BULK_ACTION_PERMISSIONS = {"unpublish": "publish"}


@require_admin_access
def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk-action views (the confirmation and the action), for snippet models only
    to those with the action's permission on the model.

    Wagtail checks snippets object by object and still answers the confirmation, naming
    every selected record among those "you may not act on": an editor could read staff and
    certificates through it. Here the model's permission policy decides first, for every
    action (delete, publish, unpublish, lock, unlock...) and every snippet model at once; an
    action with no permission of its name is refused to all but superusers. Pages, images,
    documents and users keep Wagtail's own checks (page and collection permissions).
    """
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if getattr(model, "snippet_viewset", None) is not None:
        permission = BULK_ACTION_PERMISSIONS.get(action, action)
        if not policy_registry.get_by_type(model).user_has_permission(request.user, permission):
            raise PermissionDenied
    return wagtail_bulk_action(request, app_label, model_name, action)


def refuse_bulk_publish_of_uncaptioned_lectures(request, action_type, objects, action_class):
    """The admin's bulk "Publish" must not publish a lecture without a WebVTT captions track.

    Without this, the refusal in LecturePage.publish would surface as a server error.
    """
    if action_type != "publish":
        return None
    from cms.models import LecturePage

    refused = [
        page.title
        for page in objects
        if getattr(page, "specific_class", None) is LecturePage
        and page.specific.get_latest_revision_as_object().publish_errors()
    ]
    if not refused:
        return None
    messages.error(
        request,
        _(
            "Nothing was published. These lectures have no valid captions track: %(titles)s. "
            "Add WebVTT captions to them first."
        )
        % {"titles": ", ".join(refused)},
    )
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_explore_root")
