from django import template

from cms.fields import timestamp_format

register = template.Library()


@register.filter
def timestamp(seconds) -> str:
    """Seconds as "m:ss" (or "h:mm:ss"), as people read times in a recording."""
    try:
        return timestamp_format(int(seconds))
    except (TypeError, ValueError):
        return ""
