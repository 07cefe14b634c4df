"""Wagtail admin: knowledge tests with their statistics, per-question statistics, evaluations."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.choosers import PermittedSnippetChooserViewSet
from quizzes.admin_forms import KnowledgeTestForm
from quizzes.models import EvaluationPoll, KnowledgeTest, Question
from quizzes.selectors import questions_with_stats, tests_with_stats


class KnowledgeTestViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = KnowledgeTest
    # The model's panels, with the form that checks every question can be answered.
    edit_handler = ObjectList(KnowledgeTest.panels, base_form_class=KnowledgeTestForm)
    icon = "tasks"
    menu_label = _("Knowledge tests")
    list_display = [
        "title",
        "pass_mark",
        Column("attempt_count", label=_("graded attempts")),
        Column("pass_rate", label=_("pass rate")),
    ]
    list_export = ["title", "pass_mark", "attempt_count", "pass_count", "pass_rate"]
    export_headings = {
        "attempt_count": _("graded attempts"),
        "pass_count": _("passed attempts"),
        "pass_rate": _("pass rate"),
    }
    search_fields = ["title"]
    export_filename = "kunskapstest"

    def get_queryset(self, request):
        return tests_with_stats()


class QuestionStatsIndexView(IndexView):
    def get_base_queryset(self):
        return questions_with_stats()


class QuestionStatsViewSet(ModelViewSet):
    """Read-only statistics per question, filterable by test, exported as CSV/XLSX."""

    model = Question
    icon = "list-ol"
    menu_label = _("Question statistics")
    name = "quiz_question_stats"
    url_prefix = "quizzes/question-stats"
    list_display = [
        "test",
        Column("text", label=_("question")),
        Column("answered_count", label=_("answered")),
        Column("correct_count", label=_("answered right")),
        Column("correct_share", label=_("share right")),
    ]
    list_filter = ["test"]
    list_export = [
        "test",
        "text",
        "kind",
        "answered_count",
        "correct_count",
        "correct_share",
        "mean_credit",
    ]
    export_headings = {
        "test": _("knowledge test"),
        "text": _("question"),
        "answered_count": _("answered"),
        "correct_count": _("answered right"),
        "correct_share": _("share right"),
        "mean_credit": _("average points (0-1)"),
    }
    export_filename = "kunskapstest-fragor"
    form_fields = ["kind", "text", "explanation"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = QuestionStatsIndexView


class EvaluationPollViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = EvaluationPoll
    icon = "form"
    menu_label = _("Course evaluations")
    list_display = [
        "title",
        "course",
        "is_open",
        TitleColumn(
            "results",
            label=_("results"),
            accessor=lambda poll: _("Show results"),
            get_url=lambda poll: reverse("quizzes:evaluation_results", args=[poll.pk]),
        ),
    ]


class QuizzesViewSetGroup(ViewSetGroup):
    menu_label = _("Knowledge tests")
    menu_icon = "tasks"
    menu_order = 250
    items = (KnowledgeTestViewSet, QuestionStatsViewSet, EvaluationPollViewSet)
