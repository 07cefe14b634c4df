"""The demo step that gives every completion in the demo its certificate."""

import pytest
from django.core.files.base import ContentFile

from certificates.models import Certificate
from demo.certificates import seed_certificates
from tests.certificates.factories import completed, issued
from tests.factories import StaffMemberFactory, UnitFactory, learner, make_course

pytestmark = pytest.mark.django_db


def test_demo_step_issues_missing_certificates_idempotently():
    unit = UnitFactory()
    issued(completed(learner(unit=unit), make_course(title="Grundutbildning")))
    completion = completed(learner(unit=unit), make_course(title="Demo"))
    hr_only = completed(StaffMemberFactory(unit=unit), make_course(title="Import"))
    assert seed_certificates() == 2
    assert seed_certificates() == 0
    assert Certificate.objects.get(completion=completion).pdf
    # Staff without an account get their PDF on first download.
    assert not Certificate.objects.get(completion=hr_only).pdf
    stored = Certificate.objects.get(completion=completion)
    stored.pdf.save("x.pdf", ContentFile(b"unchanged"), save=True)  # the demo never re-renders
    seed_certificates()
    with Certificate.objects.get(completion=completion).pdf.open("rb") as fh:
        assert fh.read() == b"unchanged"


def test_demo_step_prints_every_issued_certificate_not_only_its_own():
    """Completions get their certificate through a task at once, so the step itself often
    issues none: the line it prints must still count the certificates that exist."""
    import io

    unit = UnitFactory()
    issued(completed(learner(unit=unit), make_course(title="Grundutbildning")))
    out = io.StringIO()
    assert seed_certificates(stdout=out) == 0
    assert "Certificates: 1 issued" in out.getvalue()
