"""The GET forms of the coverage and follow-up pages."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, Unit
from courses.reports.coverage import NOT_REQUIRED
from courses.reports.followup import period_choices, period_current, period_parse

# Reports look back at most a trend's year from their date, so the date must leave room for
# it: records of this service begin long after 1900.
FIRST_REPORT_DAY = datetime.date(1900, 1, 1)
LAST_REPORT_DAY = datetime.date(2999, 12, 31)


class CoverageForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date written YYYY-MM-DD, e.g. 2025-04-30.")},
    )
    course = forms.ChoiceField(
        label=_("Course"), required=False, error_messages={"invalid_choice": NOT_REQUIRED}
    )
    unit = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, courses, visible_unit_ids, default_course=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_course = default_course
        self.courses = {c.slug: c for c in courses}
        self.visible_unit_ids = visible_unit_ids
        self.fields["course"].choices = [(c.slug, c.title) for c in courses]

    def clean_as_of(self):
        day = self.cleaned_data["as_of"] or timezone.localdate()
        if not FIRST_REPORT_DAY <= day <= LAST_REPORT_DAY:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": FIRST_REPORT_DAY.isoformat(), "last": LAST_REPORT_DAY.isoformat()}
            )
        return day

    def clean_course(self) -> CoursePage | None:
        slug = self.cleaned_data["course"]
        if not slug:
            if not self.default_course:
                return None
            return next(iter(self.courses.values()), None)
        return self.courses[slug]  # ChoiceField has checked it is one of them

    def clean_unit(self) -> Unit | None:
        code = self.cleaned_data["unit"]
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None or (
            self.visible_unit_ids is not None and unit.pk not in self.visible_unit_ids
        ):
            raise forms.ValidationError(_("There is no unit with that code in your reports."))
        return unit


class PeriodForm(forms.Form):
    # A CharField with a list of recent periods: any well-formed period is accepted.
    period = forms.CharField(label=_("Period"), required=False, widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.choices = [(p.code, p.label) for p in period_choices()]

    def clean_period(self):
        value = self.cleaned_data["period"]
        try:
            return period_parse(value) if value else period_current()
        except ValueError:
            raise forms.ValidationError(
                _("Choose a period: a year (2025) or a tertial (2025-T1, 2025-T2, 2025-T3).")
            ) from None
