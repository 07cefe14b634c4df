"""Course evaluations (kursutvärdering): a short poll after a course, answered once.

Built on the simple shape of django-polls (poll, choice, one vote per user), which itself
cannot run on current Django; see the README's notes on dependencies.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

# Results are shown only once this many people have answered, so nobody can be singled out.
RESULTS_THRESHOLD = 5
SCALE = range(1, 6)


class EvaluationPoll(ClusterableModel):
    course = models.OneToOneField(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="evaluation_poll",
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    free_text_prompt = models.CharField(
        _("free-text question"),
        max_length=300,
        blank=True,
        help_text=_("An optional open question. Leave blank for none."),
    )
    is_open = models.BooleanField(_("open for answers"), default=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("is_open"),
        InlinePanel("questions", label=_("Question"), heading=_("Questions")),
        FieldPanel("free_text_prompt"),
    ]

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")

    def __str__(self) -> str:
        return self.title


class PollQuestion(ClusterableModel, Orderable):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Single choice")
        SCALE = "scale", _("Scale 1–5")

    poll = ParentalKey(EvaluationPoll, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    text = models.CharField(_("question"), max_length=300)
    low_label = models.CharField(_("label for 1"), max_length=60, blank=True)
    high_label = models.CharField(_("label for 5"), max_length=60, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("low_label"),
        FieldPanel("high_label"),
        InlinePanel("choices", label=_("Choice"), heading=_("Choices (single choice only)")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")

    def __str__(self) -> str:
        return self.text


class PollChoice(Orderable):
    question = ParentalKey(PollQuestion, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=200)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class PollResponse(models.Model):
    """One person's answer to a course evaluation - at most one per person and course."""

    poll = models.ForeignKey(EvaluationPoll, on_delete=models.CASCADE, related_name="responses")
    staff = models.ForeignKey(
        "courses.StaffMember", on_delete=models.CASCADE, related_name="poll_responses"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    free_text = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(fields=["poll", "staff"], name="quizzes_one_answer_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.staff_id}"


class PollAnswer(models.Model):
    response = models.ForeignKey(PollResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(PollQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        PollChoice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    scale_value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="quizzes_one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_value__isnull=True)
                | models.Q(scale_value__gte=1, scale_value__lte=5),
                name="quizzes_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
