import pytest
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from tests.certificates.factories import issued
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/certificates/certificate/"


def test_coordinator_lists_searches_and_revokes_with_a_reason(client):
    certificate = issued()
    coordinator = UserFactory(roles=["Samordnare"])
    client.force_login(coordinator)
    listing = client.get(LIST, {"q": certificate.holder_name.split()[0]})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert certificate.holder_name in html
    revoke_url = f"{LIST}revoke/{certificate.pk}/"
    assert revoke_url in html

    assert client.get(revoke_url).status_code == 200
    missing = client.post(revoke_url, {"reason": "  "})
    assert missing.status_code == 200  # the form again, with its error
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    done = client.post(revoke_url, {"reason": "Registrerades på fel person"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == coordinator
    entry = ModelLogEntry.objects.get(action="certificates.revoke", object_id=certificate.pk)
    assert entry.user_id == coordinator.pk
    assert str(entry.message) == "Kursintyg återkallat"
    assert client.get(f"{LIST}inspect/{certificate.pk}/").status_code == 200


def test_staff_and_editors_cannot_revoke(client):
    certificate = issued()
    for role in ("Medarbetare", "Redaktörer", "Chefer"):
        client.force_login(UserFactory(roles=[role]))
        client.post(f"{LIST}revoke/{certificate.pk}/", {"reason": "x"})
        certificate.refresh_from_db()
        assert certificate.revoked_at is None


def test_nobody_adds_copies_or_edits_a_certificate_in_the_admin(client):
    """Not even a superuser: the edit form used to fail with a server error on the PDF."""
    certificate = issued()
    client.force_login(UserFactory(is_superuser=True))
    for url in (f"{LIST}add/", f"{LIST}edit/{certificate.pk}/", f"{LIST}copy/{certificate.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    assert client.get(f"{LIST}inspect/{certificate.pk}/").status_code == 200
    assert client.get(LIST).status_code == 200
