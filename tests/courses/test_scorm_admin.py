"""Editors upload SCORM packages in the admin and see what unpacking found; coordinators
reset a person's attempt with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from courses.models import ModulePage, ScormAttempt, ScormPackage
from courses.roles import COORDINATOR, EDITOR
from courses.services.scorm import scorm_attempt_start
from tests.courses.scorm_factories import package_12_files, scorm_module, zip_bytes
from tests.factories import UserFactory, learner, make_course, make_module

pytestmark = pytest.mark.django_db


def test_editor_uploads_a_package_and_sees_its_version(
    client, home, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(roles=[EDITOR]))
    upload = SimpleUploadedFile("paket.zip", zip_bytes(package_12_files()), "application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_courses_scormpackage:add"),
            {"title": "Rapporteringsrutinen", "upload": upload},
        )
    assert response.status_code == 302, response.content[:2000]
    package = ScormPackage.objects.get()
    assert package.current_version.number == 1
    version = package.current_version
    page = client.get(
        reverse("wagtailsnippets_courses_scormpackageversion:inspect", args=[version.pk])
    )
    assert page.status_code == 200
    assert b"index.html" in page.content


def test_a_new_package_needs_a_zip(client, home):
    client.force_login(UserFactory(roles=[EDITOR]))
    response = client.post(reverse("wagtailsnippets_courses_scormpackage:add"), {"title": "X"})
    assert response.status_code == 200
    assert not ScormPackage.objects.exists()


def test_a_scorm_module_needs_a_package(home):
    course = make_course()
    with translation.override("en"), pytest.raises(ValidationError, match="needs a package"):
        make_module(course, rule=ModulePage.Rule.SCORM)


def test_coordinator_resets_an_attempt_with_a_reason(client, home):
    module = scorm_module(make_course())
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    coordinator = UserFactory(roles=[COORDINATOR])
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_courses_scormattempt:reset", args=[attempt.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200
    attempt.refresh_from_db()
    assert attempt.closed_at is None
    response = client.post(url, {"reason": "Fastnade i paketet"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.close_reason == "Fastnade i paketet" and attempt.closed_by == coordinator
    assert scorm_attempt_start(staff=staff, module=module).pk != attempt.pk
    assert ScormAttempt.objects.filter(staff=staff).count() == 2


def test_editors_cannot_reset_attempts(client, home):
    module = scorm_module(make_course())
    attempt = scorm_attempt_start(staff=learner(), module=module)
    client.force_login(UserFactory(roles=[EDITOR]))
    url = reverse("wagtailsnippets_courses_scormattempt:reset", args=[attempt.pk])
    response = client.post(url, {"reason": "x"})
    assert response.status_code in {302, 403}
    attempt.refresh_from_db()
    assert attempt.closed_at is None


def test_package_statistics_and_their_export(client, home):
    import json

    from courses.selectors.scorm import scorm_attempt_token
    from courses.services.scorm import scorm_attempt_commit

    module = scorm_module(make_course())
    for status, raw, answer in [
        ("passed", 90, "b"),
        ("failed", 20, "a"),
        ("incomplete", None, "b"),
    ]:
        staff = learner()
        attempt = scorm_attempt_start(staff=staff, module=module)
        core = {"lesson_status": status, "session_time": "00:01:00"}
        if raw is not None:
            core["score"] = {"raw": str(raw)}
        cmi = {"core": core, "interactions": {"0": {"id": "q1", "student_response": answer}}}
        scorm_attempt_commit(
            attempt=attempt,
            staff=staff,
            token=scorm_attempt_token(attempt=attempt),
            sequence=1,
            sco="I1",
            cmi=json.loads(json.dumps(cmi)),
        )
    client.force_login(UserFactory(roles=[EDITOR]))
    url = reverse("wagtailsnippets_courses_scormpackage:statistics", args=[module.scorm_package.pk])
    page = client.get(url)
    assert page.status_code == 200
    [stats] = page.context["statistics"]
    assert (stats.attempts, stats.completed, stats.failed) == (3, 1, 1)
    assert stats.pass_rate == 0.5 and stats.average_score == 55
    assert [(s.response, s.count) for s in stats.interactions[0][1]] == [("b", 2), ("a", 1)]
    export = client.get(url + "?export=csv")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    assert "q1" in export.content.decode("utf-8-sig")
    client.force_login(learner().user)
    assert client.get(url).status_code in {302, 403}
