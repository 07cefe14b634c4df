"""make bench: issue 200 certificates in a row, against plain WeasyPrint on the same HTML.

Each round issues one certificate the way production does (the row, then the render task
through django_tasks, storing the PDF and its hash) and, right after it, renders the same
page with plain WeasyPrint (HTML + stylesheet from the file, no app code, no caches), so that
load from elsewhere on the machine hits both sides alike.
"""

import statistics
import time

import pytest
from django.utils import timezone
from weasyprint import CSS, HTML

from certificates.models import Certificate
from certificates.pdf import PDF_VARIANT, STYLESHEET, certificate_html
from certificates.services import certificate_issue
from courses.services.learning import completion_record
from tests.factories import learner, make_course

ROUNDS = 200
WARMUP = 3


def _plain_weasyprint(html: str) -> bytes:
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant=PDF_VARIANT
    )


@pytest.mark.bench
@pytest.mark.django_db
def test_certificate_bench(django_capture_on_commit_callbacks):
    staff = learner(first_name="Maja", last_name="Lind")
    course = make_course(title="Grundutbildning om våldsbejakande extremism", validity_months=36)
    completions = [
        completion_record(staff=staff, course=course, completed_on=day, method="online")
        for day in [timezone.localdate()] * (ROUNDS + WARMUP)
    ]

    def issue(completion) -> Certificate:
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_issue(completion=completion)
        return certificate

    for completion in completions[:WARMUP]:
        issue(completion)
    sample = Certificate.objects.get(completion=completions[0])
    html = certificate_html(certificate=sample)
    _plain_weasyprint(html)

    app_ms, plain_ms = [], []
    for completion in completions[WARMUP:]:
        started = time.perf_counter()
        certificate = issue(completion)
        app_ms.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        _plain_weasyprint(html)
        plain_ms.append((time.perf_counter() - started) * 1000)
        assert certificate.pk

    stored = Certificate.objects.filter(completion__in=completions).exclude(pdf="").count()
    assert stored == ROUNDS + WARMUP
    app, plain = statistics.median(app_ms), statistics.median(plain_ms)
    print(f"\nBENCH certificate_ms {app:.1f} ms")
    print(f"BENCH certificate_vs_weasyprint {app / plain:.2f} x")
    assert app < 300, f"a warm certificate took {app:.0f} ms (goal < 300 ms)"
    assert app / plain <= 1.15, f"app/plain = {app / plain:.2f} (goal <= 1.15)"
