import mimetypes
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils._os import safe_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.static import was_modified_since
from wagtail.documents import get_document_model

from cms.ranged import ranged_file_response
from cms.selectors import search_pages, search_snippet
from cms.services import lecture_view_record

SEARCH_PAGE_SIZE = 10
SEARCH_MAX_LENGTH = 200


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


@never_cache
def readyz(request):
    """Readiness: 200 when the database and the cache (Redis, shared by the nodes) both
    answer, else 503 naming which does not, so a load balancer sends no traffic to a node
    that could serve nobody. Reads only: a probe writes nothing."""
    from django.core.cache import cache

    checks = {"database": True, "cache": True}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        checks["database"] = False
    try:
        cache.get("readyz-probe")
    except Exception:  # each cache backend raises its own errors (redis.ConnectionError...)
        checks["cache"] = False
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@require_POST
def lecture_viewed(request, pk: int):
    """static/js/lecture.js posts once when a lecture's recording starts playing: one view
    more for that lecture today (only the number is kept, never who watched)."""
    from cms.models import LecturePage

    lecture = LecturePage.objects.live().filter(pk=pk).first()
    if lecture is None:
        raise Http404("No such lecture")
    lecture_view_record(lecture=lecture)
    return HttpResponse(status=204)


@require_GET
def media_file(request, path: str):
    """A public upload (a lecture's video, an image) from MEDIA_ROOT, answering `Range` so
    the player can seek. In production nginx serves /media/ itself and this is not reached.
    """
    try:
        fullpath = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
    except SuspiciousFileOperation:  # a path that leaves MEDIA_ROOT
        raise Http404("No such file") from None
    if not fullpath.is_file():
        raise Http404("No such file")
    mtime = fullpath.stat().st_mtime
    if not was_modified_since(request.headers.get("If-Modified-Since"), mtime):
        return HttpResponseNotModified()
    content_type, encoding = mimetypes.guess_type(fullpath.name)
    response = ranged_file_response(
        request,
        file=fullpath.open("rb"),
        content_type=content_type or "application/octet-stream",
        last_modified=mtime,
    )
    if encoding:
        response["Content-Encoding"] = encoding
    return response


def captions(request, document_id: int):
    """A WebVTT captions file served as text/vtt, which <track> elements require."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document.file.name.lower().endswith(".vtt"):
        raise Http404("No such captions track")
    with document.file.open("rb") as fh:
        body = fh.read()
    response = HttpResponse(body, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def search(request):
    """Search the site's live pages: courses, modules, lectures, guides and resources."""
    query = request.GET.get("q", "").strip()
    if len(query) > SEARCH_MAX_LENGTH:
        return render(
            request,
            "cms/search.html",
            {"query": query[:SEARCH_MAX_LENGTH], "too_long": True, "max_length": SEARCH_MAX_LENGTH},
            status=400,
        )
    paginator = Paginator(search_pages(query=query, user=request.user), SEARCH_PAGE_SIZE)
    results = paginator.get_page(request.GET.get("page"))
    hits = [
        {
            "page": page,
            "type": page.specific_class._meta.verbose_name if page.specific_class else "",
            "snippet": search_snippet(page=page),
        }
        for page in results
    ]
    return render(
        request,
        "cms/search.html",
        {
            "query": query,
            "results": results,
            "hits": hits,
            "count": paginator.count if query else 0,
            "max_length": SEARCH_MAX_LENGTH,
        },
    )
