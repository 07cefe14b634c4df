"""Mina uppgifter (/my/data/): every record about the person, on the page, as JSON and PDF.

The completeness test creates one record of every kind in the register and finds each in
all three; and it fails when a model that points at a person (a user or a staff record,
directly or through another such model) is neither in the register nor excluded below
with a reason.
"""

import io
import json
from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from courses.models import (
    Attendance,
    CoordinatorScope,
    DigestOptOut,
    ExternalAccount,
    FollowupFile,
    HrImport,
    ManagerResponsibility,
    Notice,
    ReflectionAnswer,
    Registration,
    Reminder,
    ScormScoData,
    StaffMember,
    TargetGroupMember,
)
from courses.reports.followup import period_parse
from courses.selectors.personal_data import personal_data_kinds
from courses.services.followup import followup_adopt
from courses.services.learning import module_confirm_read
from courses.services.scorm import scorm_attempt_start
from quizzes.models import Attempt, AttemptQuestion, PollAnswer, PollResponse
from tests.certificates.factories import completed, issued
from tests.courses.learner_factories import reflection_module
from tests.courses.scorm_factories import scorm_module
from tests.factories import TargetGroupFactory, UserFactory, learner, make_course
from tests.quizzes.factories import make_poll, make_test, module_with_test
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db

# Apps whose models point at users but are not the product's records about a person.
EXCLUDED_APPS = {
    "wagtailcore": "Wagtail's audit trail of editors' work (page owners, revisions, logs, "
    "workflow, comments): about editing the site, kept by the CMS, seen in its admin",
    "wagtailadmin": "Wagtail's editing sessions and unsaved form state: transient",
    "wagtailusers": "an editor's admin preferences (language, theme), shown in the admin",
    "wagtaildocs": "who uploaded a public document: editorial work",
    "wagtailimages": "who uploaded a public image: editorial work",
    "wagtailmedia": "who uploaded a public video: editorial work",
}
# Fields that name who did something to someone else's record: the record belongs to the
# person it is about (shown to them, with the actor's name), not to the actor.
EXCLUDED_FIELDS = {
    "courses.Completion.recorded_by": "the coordinator who recorded someone's completion",
    "courses.Completion.withdrawn_by": "the coordinator who withdrew someone's completion",
    "courses.Attendance.marked_by": "the coordinator who marked someone's attendance",
    "courses.Reminder.sent_by": "the manager who reminded someone",
    "certificates.Certificate.revoked_by": "the coordinator who revoked someone's certificate",
    "axes.AccessAttemptExpiration.access_attempt": "when axes forgets a failed sign-in: "
    "its own bookkeeping, removed with the sign-in record shown under failed sign-ins",
    "courses.ScormAttempt.closed_by": "the coordinator who reset someone's package attempt",
    "courses.ScormPackageVersion.uploaded_by": "who uploaded an e-learning package: editorial work",
    "courses.FollowupSnapshot.adopted_by": "the coordinator who adopted a follow-up: "
    "figures about the organisation, not about the coordinator",
}


