"""The knowledge-test editing form: every question must be answerable as its kind says."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from quizzes.models import Question


class KnowledgeTestForm(WagtailAdminModelForm):
    """Set on the knowledge tests' edit panels in quizzes/viewsets.py."""

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
            problem = Question.options_problem(
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
