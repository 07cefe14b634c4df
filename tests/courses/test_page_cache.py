"""Learner pages kept for their reader (cms.page_cache): served again from the copy while
nothing they show changed, and never once something did, never to anyone else.

The oracle of the write paths: after each thing a learner, a coordinator, an editor or the
HR import does, the page served is the page rendered anew with the cache turned off (the same
HTML but for the CSRF tokens, which differ with every rendering)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue, certificate_revoke
from courses.models import Completion, ModulePage, Placement
from courses.selectors.personal_data import personal_data_kinds
from courses.services.learner_pages import CONNECTED, NOT_ON_LEARNER_PAGES
from courses.services.learning import completion_withdraw, module_confirm_read
from courses.services.organisation import staff_present_refresh
from courses.services.reflections import reflection_answer_save
from courses.services.sessions import registration_cancel, registration_create
from quizzes import services as quiz_services
from quizzes.models import KnowledgeTest
from tests.factories import (
    TargetGroupFactory,
    UnitFactory,
    UserFactory,
    home_page,
    learner,
    make_course,
    make_module,
)
from tests.quizzes.factories import make_test, module_with_test, right_answers, wrong_answers
from tests.sessions.factories import SessionFactory, in_days

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|data-csrf-token=")[^"]*"')


def _text(response) -> str:
    assert response.status_code == 200
    return CSRF.sub(r'\1"', response.content.decode())


def served_and_fresh(client, url) -> tuple[str, str, bool]:
    """The page as served now, as rendered now with no copy, and whether it was a copy."""
    served = client.get(url)
    with override_settings(PAGE_CACHE_SECONDS=0):
        fresh = client.get(url)
    return _text(served), _text(fresh), served.get("X-Page-Cache") == "hit"


@pytest.fixture
def world(client):
    home_page()
    group = TargetGroupFactory()
    person = learner(target_groups=[group])
    course = make_course(required_for=[group], title="Grundkurs")
    reading = make_module(course, title="Läsmodul")
    reflecting = make_module(
        course,
        title="Reflektion",
        body=[("reflection", {"question": "Vad tar du med dig?"})],
    )
    test = make_test(max_attempts=3)
    quiz = module_with_test(test, course=course, title="Kunskapstest")
    session = SessionFactory(course=course, starts_at=in_days(5), capacity=1)
    client.force_login(person.user)
    urls = {
        "home": "/",
        "course": course.url,
        "module": reading.url,
        "reflection": reflecting.url,
        "quiz": quiz.url,
        "my": "/my/",
    }
    for url in urls.values():  # each page kept once (the first answer sets the CSRF cookie)
        client.get(url)
        client.get(url)
    return {
        "person": person,
        "course": course,
        "reading": reading,
        "reflecting": reflecting,
        "quiz": quiz,
        "test": test,
        "session": session,
        "urls": urls,
        "client": client,
    }


def _kept_again(w):
    """Every page kept again, so that the next step alone must make them stale."""
    for url in w["urls"].values():
        w["client"].get(url)
        assert w["client"].get(url)["X-Page-Cache"] == "hit"


def _complete(w):
    for module in ModulePage.objects.child_of(w["course"]).live():
        module = module.specific
        if module.completion_rule == ModulePage.Rule.READ:
            module_confirm_read(staff=w["person"], module=module)
    attempt = _attempt(w)
    quiz_services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    return Completion.objects.get(staff=w["person"], course=w["course"])


def _someone_else_takes_the_seat(w):
    registration_create(session=w["session"], staff=learner())


def _someone_else_leaves_the_seat(w):
    other = learner()
    registration_create(session=w["session"], staff=other)
    registration_create(session=w["session"], staff=w["person"])  # waiting
    registration_cancel(session=w["session"], staff=other)  # the person moves up


def _certificate_revoked(w):
    certificate = certificate_issue(completion=_complete(w), render=False)
    _kept_again(w)
    certificate_revoke(certificate=certificate, by=None, reason="Fel person")


def _withdrawn(w):
    completion = _complete(w)
    _kept_again(w)
    completion_withdraw(completion=completion, by=None)


def _moved_by_hr(w):
    """The HR import writes placements in bulk, then each person's present unit."""
    unit = UnitFactory(name="Nya enheten")  # a new unit: every kept page goes
    _kept_again(w)
    Placement.objects.filter(staff=w["person"]).update(unit=unit)
    assert staff_present_refresh(staff_ids=[w["person"].pk]) == 1


def _attempt(w):
    return quiz_services.attempt_start(staff=w["person"], test=w["test"], module=w["quiz"])


def _test_failed(w):
    attempt = _attempt(w)
    _kept_again(w)
    quiz_services.attempt_submit(attempt=attempt, answers=wrong_answers(attempt))


def _module_published(w):
    make_module(w["course"], title="Ny modul")


def _test_edited(w):
    KnowledgeTest.objects.filter(pk=w["test"].pk).get().save()


