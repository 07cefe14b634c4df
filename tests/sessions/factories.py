"""Builders for sessions in tests."""

import datetime

import factory
from django.utils import timezone

from courses.models import CoursePage, Session
from tests.factories import make_course


def in_days(days: float, hour: int = 9) -> datetime.datetime:
    """A moment `days` from now at the given local hour (rounded to the hour)."""
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.LazyFunction(
        lambda: make_course(completion_mode=CoursePage.CompletionMode.EITHER)
    )
    lecture = None
    title = factory.Sequence(lambda n: f"Grundutbildning, tillfälle {n}")
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=3))
    place = "Liljeholmstorget 7, sal 2"
    capacity = 10
    completes_course = True

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.open_to_everyone = False
            self.save(update_fields=["open_to_everyone"])
            self.target_groups.set(extracted)


def running_session(**fields) -> Session:
    """A session that started half an hour ago and lasts three hours."""
    now = timezone.now()
    fields.setdefault("starts_at", now - datetime.timedelta(minutes=30))
    fields.setdefault("ends_at", now + datetime.timedelta(hours=2, minutes=30))
    return SessionFactory(**fields)
