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
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("All courses"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All my units"))] + [
            (unit.code, str(unit)) for unit in units
        ]
        self.fields["course"].queryset = CoursePage.objects.order_by("title")