def _label(field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def personal_models_missing(registered: set) -> list[str]:
    """Fields pointing at a person (or at a model in the register, transitively) whose model
    is neither registered nor excluded."""
    targets = {get_user_model(), StaffMember, *registered}
    missing = set()
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model not in targets:
                    continue
                owner = field.model
                if owner._meta.app_label in EXCLUDED_APPS or _label(field) in EXCLUDED_FIELDS:
                    continue
                if owner not in registered:
                    missing.add(_label(field))
                if owner not in targets:
                    targets.add(owner)
                    changed = True
    return sorted(missing)


def test_every_model_about_a_person_is_registered_or_excluded_with_a_reason():
    registered = {model for kind in personal_data_kinds() for model in kind.models}
    assert personal_models_missing(registered) == []
    # The exclusions name real fields, so a renamed field does not slip through.
    for label in EXCLUDED_FIELDS:
        app_model, name = label.rsplit(".", 1)
        try:
            model = apps.get_model(app_model)
        except LookupError:
            continue  # a model of a later change, excluded ahead
        model._meta.get_field(name)


def test_the_check_catches_a_model_left_out():
    registered = {model for kind in personal_data_kinds() for model in kind.models}
    registered.discard(Reminder)
    assert "courses.Reminder.staff" in personal_models_missing(registered)


def one_of_everything(home):
    """One record of every kind in the register for one person, and another person's."""
    staff = learner(username="anna.a", employee_number="E-4711", first_name="Anna")
    user = staff.user
    ManagerResponsibility.objects.create(user=user, unit=staff.unit)
    CoordinatorScope.objects.create(user=user, unit=staff.unit)
    TargetGroupMember.objects.create(
        group=TargetGroupFactory(name="Namngivna"), staff=staff, valid_from=date(2025, 1, 1)
    )
    HrImport.objects.create(
        created_by=user,
        source=HrImport.Source.COMMAND,
        status=HrImport.Status.APPLIED,
        staff_file_name="personal-2026.csv",
        staff_checksum="0" * 64,
        effective_on=date(2026, 1, 1),
    )
    course = make_course(title="Datakursen")
    module = reflection_module(course, block_id="refl-1")
    module_confirm_read(staff=staff, module=module)
    ReflectionAnswer.objects.create(staff=staff, module=module, block_id="refl-1", text="Mitt svar")
    issued(completed(staff, course))  # on 2026-03-02: counted by the 2026-T1 follow-up
    coordinator = UserFactory(first_name="Sara", last_name="Samordnare")
    followup_adopt(period=period_parse("2026-T1"), user=coordinator, today=date(2026, 6, 1))
    session = SessionFactory(course=course, title="Passet i aulan")
    Registration.objects.create(session=session, staff=staff, status="waiting")
    Attendance.objects.create(session=session, staff=staff, status="present")
    Notice.objects.create(kind="due", key="k-1", staff=staff, subject="Dags nu", batch="b")
    Reminder.objects.create(staff=staff, course=course)
    DigestOptOut.objects.create(user=user)
    FollowupFile.objects.create(period="2026-T1", requested_by=user)
    for model in (AccessLog, AccessFailureLog):
        model.objects.create(username="anna.a", ip_address="10.1.2.3", user_agent="Firefox")
    AccessAttempt.objects.create(
        username="anna.a", ip_address="10.1.2.4", user_agent="Firefox", failures_since_start=2
    )
    test = make_test(title="Kunskapstestet")
    attempt = Attempt.objects.create(
        test=test, staff=staff, module=module_with_test(test, course=course), number=1
    )
    question = test.questions.first()
    AttemptQuestion.objects.create(
        attempt=attempt,
        question=question,
        position=1,
        selected=[question.options.get(text="Rätt").pk],
        correct=True,
    )
    poll = make_poll(course)
    response = PollResponse.objects.create(poll=poll, staff=staff, free_text="Bra kurs")
    PollAnswer.objects.create(response=response, question=poll.questions.first(), scale_value=4)
    scorm = scorm_module(course)
    scorm_attempt = scorm_attempt_start(staff=staff, module=scorm)
    ScormScoData.objects.create(attempt=scorm_attempt, sco="I1", suspend_data="L7X")
    ExternalAccount.objects.create(
        user=user,
        issuer="https://idp.example",
        subject="sub-anna",
        employee_key="E-4711",
        last_signed_in_at=timezone.now(),
    )
    # Someone else's records, which must not show.
    other = learner(employee_number="E-9999")
    Reminder.objects.create(staff=other, course=course)
    Notice.objects.create(kind="due", key="k-2", staff=other, subject="Inte din", batch="b")
    return user


MARKERS = ["E-4711", "Datakursen", "Mitt svar", "Passet i aulan", "Dags nu", "10.1.2.3"]
MARKERS += ["L7X", "sub-anna", "Namngivna", "personal-2026.csv"]
MARKERS += ["Kunskapstestet", "Rätt", "Bra kurs", "Kursutvärdering", "2026-T1", "Sara Samordnare"]


def test_every_kind_shows_on_the_page_in_the_json_and_in_the_pdf(home):
    user = one_of_everything(home)
    client = Client()
    client.force_login(user)
    kinds = personal_data_kinds()

    page = client.get(reverse("courses:my_data"))
    assert page.status_code == 200
    for item in page.context["personal_data"]:
        assert item.rows, f"no {item.kind.key} record on the page"
        assert f'data-kind="{item.kind.key}"' in page.text
    for marker in MARKERS:
        assert marker in page.text
    assert "Inte din" not in page.text and "E-9999" not in page.text

    response = client.get(reverse("courses:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = json.loads(response.content)
    records = body["records"]
    assert set(records) == {kind.key for kind in kinds}
    for kind in kinds:
        assert len(records[kind.key]["records"]) >= 1, kind.key
    text = json.dumps(body, ensure_ascii=False)
    for marker in MARKERS:
        assert marker in text
    assert "Inte din" not in text
    assert records["quiz_answers"]["records"][0]["selected"] == ["Rätt"]

    response = client.get(reverse("courses:my_data_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    # Words a narrow table cell wrapped onto two lines read as one line.
    pdf_text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    with translation.override("sv"):
        for kind in kinds:
            count = len(records[kind.key]["records"])
            assert f"{kind.title} ({count})" in pdf_text, kind.key
    for marker in MARKERS:
        assert marker in pdf_text
    assert "Inte din" not in pdf_text


def test_an_account_without_a_staff_record_still_sees_its_own_records(home):
    user = UserFactory(username="utan.personal")
    AccessLog.objects.create(username="utan.personal", ip_address="10.9.9.9", user_agent="x")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("courses:my_data"))
    assert page.status_code == 200
    assert "10.9.9.9" in page.text and "utan.personal" in page.text
    records = json.loads(client.get(reverse("courses:my_data_json")).content)["records"]
    assert "10.9.9.9" in [row["ip_address"] for row in records["sign_ins"]["records"]]
    assert records["staff_record"]["records"] == []


@pytest.mark.parametrize("name", ["courses:my_data", "courses:my_data_json", "courses:my_data_pdf"])
def test_my_data_requires_sign_in(name):
    assert Client().get(reverse(name)).status_code == 302


# One query a kind (placements, named memberships, coordinator scopes and HR imports are the
# newest four), plus the page's own.
MY_DATA_QUERIES = 44


def test_my_data_queries_do_not_grow_with_records(home, django_assert_max_num_queries):
    user = one_of_everything(home)
    client = Client()
    client.force_login(user)
    with django_assert_max_num_queries(MY_DATA_QUERIES):
        assert client.get(reverse("courses:my_data")).status_code == 200
    staff = StaffMember.objects.get(user=user)
    for n in range(5):
        Notice.objects.create(kind="due", key=f"more-{n}", staff=staff, batch="b")
        Reminder.objects.create(staff=staff, sent_at=timezone.now())
    with django_assert_max_num_queries(MY_DATA_QUERIES):
        assert client.get(reverse("courses:my_data")).status_code == 200
