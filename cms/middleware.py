"""The site's own middleware: a refused lecture publication in the admin becomes a message
instead of a server error; parameters holding NUL characters are refused; pages for signed-in
people are not cached; a Content-Security-Policy on every response."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.modal_workflow import render_modal_workflow

from cms.models.lectures import CaptionsMissing
from cms.sites import site_for_request, site_root_paths


class CaptionsMissingMiddleware:
    """Approving a lecture from the dashboard's workflow action publishes it; without
    captions LecturePage.publish refuses inside the workflow's transaction, which rolls back.
    The reviewer is sent to the lecture's edit page with a message saying what is missing.
    (From the edit page itself, LecturePageForm refuses the approval before anything runs.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CaptionsMissing):
            return None
        messages.error(
            request,
            _("The lecture was not published: %(errors)s")
            % {"errors": " ".join(exception.message_dict["captions"])},
        )
        edit_url = reverse("wagtailadmin_pages:edit", args=[exception.page_id])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return render_modal_workflow(
                request, None, json_data={"step": "success", "redirect": edit_url}
            )
        return redirect(edit_url)


class NulBytesRefusedMiddleware:
    """A NUL character is never part of anything people type, and PostgreSQL cannot store
    one in text: a parameter or form field holding one is refused with 400 before any view
    reads it (the same on SQLite, so both databases answer alike)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("A NUL character in the request's parameters")
        return self.get_response(request)


class WagtailSiteCachedMiddleware:
    """Wagtail finds the request's site (and routing the site's home page) with queries on
    every request; here both come from the cache (`cms.sites.site_for_request`).
    Wagtail's `Site.find_for_request` answers with what is set on the request, and so does
    every page's URL worked out for the request (the sites' root paths)."""

    def __init__(self, get_response):
        self.get_response = get_response

    # Probes read no site: they must answer (503) when the database does not.
    PROBES = frozenset({"/healthz", "/readyz"})

    def __call__(self, request):
        if request.path_info not in self.PROBES:
            request._wagtail_site = site_for_request(request=request)
            request._wagtail_cached_site_root_paths = site_root_paths()
        return self.get_response(request)


class PrivatePagesNotCachedMiddleware:
    """What a signed-in person is shown may hold personal data (their training, their
    staff's): no browser or proxy keeps a copy, unless the view said otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


# The public site runs only its own scripts (static/js/): no inline script, no eval, no
# outside host. Wagtail's admin needs inline scripts and styles of its own, so /admin/ gets
# a looser policy, still limited to this site.
PUBLIC_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'self'",
        "frame-ancestors 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Content-Security-Policy"):
            admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = ADMIN_CSP if admin else PUBLIC_CSP
        return response
