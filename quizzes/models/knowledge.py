"""Knowledge tests as editors build them: a test, its questions and their answer options."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else ""


class KnowledgeTest(ClusterableModel):
    """A knowledge test editors place in a module through the knowledge-test block."""

    class Scoring(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing")
        PARTIAL = "partial", _("Partial credit")

    class ShowAnswers(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_ATTEMPT = "after_attempt", _("After each attempt")
        ONCE_PASSED = "once_passed", _("Only once passed")
        # The default: a failed attempt must not hand over the key to the next one.
        PASSED_OR_SPENT = "passed_or_spent", _("Once passed or all attempts used")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of the points needed to pass, in percent."),
    )
    scoring = models.CharField(
        _("multiple-choice scoring"),
        max_length=10,
        choices=Scoring.choices,
        default=Scoring.ALL_OR_NOTHING,
        help_text=_(
            "Partial credit: (right options chosen - wrong options chosen) / right options, "
            "never below zero."
        ),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle answer options"), default=True)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        default=0,
        help_text=_("Draw this many questions at random from the pool. 0: use all questions."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=0, help_text=_("0: unlimited.")
    )
    wait_seconds = models.PositiveIntegerField(
        _("wait between attempts (seconds)"),
        default=0,
        help_text=_("How long a learner waits after an attempt before starting the next."),
    )
    show_answers = models.CharField(
        _("show the right answers"),
        max_length=15,
        choices=ShowAnswers.choices,
        default=ShowAnswers.PASSED_OR_SPENT,
        help_text=_(
            "After each attempt, a learner who failed sees the right answers before the next "
            "attempt."
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("scoring")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("draw_count"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("wait_seconds"), FieldPanel("show_answers")]),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("questions", label=_("Question"), heading=_("Questions")),
    ]

    class Meta:
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")

    def __str__(self) -> str:
        return self.title

    @property
    def pass_rate(self) -> str:
        """Pass rate of graded attempts, from the statistics queryset's annotations."""
        return _share(getattr(self, "pass_count", 0), getattr(self, "attempt_count", 0))


class Question(ClusterableModel, Orderable):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    test = ParentalKey(KnowledgeTest, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown with the right answer, when allowed.")
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("explanation"),
        InlinePanel("options", label=_("Answer option"), heading=_("Answer options"), min_num=2),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    @classmethod
    def options_problem(cls, *, kind: str, options: int, right: int) -> str:
        """Why a question's options do not fit its kind, or an empty string."""
        if kind == cls.Kind.TRUE_FALSE and options != 2:
            return _("A true-or-false question has exactly two options.")
        if options < 2:
            return _("A question needs at least two answer options.")
        if kind == cls.Kind.MULTIPLE:
            return "" if right >= 1 else _("Mark at least one option as right.")
        return "" if right == 1 else _("Mark exactly one option as right.")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def correct_share(self) -> str:
        """Share of graded answers that were fully right (statistics queryset only)."""
        return _share(getattr(self, "correct_count", 0), getattr(self, "answered_count", 0))

    @property
    def multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Option(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("answer option"), max_length=500)
    correct = models.BooleanField(_("right answer"), default=False)

    panels = [FieldPanel("text"), FieldPanel("correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self) -> str:
        return self.text