WRITES = {
    "module read": lambda w: module_confirm_read(staff=w["person"], module=w["reading"]),
    "test failed": _test_failed,
    "test started": _attempt,
    "course completed": _complete,
    "certificate issued": lambda w: certificate_issue(completion=_complete(w), render=False),
    "certificate revoked": _certificate_revoked,
    "completion withdrawn": _withdrawn,
    "reflection saved": lambda w: reflection_answer_save(
        staff=w["person"],
        module=w["reflecting"],
        block_id=w["reflecting"].body[0].id,
        text="Att lyssna först",
    ),
    "registered": lambda w: registration_create(session=w["session"], staff=w["person"]),
    "someone else took the last seat": _someone_else_takes_the_seat,
    "moved up from the waiting list": _someone_else_leaves_the_seat,
    "session cancelled": lambda w: w["session"].__class__.objects.get(pk=w["session"].pk).delete(),
    "moved by HR": _moved_by_hr,
    "module published": _module_published,
    "knowledge test edited": _test_edited,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_after_each_write_the_pages_served_are_the_pages_rendered_anew(client, world, write):
    for name, url in world["urls"].items():
        served, fresh, hit = served_and_fresh(client, url)
        assert hit and served == fresh, name  # kept, and right
    WRITES[write](world)
    for name, url in world["urls"].items():
        served, fresh, _hit = served_and_fresh(client, url)
        assert served == fresh, (write, name)


def test_a_kept_page_is_the_readers_alone(client, world):
    url = world["urls"]["my"]
    assert client.get(url)["X-Page-Cache"] == "hit"
    other = learner(first_name="Ingrid", last_name="Annan")
    someone = Client()
    someone.force_login(other.user)
    page = someone.get(url)
    assert "X-Page-Cache" not in page
    assert "Ingrid" in page.content.decode()
    assert world["person"].first_name not in page.content.decode()
    # The same person in another browser has a copy of their own.
    again = Client()
    again.force_login(world["person"].user)
    assert "X-Page-Cache" not in again.get(url)


def test_a_signed_out_or_closed_account_is_never_served_its_copy(client, world):
    url = world["urls"]["course"]
    assert client.get(url)["X-Page-Cache"] == "hit"
    get_user_model().objects.filter(pk=world["person"].user_id).update(is_active=False)
    page = client.get(url)
    assert "X-Page-Cache" not in page
    assert world["person"].first_name not in page.content.decode()
    assert client.get("/my/").status_code == 302  # signed out: to the sign-in page


def test_a_waiting_message_is_shown_not_the_copy(client, world):
    url = world["urls"]["module"]
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Confirming the module through its form leaves a message for the next page.
    response = client.post(reverse("courses:module_read", args=[world["reading"].pk]))
    assert response.status_code == 302
    shown = client.get(url)
    assert "X-Page-Cache" not in shown
    assert 'class="messages" role="status"' in shown.content.decode()
    assert "X-Page-Cache" not in client.get(url)  # the page with the message was not kept
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_visitors_copy_is_shared_and_its_csrf_token_is_their_own():
    home_page()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    second_page = second.get("/")
    assert second_page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second_page.text)[1]
    # The token in the copy goes with the second visitor's own cookie: the form works.
    response = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert second.get("/")["Content-Language"] == "en"


def test_a_page_is_not_kept_past_a_sessions_registration_closing(client, world):
    closing = timezone.now() + datetime.timedelta(seconds=90)
    world["session"].registration_closes_at = closing
    world["session"].starts_at = closing + datetime.timedelta(days=1)
    world["session"].save()
    client.get(world["urls"]["course"])
    kept = [value for key, value in cache._cache.items() if key.startswith(":1:page:")]
    assert kept and min(k_expires(value) for value in kept) <= closing.timestamp()


def k_expires(pickled) -> float:
    import pickle

    return pickle.loads(pickled).expires  # noqa: S301 (our own test's cache)


def test_a_test_counting_down_to_its_next_attempt_is_not_kept(client, world):
    KnowledgeTest.objects.filter(pk=world["test"].pk).update(wait_seconds=1800)
    world["test"].refresh_from_db()
    attempt = quiz_services.attempt_start(
        staff=world["person"], test=world["test"], module=world["quiz"]
    )
    quiz_services.attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
    client.get(world["urls"]["quiz"])
    assert "X-Page-Cache" not in client.get(world["urls"]["quiz"])


def test_every_kind_of_personal_data_forgets_its_persons_pages_or_says_why_not():
    labels = {model._meta.label for kind in personal_data_kinds() for model in kind.models}
    missing = labels - set(CONNECTED) - set(NOT_ON_LEARNER_PAGES)
    assert not missing, f"connect these with learner_pages_connect or say why not: {missing}"


def test_a_staff_record_linked_to_another_account_leaves_the_first_accounts_pages(client, world):
    person = world["person"]
    for url in world["urls"].values():
        assert client.get(url)["X-Page-Cache"] == "hit"
    person.user = UserFactory()  # an admin links the record to another account
    person.save()
    page = client.get("/my/")
    assert "X-Page-Cache" not in page
    assert person.first_name not in page.content.decode()  # no record now: nothing shown


def test_a_query_string_is_never_served_a_copy_nor_kept(client, world):
    url = world["urls"]["course"]
    kept_before = _kept_count()
    for n in range(5):
        assert "X-Page-Cache" not in client.get(f"{url}?x={n}")
    assert _kept_count() == kept_before


def _kept_count() -> int:
    return sum(1 for key in cache._cache if key.startswith(":1:page:"))


def test_a_copy_served_without_a_csrf_cookie_carries_a_token_that_works(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["person"].user)  # a session, no CSRF cookie yet
    url = world["urls"]["module"]
    browser.get(url)
    browser.get(url)
    browser.cookies.pop("csrftoken", None)  # the cookie is gone (cleared by the person)
    page = browser.get(url)
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = browser.post(
        reverse("courses:module_read", args=[world["reading"].pk]),
        {"csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302


def test_a_document_edit_or_a_groups_members_make_every_copy_stale(client, world):
    from django.contrib.auth.models import Group
    from wagtail.documents.models import Document

    url = world["urls"]["course"]
    assert client.get(url)["X-Page-Cache"] == "hit"
    Document.objects.create(title="Samtalsguide")
    assert "X-Page-Cache" not in client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    Group.objects.get(name="Medarbetare").user_set.add(learner().user)
    assert "X-Page-Cache" not in client.get(url)
