"""Certificate views: public verification, the learner's own, managers' downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certificates.codes import code_format, code_normalise
from certificates.forms import BulkFilterForm, VerifyForm
from certificates.hook_handlers import learner_panel
from certificates.selectors import (
    certificate_by_code,
    certificate_for_download,
    certificates_for_bulk,
    certificates_visible_to,
    user_may_manage_certificates,
)
from certificates.services import certificate_pdf_ensure
from certificates.zipstream import zip_stream
from cms.private_files import private_file_response
from cms.ratelimit import rate_limited
from courses.selectors.organisation import staff_for_user, units_visible_to

# ---------------------------------------------------------------------------- public


@require_GET
def verify(request):
    """The verification form; a well-formed code goes on to its own address (where each
    look-up counts towards the rate limit: opening this form does not)."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify_code", code=code_format(form.cleaned_data["code"]))
    status = 400 if form.is_bound else 200
    template = "certificates/certificate_verify_form.html"
    return render(request, template, {"form": form}, status=status)


@require_GET
@rate_limited("verify")
def verify_code(request, code: str):
    """Name, course, completion date and status - and nothing else about the person."""
    normalised = code_normalise(code)
    if normalised is not None and code != code_format(normalised):
        return redirect("certificates:verify_code", code=code_format(normalised))
    certificate = certificate_by_code(raw_code=code)
    if certificate is None:
        return render(
            request,
            "certificates/certificate_unknown.html",
            {"code": code, "form": VerifyForm()},
            status=404,
        )
    return render(
        request,
        "certificates/certificate_verify.html",
        {"certificate": certificate, "status": certificate.status_on(timezone.localdate())},
    )


# ---------------------------------------------------------------------------- signed in


def _download_name(certificate) -> str:
    staff = certificate.completion.staff
    parts = [staff.last_name, staff.first_name, certificate.course_title]
    stem = "-".join(slugify(part) for part in parts if part) or "intyg"
    return f"{stem}-{certificate.completion.completed_on:%Y%m%d}-{certificate.code}.pdf"


@login_required
def download(request, pk: int):
    """The stored PDF, byte for byte as issued (rendered again from the issued HTML should
    its file be gone from storage). 404 for anyone who may not have it."""
    certificate = certificate_for_download(user=request.user, certificate_id=pk)
    if certificate is None:
        raise Http404(_("No such certificate"))
    certificate = certificate_pdf_ensure(certificate=certificate, check_file=True)
    return private_file_response(
        request=request,
        file=certificate.pdf,
        filename=_download_name(certificate),
        content_type="application/pdf",
    )


@login_required
def mine(request):
    """The signed-in person's own certificates (the same list /my/ shows)."""
    staff = staff_for_user(user=request.user)
    panel = learner_panel(request, staff) if staff else ""
    context = {
        "panel": panel,
        "staff": staff,
        "may_manage": user_may_manage_certificates(user=request.user),
    }
    return render(request, "certificates/certificate_list.html", context)


def _manager_form(request):
    if not user_may_manage_certificates(user=request.user):
        raise Http404(_("No such page"))
    return BulkFilterForm(request.GET or None, units=units_visible_to(user=request.user))


@login_required
def staff_list(request):
    """A manager's or coordinator's view of their staff's certificates."""
    form = _manager_form(request)
    if form.is_bound and not form.is_valid():
        certificates = certificates_visible_to(user=request.user).none()
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        course = data.get("course")
        certificates = certificates_for_bulk(
            user=request.user,
            unit_code=data.get("unit") or "",
            course_id=course.pk if course else None,
        )
        status = 200
    return render(
        request,
        "certificates/certificate_staff_list.html",
        {
            "form": form,
            "certificates": certificates[:500],
            "total": certificates.count(),
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@login_required
def staff_zip(request):
    """All the manager's staff's certificates (optionally narrowed) as a streamed zip."""
    form = _manager_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(_("Unknown unit or course."))
    data = form.cleaned_data if form.is_bound else {}
    course = data.get("course")
    certificates = certificates_for_bulk(
        user=request.user,
        unit_code=data.get("unit") or "",
        course_id=course.pk if course else None,
    )

    def entries():
        for certificate in certificates.iterator(chunk_size=200):
            stored = certificate_pdf_ensure(certificate=certificate)
            issued = timezone.localtime(stored.issued_at)
            yield (
                _download_name(stored),
                (issued.year, issued.month, issued.day, issued.hour, issued.minute, 0),
                lambda stored=stored: stored.pdf.open("rb"),
            )

    response = StreamingHttpResponse(zip_stream(entries()), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="intyg-{stamp}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
