"""A learner's attempts at a knowledge test: the questions drawn, the answers, the grade."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One try at a test. Its questions and their order are fixed when it starts."""

    test = models.ForeignKey(
        "quizzes.KnowledgeTest",
        verbose_name=_("knowledge test"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="test_attempts",
    )
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score_percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["test", "staff", "number"], name="quizzes_one_attempt_per_number"
            ),
            models.UniqueConstraint(
                fields=["test", "staff"],
                condition=models.Q(submitted_at__isnull=True),
                name="quizzes_one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["test", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.staff} – {self.test} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @property
    def shown_percent(self) -> int | None:
        """Whole percent, rounded down: a failed score never shows the pass mark."""
        return None if self.score_percent is None else int(self.score_percent)


class AttemptQuestion(models.Model):
    """A question as drawn for one attempt: its place, its option order, the answer given.

    `option_tokens` maps a random token to each option id. The attempt page posts the tokens,
    never the option ids: ids grow in the order editors enter options, so they would tell
    which option was entered first (see services.attempt_start).
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="attempt_questions"
    )
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list)
    option_tokens = models.JSONField(default=dict)
    selected = models.JSONField(default=list, blank=True)
    credit = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quizzes_question_once_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"

    @property
    def tokens_by_option(self) -> dict[int, str]:
        """The token the attempt page posts for each option id."""
        return {option_id: token for token, option_id in self.option_tokens.items()}
