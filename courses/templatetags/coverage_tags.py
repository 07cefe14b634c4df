"""Template filters for the coverage reports."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """0.4567 -> "45,7 %" (in the active language); None -> "–" (nobody to train)."""
    if value is None or value == "":
        return "–"
    return f"{number_format(round(float(value) * 100, 1), 1)} %"


@register.filter
def indent(depth):
    """Left padding for a unit's depth in the tree, in rem."""
    return f"{0.5 + 1.25 * int(depth or 0):.2f}rem"
