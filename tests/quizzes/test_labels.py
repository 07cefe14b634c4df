"""Labels that read twice or name two things alike: each label says one thing once."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from certificates.models import Certificate
from certificates.pdf import certificate_html
from certificates.services import certificate_issue
from tests.certificates.factories import completed
from tests.factories import learner, make_course, make_module
from tests.quizzes.factories import make_test

pytestmark = pytest.mark.django_db


def test_knowledge_test_block_does_not_repeat_the_word_in_its_heading(client, home):
    test = make_test(title="Kunskapstest: grundutbildning")
    module = make_module(make_course(), body=[("knowledge_test", {"test": test, "intro": ""})])
    client.force_login(learner().user)
    html = client.get(module.url).content.decode()
    heading = re.search(rf'<h2 id="quiz-{test.pk}-heading"[^>]*>(.*?)</h2>', html).group(1)
    assert heading.strip() == "Kunskapstest: grundutbildning"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_attempt_list_columns_have_distinct_names(language):
    with translation.override(language):
        html = render_to_string("quizzes/_attempt_list.html", {"attempts": [], "caption": "x"})
    headers = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert len(headers) == 4
    assert len(set(headers)) == len(headers), headers


def test_certificate_names_the_form_of_training_not_completed_by(home):
    certificate = certificate_issue(completion=completed(learner()), render=False)
    Certificate.objects.filter(pk=certificate.pk).update(language="sv")
    certificate.refresh_from_db()
    html = certificate_html(certificate=certificate)
    assert "Genomförd genom" not in html
    assert "Digitalt" not in html  # the word for an online session, not for a course taken
    Certificate.objects.filter(pk=certificate.pk).update(language="en")
    certificate.refresh_from_db()
    assert "Form of training: Online" in certificate_html(certificate=certificate)
