"""The demo at scale (`seed_demo --staff N`): synthetic staff and scale courses, made once;
and the load test's accounts (`seed_demo --staff N --load-accounts M`): learners linked to
synthetic staff, managers of synthetic departments and a coordinator, made once; and the
sessions the load test gives most of its simulated people, which sign them in.

Both start from one `seed_demo --staff 600` for the module: building it takes minutes on
PostgreSQL. The load-test accounts are then added to it, as `make loadtest` does to a demo
that is already there."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certificates.models import Certificate
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ManagerResponsibility,
    StaffMember,
    Unit,
)
from courses.roles import COORDINATOR, MANAGER
from demo.scale import SCALE_COURSES, load_account_sessions
from tests.conftest import demo_seeded_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """`seed_demo --staff 600` once for the module; what it printed."""
    yield from demo_seeded_once(django_db_blocker, "--staff", "600")


def test_seed_demo_adds_synthetic_staff_and_scale_courses_in_bulk_once(scaled):
    out = scaled
    synthetic = StaffMember.objects.filter(employee_number__startswith="S")
    assert synthetic.count() == 600
    assert Unit.objects.filter(code__startswith="SYN-", kind="unit").count() == 5
    assert Unit.objects.get(code="SYN-000").parent.code == "HL"
    assert "synthetic staff: 600/600" in out
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


def test_load_accounts_are_made_once_and_their_sessions_sign_them_in(client, scaled):
    out = io.StringIO()
    call_command("seed_demo", "--staff", "600", "--load-accounts", "20", stdout=out)
    assert "Load-test accounts: {'learners': 20, 'managers': 1, 'coordinators': 1}" in (
        out.getvalue()
    )
    users = get_user_model().objects.filter(username__startswith="last")
    learners = StaffMember.objects.filter(user__username__startswith="last0")
    assert learners.count() == 20
    assert not learners.filter(employment_end__isnull=False).exists()
    assert all(p.employee_number.startswith("S") for p in learners)
    manager = users.get(username="lastchef01")
    assert manager.groups.filter(name=MANAGER).exists()
    assert ManagerResponsibility.objects.get(user=manager).unit.code.startswith("SYN-")
    assert users.get(username="lastsamordnare").groups.filter(name=COORDINATOR).exists()
    certificates = Certificate.objects.filter(completion__staff__in=learners).count()
    assert certificates > 0

    counts = (users.count(), ManagerResponsibility.objects.count(), learners.count())
    call_command("seed_demo", "--staff", "600", "--load-accounts", "20", stdout=io.StringIO())
    assert (users.count(), ManagerResponsibility.objects.count(), learners.count()) == counts

    sessions = load_account_sessions()
    assert set(sessions) == set(users.values_list("username", flat=True))
    client.cookies["sessionid"] = sessions["last0001"]
    response = client.get("/my/")
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "last0001"
