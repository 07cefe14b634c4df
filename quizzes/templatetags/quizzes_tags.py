from django import template

register = template.Library()


@register.simple_tag
def field_value(posted, pk) -> str:
    if not posted:
        return ""
    return posted.get(f"p{pk}", "")


@register.simple_tag
def error_for(errors, pk) -> str:
    if not errors:
        return ""
    return errors.get(pk, "")
