"""Small template helpers for the learner's pages."""

from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """{{ answers|dict_get:block_id }}: a dictionary lookup by a variable key."""
    if not mapping:
        return None
    return mapping.get(key)
