"""Wagtail admin guards for the content pages (registered in cms/wagtail_hooks.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_valid_next_url_from_request


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
