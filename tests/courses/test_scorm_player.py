"""Taking a package module: starting, the package's files, the player's commits and the
module's (and course's) completion through the one completion service."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Completion, ModuleProgress, ScormAttempt, ScormScoData
from courses.selectors.scorm import scorm_attempt_token
from courses.services.scorm import ScormRefused, scorm_attempt_commit, scorm_attempt_start
from tests.courses.scorm_factories import (
    PAGE,
    manifest_2004,
    package_12_files,
    package_upload,
    scorm_module,
    zip_bytes,
)
from tests.factories import learner, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(home):
    return scorm_module(make_course(), zip_bytes(package_12_files(mastery=80)))


def _client(staff) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.user)
    client.get("/my/")  # sets the CSRF cookie
    return client


def _csrf(client) -> str:
    return client.cookies["csrftoken"].value


def cmi_12(status="incomplete", raw=None, suspend="", location="p1", exit=""):
    core = {"lesson_status": status, "lesson_location": location, "exit": exit}
    core["session_time"] = "00:01:30"
    core["total_time"] = "0000:00:00"
    if raw is not None:
        core["score"] = {"raw": str(raw), "min": "0", "max": "100"}
    return {"core": core, "suspend_data": suspend, "interactions": {}}


def _commit(client, attempt, *, sequence, cmi, token=None, sco="I1", raw_cmi=None):
    return client.post(
        reverse("courses:scorm_commit", args=[attempt.pk]),
        {
            "csrfmiddlewaretoken": _csrf(client),
            "token": token if token is not None else scorm_attempt_token(attempt=attempt),
            "sequence": sequence,
            "sco": sco,
            "cmi": raw_cmi if raw_cmi is not None else json.dumps(cmi),
        },
    )


def _state(attempt):
    attempt.refresh_from_db()
    rows = list(ScormScoData.objects.filter(attempt=attempt).values())
    return attempt.last_sequence, attempt.completed_at, rows


def test_start_is_a_post_and_the_page_shows_the_player(module):
    staff = learner()
    client = _client(staff)
    page = client.get(module.url)
    assert b"Start the e-learning" in page.content or b"scorm_start" not in page.content
    assert not ScormAttempt.objects.exists()  # a GET writes nothing
    response = client.post(
        reverse("courses:scorm_start", args=[module.pk]), {"csrfmiddlewaretoken": _csrf(client)}
    )
    assert response.status_code == 302
    attempt = ScormAttempt.objects.get(staff=staff)
    page = client.get(module.url)
    assert b'id="scorm-frame"' in page.content
    assert b'sandbox="allow-scripts allow-same-origin' in page.content
    assert b"scorm-player-data" in page.content
    assert b"<script>" not in page.content  # no inline script: the data is JSON
    assert attempt.version == module.scorm_package.current_version


def test_package_files_are_served_inline_to_the_learner_only(module):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)
    launch = client.get(reverse("courses:scorm_file", args=[attempt.pk, "index.html"]))
    assert launch.status_code == 200
    assert b"".join(launch.streaming_content) == PAGE
    assert launch["Content-Type"].startswith("text/html")
    assert "no-cache" in launch["Cache-Control"]
    assert "inline" in launch.get("Content-Disposition", "inline")
    assert "'unsafe-inline'" in launch["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in launch["Content-Security-Policy"]
    assert launch["X-Frame-Options"] == "SAMEORIGIN"
    asset = client.get(reverse("courses:scorm_file", args=[attempt.pk, "bild.svg"]))
    assert asset["Content-Type"].startswith("image/svg+xml")
    assert "max-age" in asset["Cache-Control"]
    # The rest of the site keeps its strict policy.
    assert (
        "'unsafe-inline'"
        not in client.get("/my/")["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    for missing in ["nothing.html", "../index.html", "imsmanifest.xml/../../x"]:
        url = f"/scorm/{attempt.pk}/{missing}"
        assert client.get(url).status_code == 404
    other = _client(learner())
    assert (
        other.get(reverse("courses:scorm_file", args=[attempt.pk, "index.html"])).status_code == 404
    )
    assert (
        Client().get(reverse("courses:scorm_file", args=[attempt.pk, "index.html"])).status_code
        == 404
    )


def test_commits_save_the_data_and_completion_follows_the_mastery_score(module):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)
    response = _commit(client, attempt, sequence=1, cmi=cmi_12(suspend="s1", exit="suspend"))
    assert response.status_code == 200, response.content
    row = ScormScoData.objects.get(attempt=attempt)
    assert (row.suspend_data, row.location, row.total_seconds) == ("s1", "p1", 90)
    # Passed by the package, but below our mastery score of 80: failed, not completed.
    response = _commit(client, attempt, sequence=2, cmi=cmi_12("passed", raw=70))
    assert response.json() == {"sequence": 2, "completed": False, "failed": True}
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()
    # Trying again opens a new attempt on the current version; the old one is kept.
    again = scorm_attempt_start(staff=staff, module=module)
    assert again.pk != attempt.pk
    response = _commit(client, again, sequence=1, cmi=cmi_12("passed", raw=85))
    assert response.json()["completed"] is True
    progress = ModuleProgress.objects.get(module=module)
    assert progress.completed_at is not None
    # The course has this one required module: it completes as every course does.
    assert Completion.objects.filter(staff=staff, course=module.get_parent()).count() == 1


def test_resume_data_comes_back_on_the_page(module):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)
    _commit(
        client, attempt, sequence=5, cmi=cmi_12(suspend="sida=2", exit="suspend", location="p2")
    )
    page = client.get(module.url).content.decode()
    data = json.loads(
        page.split('id="scorm-player-data" type="application/json">')[1].split("</script>")[0]
    )
    core = data["scos"][0]["cmi"]["core"]
    assert core["entry"] == "resume" and core["lesson_location"] == "p2"
    assert data["scos"][0]["cmi"]["suspend_data"] == "sida=2"
    assert data["sequence"] == 5


@pytest.mark.parametrize(
    "case",
    [
        "wrong token",
        "other token",
        "replay",
        "older",
        "suspend 1.2",
        "json",
        "not object",
        "status",
        "sco",
        "sequence",
    ],
)
def test_bad_commits_are_refused_and_change_nothing(module, case):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)
    assert _commit(client, attempt, sequence=10, cmi=cmi_12(suspend="keep")).status_code == 200
    before = _state(attempt)
    kwargs = {"sequence": 11, "cmi": cmi_12("passed", raw=99, suspend="changed")}
    if case == "wrong token":
        kwargs["token"] = "nonsense"
    elif case == "other token":
        other = scorm_attempt_start(staff=learner(), module=module)
        kwargs["token"] = scorm_attempt_token(attempt=other)
    elif case == "replay":
        kwargs["sequence"] = 10
    elif case == "older":
        kwargs["sequence"] = 3
    elif case == "suspend 1.2":
        kwargs["cmi"] = cmi_12(suspend="x" * 4097)
    elif case == "json":
        kwargs["raw_cmi"] = "{not json"
    elif case == "not object":
        kwargs["raw_cmi"] = "[1, 2]"
    elif case == "status":
        kwargs["cmi"] = cmi_12(status="finished")
    elif case == "sco":
        kwargs["sco"] = "NOPE"
    elif case == "sequence":
        kwargs["sequence"] = "abc"
    response = _commit(client, attempt, **kwargs)
    assert 400 <= response.status_code < 500, response.content
    assert "error" in response.json()
    assert _state(attempt) == before


def test_another_persons_attempt_is_not_found(module):
    owner = learner()
    attempt = scorm_attempt_start(staff=owner, module=module)
    intruder = _client(learner())
    response = _commit(intruder, attempt, sequence=1, cmi=cmi_12("passed", raw=99))
    assert response.status_code == 404
    assert not ScormScoData.objects.exists()


def test_commit_needs_the_csrf_token(module):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)
    response = client.post(
        reverse("courses:scorm_commit", args=[attempt.pk]),
        {"token": scorm_attempt_token(attempt=attempt), "sequence": 1, "sco": "I1", "cmi": "{}"},
    )
    assert response.status_code == 403
    assert not ScormScoData.objects.exists()


def test_2004_suspend_data_limit_and_multi_sco_completion(home):
    manifest = manifest_2004(
        items=(("A", "RA", "a.html"), ("B", "RB", "b.html")), base="content/", mastery=0.6
    )
    data = zip_bytes({"imsmanifest.xml": manifest, "content/a.html": PAGE, "content/b.html": PAGE})
    module = scorm_module(make_course(), data)
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)

    def cmi(score, suspend=""):
        return {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": str(score)},
            "suspend_data": suspend,
            "session_time": "PT2M",
            "interactions": {
                "0": {"id": "q1", "type": "choice", "learner_response": "b", "result": "correct"}
            },
        }

    assert (
        _commit(client, attempt, sequence=1, sco="A", cmi=cmi(0.5, "x" * 64001)).status_code == 400
    )
    assert (
        _commit(client, attempt, sequence=2, sco="A", cmi=cmi(0.9, "x" * 64000)).json()["completed"]
        is False
    )
    row = ScormScoData.objects.get(sco="A")
    assert row.interactions == [
        {"id": "q1", "type": "choice", "result": "correct", "response": "b"}
    ]
    assert _commit(client, attempt, sequence=3, sco="B", cmi=cmi(0.7)).json()["completed"] is True


def test_a_new_version_leaves_attempts_under_way_on_theirs(module):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    old = attempt.version
    new = package_upload(zip_bytes(package_12_files()), package=module.scorm_package)
    assert scorm_attempt_start(staff=staff, module=module).version == old
    assert scorm_attempt_start(staff=learner(), module=module).version == new


def _module_page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm Wagtail's site cache as the budgets of other pages do
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_package_module_page_within_the_query_budget(home):
    """The page type's budget (the learner pages' goal of 12), the same for one SCO and
    many, before and after starting."""
    counts = []
    for n in (1, 4):
        items = tuple((f"I{k}", f"R{k}", f"p{k}.html") for k in range(n))
        files = {f"p{k}.html": PAGE for k in range(n)}
        data = zip_bytes({"imsmanifest.xml": manifest_2004(items=items), **files})
        module = scorm_module(make_course(), data)
        staff = learner()
        client = _client(staff)
        before = _module_page_queries(client, module.url)
        attempt = scorm_attempt_start(staff=staff, module=module)
        for k in range(n):
            cmi = {"completion_status": "incomplete", "location": "x"}
            assert _commit(client, attempt, sequence=k + 1, sco=f"I{k}", cmi=cmi).status_code == 200
        counts.append((before, _module_page_queries(client, module.url)))
    assert counts[0] == counts[1]
    assert max(counts[0]) <= 12, counts


def test_my_data_lists_attempts_and_what_they_recorded(module):
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    client = _client(staff)
    _commit(client, attempt, sequence=1, cmi=cmi_12(suspend="min-data", location="p9"))
    text = client.get(reverse("courses:my_data")).content.decode()
    assert "min-data" in text and "p9" in text
    assert "min-data" not in _client(learner()).get(reverse("courses:my_data")).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_commits_keep_the_newest_and_complete_once(home, race):
    """Four commits of one attempt at the same moment (a tab's timer, the closing beacon, a
    second tab): the attempt keeps the highest sequence and its data, a commit older than
    what was already saved is refused, and the module is completed exactly once."""
    module = scorm_module(make_course(), zip_bytes(package_12_files(mastery=80)))
    staff = learner()
    attempt = scorm_attempt_start(staff=staff, module=module)
    token = scorm_attempt_token(attempt=attempt)

    def commit(sequence):
        def run():
            mine = ScormAttempt.objects.select_related("version", "staff").get(pk=attempt.pk)
            data = cmi_12(status="passed", raw=80 + sequence, location=f"p{sequence}")
            try:
                scorm_attempt_commit(
                    attempt=mine,
                    staff=mine.staff,
                    token=token,
                    sequence=sequence,
                    sco="I1",
                    cmi=data,
                )
            except ScormRefused as refused:
                return refused.status
            return 200

        return run

    statuses = race(*(commit(sequence) for sequence in (1, 2, 3, 4)))
    assert statuses[3] == 200  # the newest is never refused
    assert set(statuses) <= {200, 409}
    attempt.refresh_from_db()
    assert attempt.last_sequence == 4
    assert attempt.completed_at is not None
    row = ScormScoData.objects.get(attempt=attempt)
    assert (row.location, row.score_raw) == ("p4", 84)
    assert ModuleProgress.objects.filter(module=module, enrolment__staff=staff).count() == 1
    assert Completion.objects.filter(staff=staff).count() == 1
