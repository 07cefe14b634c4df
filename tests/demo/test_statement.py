"""The demo's accessibility statement names the product's real known limits."""

from cms.models import AccessibilityStatementPage, LecturePage


def test_demo_seeds_a_statement_with_the_products_real_known_limits(home):
    from demo.content import seed_content

    seed_content()
    seed_content()  # idempotent
    statement = AccessibilityStatementPage.objects.live().get()
    assert statement.compliance == AccessibilityStatementPage.Compliance.PARTIAL
    descriptions = " ".join(p.description for p in statement.problems.all())
    for limit in ("syntolk", "Wagtail", "SCORM", "PDF"):
        assert limit in descriptions, limit
    assert all(p.criterion for p in statement.problems.all())
    # Every demo lecture either has a reason for no audio description or is a known problem.
    for lecture in LecturePage.objects.all():
        assert not lecture.audio_description_missing or lecture.title in descriptions
