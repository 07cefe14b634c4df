"""A time stamp in a recording, typed by editors as "mm:ss", "h:mm:ss" or plain seconds."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_TIMESTAMP = re.compile(r"^(?:(?:(\d+):)?([0-5]?\d):)?(\d+)$")


def timestamp_parse(value: str) -> int:
    """Seconds from "ss", "mm:ss" or "h:mm:ss"; ValueError when it is none of them."""
    match = _TIMESTAMP.match(value.strip())
    if not match:
        raise ValueError(value)
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    if (hours or minutes) and seconds > 59:
        raise ValueError(value)
    return hours * 3600 + minutes * 60 + seconds


def timestamp_format(seconds: int | None) -> str:
    """ "m:ss" below an hour, "h:mm:ss" from an hour on."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


class TimestampFormField(forms.CharField):
    default_error_messages = {
        "invalid": _("Write the time as minutes:seconds (for example 4:05) or as seconds."),
    }

    def prepare_value(self, value):
        if isinstance(value, int):
            return timestamp_format(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return timestamp_parse(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class TimestampField(models.PositiveIntegerField):
    """Stored as whole seconds; edited and shown as minutes:seconds."""

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", TimestampFormField)
        kwargs.setdefault("help_text", self.help_text)
        defaults = {"required": not self.blank, "label": self.verbose_name}
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("min_value", None)
        defaults.pop("max_value", None)
        return form_class(**defaults)
