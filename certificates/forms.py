from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.codes import code_normalise
from courses.models import CoursePage


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed on the certificate, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = code_normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has 16 letters and digits, e.g. ABCD-EFGH-JKMN-PQRS.")
            )
        return code


class BulkFilterForm(forms.Form):
    """Narrow a manager's certificates by unit (HR code, its subtree) and course."""

    unit = forms.ChoiceField(label=_("Unit"), required=False)
    # A choice among the courses' ids, not a ModelChoiceField: any typed id is checked
    # against the list instead of being sent to the database (a huge one would overflow).
    course = forms.ChoiceField(label=_("Course"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All my units"))] + [
            (unit.code, str(unit)) for unit in units
        ]
        self.courses = {str(c.pk): c for c in CoursePage.objects.order_by("title")}
        self.fields["course"].choices = [("", _("All courses"))] + [
            (pk, c.title) for pk, c in self.courses.items()
        ]

    def clean_course(self) -> CoursePage | None:
        return self.courses.get(self.cleaned_data["course"])
