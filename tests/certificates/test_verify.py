import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_revoke
from cms.ratelimit import LIMIT
from tests.certificates.factories import completed, issued
from tests.factories import UserFactory, learner, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _certificate(*, completed_on, validity_months=None, **staff_fields):
    course = make_course(title="Grundutbildning", validity_months=validity_months)
    staff = learner(first_name="Maja", last_name="Lind", **staff_fields)
    return issued(completed(staff, course, completed_on=completed_on))


def test_valid_certificate_shows_name_course_date_status_and_nothing_else(client):
    staff_fields = {"email": "maja.lind@example.test", "employee_number": "E123456"}
    certificate = _certificate(completed_on=datetime.date(2026, 3, 2), **staff_fields)
    response = client.get(f"/certificates/verify/{certificate.display_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maja Lind" in html
    assert "Grundutbildning" in html
    assert "2 mars 2026" in html
    assert "Giltigt" in html and "äkta och giltigt" in html
    for private in ("maja.lind@example.test", "E123456", certificate.completion.staff.unit.name):
        assert private not in html


def test_code_is_checked_case_insensitively_and_without_dashes(client):
    certificate = _certificate(completed_on=datetime.date(2026, 3, 2))
    sloppy = certificate.code.lower()
    response = client.get(f"/certificates/verify/{sloppy}/")
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/verify/{certificate.display_code}/"
    form = client.get("/certificates/verify/", {"code": " " + certificate.code.lower() + " "})
    assert form["Location"] == f"/certificates/verify/{certificate.display_code}/"


def test_expired_certificate_says_expired(client):
    certificate = _certificate(completed_on=datetime.date(2020, 1, 15), validity_months=12)
    assert certificate.completion.valid_until < timezone.localdate()
    html = client.get(f"/certificates/verify/{certificate.display_code}/").content.decode()
    assert "Utgånget" in html and "gått ut" in html


def test_revoked_certificate_says_revoked(client):
    certificate = _certificate(completed_on=datetime.date(2026, 3, 2))
    certificate_revoke(certificate=certificate, by=None, reason="Registrerad av misstag")
    html = client.get(f"/certificates/verify/{certificate.display_code}/").content.decode()
    assert "Återkallat" in html and "har återkallats" in html
    assert "Registrerad av misstag" not in html  # the reason is for the audit log only


def test_unknown_code_is_a_styled_404_with_a_clear_message(client):
    response = client.get("/certificates/verify/ABCD-EFGH-JKMN-PQRS/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Intyget hittades inte" in html
    assert "ABCD-EFGH-JKMN-PQRS" in html
    assert '<main id="main"' in html
    garbage = client.get("/certificates/verify/not-a-code/")
    assert garbage.status_code == 404


def test_malformed_code_in_the_form_is_a_400_with_the_error_by_the_field(client):
    response = client.get("/certificates/verify/", {"code": "ABC"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "16 bokstäver och siffror" in html
    assert 'aria-invalid="true"' in html
    assert client.get("/certificates/verify/").status_code == 200


def test_verification_is_rate_limited_per_client(client, one_rate_limit_window):
    for _ in range(LIMIT):
        response = client.get("/certificates/verify/ABCD-EFGH-JKMN-PQRS/")
        assert response.status_code == 404
    blocked = client.get("/certificates/verify/ABCD-EFGH-JKMN-PQRS/")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "För många förfrågningar" in blocked.content.decode()
    # The empty form is not a look-up: it still opens, and counts for nothing.
    assert client.get("/certificates/verify/").status_code == 200
    # Another client is not affected.
    other = client.get("/certificates/verify/ABCD-EFGH-JKMN-PQRS/", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 404


def test_opening_the_verification_form_does_not_use_up_the_limit(client, one_rate_limit_window):
    for _ in range(LIMIT + 5):
        assert client.get("/certificates/verify/").status_code == 200
    assert client.get("/certificates/verify/ABCD-EFGH-JKMN-PQRS/").status_code == 404


def test_revocation_is_audit_logged_and_needs_a_reason():
    from wagtail.models import ModelLogEntry

    certificate = _certificate(completed_on=datetime.date(2026, 3, 2))
    coordinator = UserFactory(roles=["Samordnare"])
    with pytest.raises(ValueError):
        certificate_revoke(certificate=certificate, by=coordinator, reason="   ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    certificate_revoke(certificate=certificate, by=coordinator, reason="Fel person")
    certificate_revoke(certificate=certificate, by=coordinator, reason="Igen")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoke_reason == "Fel person"
    entries = ModelLogEntry.objects.filter(action="certificates.revoke", object_id=certificate.pk)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user_id == coordinator.pk
    assert entry.data["reason"] == "Fel person"
