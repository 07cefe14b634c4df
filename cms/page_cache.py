"""Pages kept for their reader: the HTML of a learner page (a course, a module, /my/) as
rendered for one browser's session, and of the home page, a course and a module as every
visitor sees them, served again while nothing they show changed.

A signed-in reader's copy is found only by the request that could have rendered it: its key
holds the session key, the user, the language, the host and the path (a request with a
query string is never served a copy). A visitor's copy is shared by all visitors. Keys hold
the release too (`_release`), and the CSRF tokens in a copy are made anew for each request.
A copy is served again only while

- every generation of the shared readings (`cms.generations`) is what it was when the page
  was rendered: a page, session, registration, organisation or content change anywhere makes
  every kept page stale;
- the person's own generation is unchanged (`people_changed`): every write about the person
  (an enrolment, progress, a completion, an attempt, a registration, a certificate...) bumps
  it, from the models' signals or, for writes that send none, from the service itself;
- it has not expired: after `PAGE_CACHE_SECONDS`, at the next local midnight (pages show what
  holds today), and at the earliest moment a selector said the page changes by itself
  (`page_cache_expires_by`: a session's registration opening or closing); a page that counts
  down by the second is not kept (`page_cache_skip`).

Django's authentication still runs on every request (a closed account or a changed password
signs the person out as before); only the view's work is skipped. A page is not kept when
it showed or left a message, set a cookie other than the CSRF one, changed the session or
was not a plain 200, and no kept page is served while a message waits to be shown.
"""

import datetime
import functools
import hashlib
import re
import time
import zlib
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from cms.generations import (
    generation,
    generation_bump,
    generation_fresh,
    generations_bump,
    generations_read,
)

# Bumped by writes to what learner pages show that no other generation covers (a knowledge
# test's questions, a course evaluation, a SCORM package, media, documents and images, a
# group's members or permissions) and by every deleted row about a person: every kept page
# depends on it.
CONTENT_GENERATION_KEY = "cms:page-cache:content:generation"

# The latest moment the page being rendered stays right (a timestamp), lowered by
# selectors through `page_cache_expires_by`; None outside a kept page's rendering.
_expires: ContextVar[float | None] = ContextVar("page_cache_expires", default=None)


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def page_cache_expires_by(*, at: datetime.datetime | None) -> None:
    """What is being rendered changes by itself at `at` (a future moment): a kept copy must
    not outlive it. Nothing happens outside a kept page's rendering or for a past moment."""
    current = _expires.get()
    if current is None or at is None:
        return
    moment = at.timestamp()
    if time.time() < moment < current:
        _expires.set(moment)


def page_cache_skip() -> None:
    """What is being rendered changes by the second (a countdown): it is not kept."""
    if _expires.get() is not None:
        _expires.set(0.0)


def person_generation_key(user_id: int) -> str:
    return f"cms:person:{user_id}:generation"


def people_changed(*, user_ids: Iterable[int | None]) -> None:
    """Something about these accounts' people was written: pages kept for them go."""
    generations_bump(
        keys=[person_generation_key(user_id) for user_id in set(user_ids) if user_id is not None]
    )


def content_changed(sender=None, **kwargs) -> None:
    """A signal's receiver: content that learner pages show was written."""
    generation_bump(key=CONTENT_GENERATION_KEY)


@functools.cache
def _release() -> str:
    """What the code, templates and translations of this release are (a hash of the
    project's own apps' Python files, its templates and compiled catalogues, read once per
    process): a copy kept by another release is never read."""
    root = Path(settings.BASE_DIR)
    own = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).parent == root]
    digest = hashlib.sha256()
    folders = [*((app, "**/*.py") for app in own), (root / "templates", "**/*")]
    for folder, pattern in [*folders, (root / "locale", "**/*.mo")]:
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _page_key(request: HttpRequest, user_id: int | None) -> str:
    """A signed-in reader's copy is theirs alone (their session); a visitor's is shared by
    every visitor. The CSRF tokens in either are made anew on each use."""
    reader = (request.session.session_key or "") if user_id is not None else "visitor"
    parts = "\n".join(
        (_release(), reader, str(user_id), get_language() or "", request.get_host(), request.path)
    )
    return "page:" + hashlib.sha256(parts.encode()).hexdigest()


# Where a page carries a CSRF token: a form's hidden field and the video player's attribute.
CSRF_TOKEN_IN_PAGE = re.compile(rb'(name="csrfmiddlewaretoken" value="|data-csrf-token=")[^"]*"')


def _csrf_tokens_fresh(request: HttpRequest, body: bytes) -> bytes:
    """The copy with CSRF tokens of this request's own (which sets the CSRF cookie if the
    request had none, as rendering the page would)."""
    if b"csrf" not in body:
        return body
    token = get_token(request).encode()
    return CSRF_TOKEN_IN_PAGE.sub(lambda m: m.group(1) + token + b'"', body)


def _next_midnight(now: float) -> float:
    local = timezone.localtime(datetime.datetime.fromtimestamp(now, tz=datetime.UTC))
    midnight = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=local.tzinfo
    )
    return midnight.timestamp()


class Kept(NamedTuple):
    """A kept page and what it was rendered under."""

    user_id: int | None  # None: a visitor's
    expires: float
    person: int
    generations: dict[str, int]
    content_type: str
    body: bytes  # zlib-compressed


def _still_right(kept: Kept, *, user_id: int | None, person: int, now: float) -> bool:
    return (
        kept.user_id == user_id
        and kept.expires > now
        and kept.person == person
        and generations_read(keys=kept.generations) == kept.generations
    )


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    messages = get_messages(request)
    return (
        response.status_code == 200
        and not response.streaming
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and not request.session.modified
        and not getattr(messages, "used", False)
        and not getattr(messages, "added_new", False)
    )


def page_cached(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page `render` makes for this request, kept for the same reader (see above)."""
    seconds = page_cache_seconds()
    if (
        seconds <= 0
        or request.method not in ("GET", "HEAD")
        or request.META.get("QUERY_STRING")  # the pages read none: not one copy per string
        or getattr(request, "is_preview", False)  # an editor's draft, shown through serve()
        or len(get_messages(request))
    ):
        return render()
    user_id = request.user.pk  # None for a visitor
    key = _page_key(request, user_id)
    person = 0  # a visitor has no generation of their own
    if user_id is None:
        kept = cache.get(key)
    else:
        person_key = person_generation_key(user_id)
        found = cache.get_many([key, person_key])
        kept = found.get(key)
        person = found.get(person_key) or generation_fresh(key=person_key)
    now = time.time()
    if kept is not None and _still_right(kept, user_id=user_id, person=person, now=now):
        body = _csrf_tokens_fresh(request, zlib.decompress(kept.body))
        response = HttpResponse(body, content_type=kept.content_type)
        response["X-Page-Cache"] = "hit"
        return response

    generation(key=CONTENT_GENERATION_KEY)  # every kept page depends on it
    token = _expires.set(min(now + seconds, _next_midnight(now)))
    try:
        response = render()
        if hasattr(response, "render"):
            response.render()
        expires = _expires.get()
    finally:
        _expires.reset(token)
    if expires > now and _may_keep(request, response):
        kept = Kept(
            user_id=user_id,
            expires=expires,
            person=person,
            generations=generations_read(keys=None),
            content_type=response["Content-Type"],
            body=zlib.compress(response.content, 1),
        )
        cache.set(key, kept, max(1, int(expires - now)))
    return response
