"""The course's completion mode is obeyed everywhere; a course required for nobody has no
coverage in any entry point."""

import importlib
import io
from contextlib import redirect_stdout

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from courses.models import Completion, CoursePage, Session
from courses.services.session_attendance import attendance_mark
from tests.factories import TargetGroupFactory, UserFactory, learner, make_course
from tests.sessions.factories import running_session

pytestmark = pytest.mark.django_db

MODULES = CoursePage.CompletionMode.MODULES


def _legacy_session(course):
    """A session saved before the rule: it says attending completes a modules-only course."""
    session = running_session(course=make_course(completion_mode="either"))
    Session.objects.filter(pk=session.pk).update(course=course)
    session.refresh_from_db()
    return session


def test_attendance_completes_a_course_only_when_the_course_allows_it(home):
    modules_only = make_course(completion_mode=MODULES)
    session = _legacy_session(modules_only)
    assert session.completes_course
    person = learner()
    attendance = attendance_mark(
        session=session, staff=person, status="present", by=UserFactory(roles=["Samordnare"])
    )
    assert attendance.status == "present"  # attendance is still recorded
    assert attendance.completion is None
    assert not Completion.objects.exists()


@pytest.mark.parametrize("mode", ["session", "either"])
def test_attendance_completes_a_course_that_allows_it(home, mode):
    session = running_session(course=make_course(completion_mode=mode))
    attendance = attendance_mark(
        session=session, staff=learner(), status="present", by=UserFactory(roles=["Samordnare"])
    )
    assert attendance.completion is not None


def test_session_clean_refuses_completing_a_modules_only_course(home):
    session = _legacy_session(make_course(completion_mode=MODULES))
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "completes_course" in refused.value.message_dict
    session.completes_course = False
    session.full_clean()


def test_the_data_migration_reports_sessions_that_break_the_rule_and_changes_nothing(home):
    bad = _legacy_session(make_course(completion_mode=MODULES, title="Bara moduler"))
    good = running_session(course=make_course(completion_mode="either"))
    migration = importlib.import_module(
        "courses.migrations.0003_report_sessions_that_cannot_complete"
    )
    out = io.StringIO()
    with redirect_stdout(out):
        migration.report(apps, None)
    text = out.getvalue()
    assert f"session {bad.pk}:" in text and "Bara moduler" in text
    assert f"session {good.pk}:" not in text
    bad.refresh_from_db()
    assert bad.completes_course  # reported, not silently changed


# ---------------------------------------------------------------------------- required for nobody


@pytest.fixture
def two_courses(home):
    group = TargetGroupFactory()
    learner(target_groups=[group])
    required = make_course(required_for=[group], title="Obligatorisk", slug="obligatorisk")
    nobody = make_course(title="Frivillig", slug="frivillig")
    return required, nobody


def test_a_course_required_for_nobody_is_in_no_coverage_export(client, two_courses):
    required, nobody = two_courses
    client.force_login(UserFactory(roles=["Samordnare"]))
    page = client.get("/reports/coverage/").content.decode()
    assert "Obligatorisk" in page and "Frivillig" not in page
    for fmt in ("csv", "json"):
        body = client.get(f"/reports/coverage/export/{fmt}/").content.decode("utf-8-sig")
        assert "obligatorisk" in body and "frivillig" not in body, fmt
    out = io.StringIO()
    call_command("coverage_report", "--format", "json", stdout=out)
    assert "obligatorisk" in out.getvalue() and "frivillig" not in out.getvalue()


def test_asking_for_a_course_required_for_nobody_is_refused_with_the_same_reason(
    client, two_courses
):
    _required, nobody = two_courses
    client.force_login(UserFactory(roles=["Samordnare"]))
    for url in (
        f"/reports/coverage/?course={nobody.slug}",
        f"/reports/coverage/export/csv/?course={nobody.slug}",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "inte obligatorisk för någon målgrupp" in response.content.decode(), url
    with pytest.raises(CommandError, match="inte obligatorisk för någon målgrupp"):
        call_command("coverage_report", "--format", "json", "--course", nobody.slug)
