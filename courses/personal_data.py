"""The register of personal data: every kind of record the product holds about a person.

One registry feeds /my/data/, its JSON download and its PDF (GDPR art. 15 and 20), so the
three cannot disagree. A kind says which models it shows, how to read the person's records
(`rows(staff, user)`: `staff` may be None for an account with no staff record) and which
fields to show, each a label and a dotted attribute path (a method at the end is called,
e.g. "get_status_display").

courses registers its own kinds in `courses.selectors.personal_data.COURSES_KINDS`; other
apps add theirs through the PERSONAL_DATA hook (see courses.extension). Adding a model with
personal data is one `Kind(...)` line in its app's list; tests/courses/test_my_data.py fails
while a model that points at a person is neither here nor in its reasoned exclusion list.
"""

import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    path: str | Callable


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    models: tuple[type[models.Model], ...]
    rows: Callable[..., Iterable]
    fields: tuple[Field, ...]


def field(key: str, label, path: str | Callable | None = None) -> Field:
    return Field(key=key, label=label, path=path or key)


def value_of(obj, path: str):
    """The value at `path` ("course.title", "get_status_display") of `obj`, or `path(obj)`
    for a function; None on a gap."""
    if callable(path):
        return path(obj)
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
        if callable(obj) and not isinstance(obj, models.Manager):
            obj = obj()
    if isinstance(obj, models.Model):
        return str(obj)
    return obj


def value_json(value):
    """The value as JSON can hold it: dates as ISO 8601, decimals as text, lists as lists."""
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [value_json(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def value_text(value) -> str:
    """The value as a person reads it on the page and in the PDF."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        return date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i"
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value)
    return str(value)
