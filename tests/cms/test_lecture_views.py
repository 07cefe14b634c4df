import datetime
import functools

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import LectureViewCount
from cms.selectors import lecture_views_between
from cms.services import lecture_view_record
from tests.cms.factories import make_lecture


@pytest.mark.django_db
def test_each_view_of_a_lecture_is_counted_per_day_without_personal_data(client):
    lecture = make_lecture()
    page = client.get(lecture.url).content.decode()
    viewed = reverse("lecture_viewed", args=[lecture.pk])
    assert f'data-viewed-url="{viewed}"' in page  # where the player posts when it plays
    assert client.post(viewed).status_code == 204
    assert client.post(viewed).status_code == 204
    row = LectureViewCount.objects.get(lecture=lecture)
    assert (row.day, row.views) == (timezone.localdate(), 2)
    fields = {f.name for f in LectureViewCount._meta.get_fields()}
    assert fields == {"id", "lecture", "day", "views"}


@pytest.mark.django_db
def test_opening_the_page_counts_nothing_nor_does_a_get_or_an_unknown_lecture(client):
    lecture = make_lecture()
    client.get(lecture.url)  # a GET never writes
    client.head(lecture.url)
    assert client.get(reverse("lecture_viewed", args=[lecture.pk])).status_code == 405
    assert client.post(reverse("lecture_viewed", args=[999999])).status_code == 404
    assert not LectureViewCount.objects.exists()


@pytest.mark.django_db
def test_views_are_kept_apart_per_day_and_per_lecture():
    first, second = make_lecture(title="Ett"), make_lecture(title="Två")
    monday, tuesday = datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)
    for _ in range(3):
        lecture_view_record(lecture=first, day=monday)
    lecture_view_record(lecture=first, day=tuesday)
    lecture_view_record(lecture=second, day=tuesday)
    counts = {(row.lecture_id, row.day): row.views for row in LectureViewCount.objects.all()}
    assert counts == {(first.pk, monday): 3, (first.pk, tuesday): 1, (second.pk, tuesday): 1}


@pytest.mark.django_db
def test_lecture_views_between_sums_views_in_the_period_only():
    lecture = make_lecture(title="Försvarshögskolan")
    for day, views in [
        (datetime.date(2026, 1, 31), 5),
        (datetime.date(2026, 2, 1), 2),
        (datetime.date(2026, 4, 30), 3),
        (datetime.date(2026, 5, 1), 7),
    ]:
        for _ in range(views):
            lecture_view_record(lecture=lecture, day=day)
    rows = lecture_views_between(start=datetime.date(2026, 2, 1), end=datetime.date(2026, 4, 30))
    assert rows == [
        {
            "title": "Försvarshögskolan",
            "url": lecture.url,
            "published": timezone.localdate(lecture.first_published_at),
            "views": 5,
        }
    ]


@pytest.mark.django_db
def test_lecture_views_between_lists_lectures_published_in_the_period_even_unviewed():
    make_lecture(title="Ny")
    draft = make_lecture(title="Utkast", publish=False)
    lecture_view_record(lecture=draft)
    today = timezone.localdate()
    rows = lecture_views_between(start=today, end=today)
    assert [(r["title"], r["views"]) for r in rows] == [("Ny", 0)]
    assert (
        lecture_views_between(
            start=today + datetime.timedelta(days=1), end=today + datetime.timedelta(days=30)
        )
        == []
    )


@pytest.mark.django_db
def test_lecture_views_between_refuses_a_reversed_period():
    with pytest.raises(ValueError):
        lecture_views_between(start=datetime.date(2026, 5, 1), end=datetime.date(2026, 4, 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_views_of_the_day_are_all_counted(race):
    lecture = make_lecture()
    view = functools.partial(lecture_view_record, lecture=lecture, day=datetime.date(2026, 2, 12))
    race(*[view] * 8)
    assert LectureViewCount.objects.get(lecture=lecture).views == 8
