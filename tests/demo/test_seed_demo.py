import datetime
import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from cms.models import ConcernContact, HomePage
from courses.models import (
    ManagerResponsibility,
    StaffMember,
    TargetGroup,
    Unit,
)
from courses.roles import COORDINATOR, EDITOR, MANAGER, STAFF
from courses.selectors.history import staff_groups_on
from tests.conftest import demo_seeded_once

DEMO_LOGINS = {
    "medarbetare": STAFF,
    "socialsekreterare": STAFF,
    "chef": MANAGER,
    "redaktor": EDITOR,
    "samordnare": COORDINATOR,
}


def _counts():
    return (
        Unit.objects.count(),
        StaffMember.objects.count(),
        TargetGroup.objects.count(),
        ManagerResponsibility.objects.count(),
        get_user_model().objects.count(),
        HomePage.objects.count(),
        ConcernContact.objects.count(),
    )


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module (each test still sees it untouched by the
    others): what `seed_demo` printed, and the counts right after it."""
    for out in demo_seeded_once(django_db_blocker):
        with django_db_blocker.unblock():
            counts = _counts()
        yield out, counts


def test_seed_demo_is_idempotent(seeded):
    _out, first = seeded
    assert _counts() == first
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first[1] >= 150


def test_demo_logins_work_and_have_their_roles(rf, seeded):
    out, _ = seeded
    for username, role in DEMO_LOGINS.items():
        user = authenticate(rf.post("/accounts/login/"), username=username, password="demo1234")
        assert user is not None, username
        assert user.groups.filter(name=role).exists()
        assert username in out
    admin = authenticate(rf.post("/accounts/login/"), username="admin", password="demo1234")
    assert admin.is_superuser


def test_demo_organisation_has_the_districts_shape(seeded):
    social = Unit.objects.get(code="HL-SO")
    assert social.parent.code == "HL"
    assert {u.code for u in social.children.all()} >= {"HL-SO-BUM", "HL-SO-FSM"}
    sam = StaffMember.objects.get(user__username="socialsekreterare")
    assert sam.unit.code == "HL-SO-BUM"
    today = datetime.date.today()
    intake = TargetGroup.objects.get(code="mottagning")
    assert intake.pk in staff_groups_on(staff=sam, day=today)
    assert ManagerResponsibility.objects.get(user__username="chef").unit == social


def test_demo_staff_member_downloads_the_basic_course_certificate_from_my_page(client, seeded):
    client.force_login(get_user_model().objects.get(username="medarbetare"))
    page = client.get("/my/").content.decode()
    links = re.findall(r'<a href="([^"]+)">Kursintyg för ([^<]+)</a>', page)
    assert [title for _href, title in links] == ["Grundutbildning om våldsbejakande extremism"]
    response = client.get(links[0][0])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")


def test_demo_home_page_links_to_the_catalogue_and_counts_certificates_truly(client, seeded):
    from certificates.models import Certificate

    out, _ = seeded
    main = client.get("/").content.decode().split('<main id="main"', 1)[1].split("</main>")[0]
    assert 'href="/utbildningar/"' in main
    issued = Certificate.objects.count()
    assert issued > 0
    assert f"Certificates: {issued} issued" in out
