"""The knowledge-test editing form: every question must be answerable as its kind says."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm


def question_options_problem(*, kind: str, options: int, right: int) -> str:
    """Why a question's options do not fit its kind, or an empty string."""
    from quizzes.models.knowledge import Question  # that module imports this one

    if kind == Question.Kind.TRUE_FALSE and options != 2:
        return _("A true-or-false question has exactly two options.")
    if options < 2:
        return _("A question needs at least two answer options.")
    if kind == Question.Kind.MULTIPLE:
        return "" if right >= 1 else _("Mark at least one option as right.")
    return "" if right == 1 else _("Mark exactly one option as right.")


class KnowledgeTestForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        questions = self.formsets.get("questions")
        if questions is None or not questions.is_valid():
            return cleaned
        for number, form in enumerate(questions.forms, start=1):
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            kept = [
                f.cleaned_data
                for f in form.formsets["options"].forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            problem = question_options_problem(
                kind=data.get("kind"),
                options=len(kept),
                right=sum(bool(d.get("correct")) for d in kept),
            )
            if problem:
                form.add_error(None, problem)
                self.add_error(
                    None,
                    _("Question %(number)d: %(problem)s") % {"number": number, "problem": problem},
                )
        return cleaned
