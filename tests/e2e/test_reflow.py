"""Reflow (WCAG 1.4.10): every page type fits 320 CSS px without sideways scrolling, and the
learner's main pages fit at 200 % text zoom (640 px of a 1280 px window). One test, so
the demo is seeded once.

Tables either become stacked rows or scroll inside their own labelled region; what the page
itself may never do is scroll sideways. One browser context, one sign-in per role.
"""

from playwright.sync_api import expect

from certificates.models import Certificate
from cms.models import LecturePage, ResourcePage, StandardPage
from courses.models import CoursePage, ModulePage, Session
from quizzes.models import KnowledgeTest
from quizzes.selectors import module_test_ids

NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 800}  # a 1280 px window at 200 % zoom
ZOOMED_PAGES = (
    "home",
    "catalogue",
    "course",
    "module",
    "module with knowledge test",
    "lecture",
    "conversation guide",
    "search",
    "my",
    "my data",
    "certificates",
    "sessions",
)

# What overflows, for the failure message: elements reaching past the viewport that are not
# inside a container that scrolls on its own.
OFFENDERS = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
    .slice(0, 5)
    .map((el) => {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const right = Math.round(el.getBoundingClientRect().right);
      return `${el.tagName.toLowerCase()}${cls} (${right}px)`;
    });
}"""


def overflow(page, url: str) -> str | None:
    """None if `url` fits the viewport's width; else what sticks out."""
    response = page.goto(url)
    assert response is not None and response.status < 500, (url, response and response.status)
    page.wait_for_load_state()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll <= inner:
        return None
    return f"{url}: {scroll}px > {inner}px; {page.evaluate(OFFENDERS)}"


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("main button[type=submit]")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def learner_paths() -> dict[str, str]:
    course = CoursePage.objects.live().get(slug="grundutbildning")
    modules = list(ModulePage.objects.live().child_of(course))
    tested = next(m for m in modules if module_test_ids(module=m))
    test = KnowledgeTest.objects.get(pk=min(module_test_ids(module=tested)))
    plain = next(m for m in modules if m.pk != tested.pk)
    certificate = Certificate.objects.order_by("pk").first()
    session = Session.objects.order_by("starts_at").first()
    return {
        "home": "/",
        "catalogue": "/utbildningar/",
        "course": course.url,
        "module": plain.url,
        "module with knowledge test": tested.url,
        "knowledge test": f"/quizzes/modules/{tested.pk}/tests/{test.pk}/",
        "lecture index": "/forelasningar/",
        "lecture": LecturePage.objects.live().first().url,
        "guidance index": "/stod/",
        "conversation guide": "/stod/samtalsguide/",
        "conversation guide, print": "/stod/samtalsguide/print/",
        "resource": ResourcePage.objects.live().first().url,
        "standard page": StandardPage.objects.live().first().url,
        "search": "/search/?q=extremism",
        "my": "/my/",
        "my data": "/my/data/",
        "certificates": "/certificates/",
        "verify": "/certificates/verify/",
        "verify, a code": f"/certificates/verify/{certificate.display_code}/",
        "sessions": "/sessions/",
        "session": f"/sessions/{session.pk}/",
        "session check-in": f"/sessions/{session.pk}/checkin/",
        "404": "/finns-inte/",
    }


def test_every_page_type_fits_320_px_and_the_learners_pages_200_percent_zoom(
    demo, page, live_server
):
    base = live_server.url
    page.set_viewport_size(NARROW)
    too_wide = []

    def check(url):
        if found := overflow(page, url):
            too_wide.append(found)

    check(f"{base}/accounts/login/")
    check(f"{base}/")

    sign_in(page, base, "socialsekreterare")
    paths = learner_paths()
    for path in paths.values():
        check(f"{base}{path}")
    # 200 % text zoom in a 1280 px window: the learner's main pages.
    page.set_viewport_size(ZOOMED)
    for name in ZOOMED_PAGES:
        check(f"{base}{paths[name]}")
    page.set_viewport_size(NARROW)
    # A quiz attempt: start one from the test's page.
    page.goto(f"{base}{paths['knowledge test']}")
    start = page.get_by_role("button", name="Starta testet")
    if start.count():
        start.click()
        page.wait_for_url("**/quizzes/attempts/**")
        check(page.url)

    session = Session.objects.order_by("starts_at").first()
    sign_in(page, base, "chef")
    for path in ("/reports/", "/certificates/staff/", "/my/"):
        check(f"{base}{path}")

    sign_in(page, base, "samordnare")
    for path in (
        "/reports/",
        "/reports/coverage/",
        "/reports/coverage/followup/",
        f"/sessions/{session.pk}/roster/",
        f"/sessions/{session.pk}/checkin-code/",
    ):
        check(f"{base}{path}")
    page.goto(f"{base}/reports/coverage/")
    people = page.locator("a[href*='/reports/coverage/people/']").first
    if people.count():
        check(base + people.get_attribute("href"))

    assert too_wide == [], "\n".join(too_wide)
