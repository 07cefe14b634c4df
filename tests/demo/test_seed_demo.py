import datetime
import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from cms.models import ConcernContact, HomePage
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ManagerResponsibility,
    StaffMember,
    TargetGroup,
    Unit,
)
from courses.roles import COORDINATOR, EDITOR, MANAGER, STAFF
from courses.selectors.history import staff_groups_on
from demo.scale import SCALE_COURSES

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


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first[1] >= 150


@pytest.mark.django_db
def test_demo_logins_work_and_have_their_roles(rf):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    for username, role in DEMO_LOGINS.items():
        user = authenticate(rf.post("/accounts/login/"), username=username, password="demo1234")
        assert user is not None, username
        assert user.groups.filter(name=role).exists()
        assert username in out.getvalue()
    admin = authenticate(rf.post("/accounts/login/"), username="admin", password="demo1234")
    assert admin.is_superuser


@pytest.mark.django_db
def test_demo_organisation_has_the_districts_shape():
    call_command("seed_demo", stdout=io.StringIO())
    social = Unit.objects.get(code="HL-SO")
    assert social.parent.code == "HL"
    assert {u.code for u in social.children.all()} >= {"HL-SO-BUM", "HL-SO-FSM"}
    sam = StaffMember.objects.get(user__username="socialsekreterare")
    assert sam.unit.code == "HL-SO-BUM"
    today = datetime.date.today()
    intake = TargetGroup.objects.get(code="mottagning")
    assert intake.pk in staff_groups_on(staff=sam, day=today)
    assert ManagerResponsibility.objects.get(user__username="chef").unit == social


@pytest.mark.django_db
def test_seed_demo_adds_synthetic_staff_and_scale_courses_in_bulk_once():
    out = io.StringIO()
    call_command("seed_demo", "--staff", "600", stdout=out)
    synthetic = StaffMember.objects.filter(employee_number__startswith="S")
    assert synthetic.count() == 600
    assert Unit.objects.filter(code__startswith="SYN-", kind="unit").count() == 5
    assert Unit.objects.get(code="SYN-000").parent.code == "HL"
    assert "synthetic staff: 600/600" in out.getvalue()
    courses = CoursePage.objects.filter(slug__startswith="skala-")
    assert courses.count() == len(SCALE_COURSES) == 20
    assert all(c.required_for.exists() for c in courses)
    assert {c.validity_months for c in courses} >= {None, 12, 24, 36}
    records = Completion.objects.filter(course__in=courses)
    assert records.count() > 1000 and set(records.values_list("note", flat=True)) == {"demo"}
    counts = (records.count(), Enrolment.objects.count())
    call_command("seed_demo", "--staff", "600", stdout=io.StringIO())
    assert synthetic.count() == 600
    assert all(s.group_memberships.exists() for s in synthetic[:50])
    assert courses.count() == 20
    assert (records.count(), Enrolment.objects.count()) == counts


@pytest.mark.django_db
def test_demo_staff_member_downloads_the_basic_course_certificate_from_my_page(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="medarbetare"))
    page = client.get("/my/").content.decode()
    links = re.findall(r'<a href="([^"]+)">Kursintyg för ([^<]+)</a>', page)
    assert [title for _href, title in links] == ["Grundutbildning om våldsbejakande extremism"]
    response = client.get(links[0][0])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")


@pytest.mark.django_db
def test_demo_home_page_links_to_the_catalogue_and_counts_certificates_truly(client):
    from certificates.models import Certificate

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    main = client.get("/").content.decode().split('<main id="main"', 1)[1].split("</main>")[0]
    assert 'href="/utbildningar/"' in main
    issued = Certificate.objects.count()
    assert issued > 0
    assert f"Certificates: {issued} issued" in out.getvalue()
