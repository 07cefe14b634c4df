"""Read-only queries and checks for the content pages. No learner data here."""

import datetime
import re

from django.db.models import Q, Sum
from django.utils import timezone

from cms.sites import SHELL_SECONDS, shell_generation


def lecture_chapters(*, lecture) -> list[dict]:
    """The lecture's chapters in order, as the video player include expects them."""
    return [
        {"title": chapter.title, "start": chapter.start}
        for chapter in lecture.chapters.all().order_by("start", "sort_order")
    ]


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def lecture_views_between(*, start: datetime.date, end: datetime.date) -> list[dict]:
    """Live lectures published or viewed from `start` to `end` (both days included).

    Each row: title, url (site-relative), published (first publication date, local time),
    views (page views counted on those days; no personal data is kept). Ordered by
    publication date, then title.
    """
    from cms.models import LecturePage

    if start > end:
        raise ValueError("start must not be after end")
    in_range = Q(view_counts__day__gte=start, view_counts__day__lte=end)
    start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    end_at = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    lectures = (
        LecturePage.objects.live()
        .annotate(views_in_range=Sum("view_counts__views", filter=in_range))
        .filter(
            Q(views_in_range__gt=0)
            | Q(first_published_at__gte=start_at, first_published_at__lt=end_at)
        )
    )
    rows = [
        {
            "title": lecture.title,
            "url": lecture.get_url(),
            "published": _local_date(lecture.first_published_at),
            "views": lecture.views_in_range or 0,
        }
        for lecture in lectures
    ]
    rows.sort(key=lambda row: (row["published"] or datetime.date.min, row["title"]))
    return rows


def search_words(query: str) -> str:
    """The words of a typed query, joined by spaces: quotes, operators and control
    characters mean something to the database's full-text syntax (SQLite's FTS5 takes a
    stray double quote as an unterminated string) and nothing to the people searching."""
    return " ".join(re.findall(r"\w+", query or ""))[:SEARCH_WORDS_MAX]


SEARCH_WORDS_MAX = 200


def search_pages(*, query: str, user=None):
    """Live pages matching the query that this user may open, best first (Wagtail search).

    Pages behind a view restriction are left out, except login-only restrictions for a
    logged-in user and group restrictions for a member of one of the groups. On PostgreSQL
    the database backend uses its full-text search (settings: SEARCH_CONFIG "swedish").
    """
    from wagtail.models import Page, PageViewRestriction

    query = search_words(query)
    if not query:
        return []
    pages = Page.objects.live()
    user_groups = (
        set(user.groups.values_list("pk", flat=True)) if user and user.is_authenticated else set()
    )
    for restriction in PageViewRestriction.objects.select_related("page").prefetch_related(
        "groups"
    ):
        if user is not None and user.is_authenticated:
            if restriction.restriction_type == PageViewRestriction.LOGIN:
                continue
            if restriction.restriction_type == PageViewRestriction.GROUPS and (
                user.is_superuser or user_groups & {g.pk for g in restriction.groups.all()}
            ):
                continue
        pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages.specific().search(query)


def search_snippet(*, page, length: int = 30) -> str:
    """A short plain-text description of a search hit."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    for text in (
        page.search_description,
        getattr(page, "intro", ""),
        getattr(page, "summary", ""),
    ):
        if text:
            return Truncator(strip_tags(str(text))).words(length)
    return ""


def concern_contacts() -> list:
    """The 'Vid oro' contacts every page shows, from the cache (read anew when one changes,
    see `cms.apps`), so that the page shell costs no query."""
    from cms.generations import reading_cached
    from cms.models import ConcernContact

    return reading_cached(
        key=f"cms:concern-contacts:{shell_generation()}",
        build=lambda: list(ConcernContact.objects.all()),
        timeout=SHELL_SECONDS,
    )


def home_sections(*, home) -> list:
    """The live menu pages under the home page, which it lists: from the cache until a page
    changes (the pages generation), so that the home page costs no query of its own."""
    from cms.generations import PAGES_GENERATION_KEY, generation, reading_cached

    return reading_cached(
        key=f"cms:home-sections:{generation(key=PAGES_GENERATION_KEY)}:{home.pk}",
        build=lambda: list(home.get_children().live().in_menu()),
        timeout=3600,
    )


def accessibility_statement_url() -> str:
    """The address of the live, public accessibility statement ("" when there is none), which
    every page's footer links to: from the cache (read anew when a page is published,
    unpublished, moved or deleted, see `cms.apps`), so that the page shell costs no query."""
    from cms.generations import reading_cached
    from cms.models import AccessibilityStatementPage

    def build() -> str:
        statement = AccessibilityStatementPage.objects.live().public().first()
        return (statement.get_url() or "") if statement is not None else ""

    return reading_cached(
        key=f"cms:accessibility-statement-url:{shell_generation()}",
        build=build,
        timeout=SHELL_SECONDS,
    )


def task_results_needing_attention():
    """Background tasks that failed for good or failed and wait for another attempt, the
    latest first."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.FAILED)
        | Q(status=TaskResultStatus.READY) & ~Q(exception_class_path="")
    ).order_by("-enqueued_at")
