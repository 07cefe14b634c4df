from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from wagtail.documents import get_document_model


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


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


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
