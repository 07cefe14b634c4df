"""Template tags that give the session includes their data, so that the course page and /my/
only need `{% include %}` and nothing in their views."""

from django import template

from courses.selectors.organisation import staff_for_user
from courses.selectors.sessions import sessions_for_course, sessions_of_person, sessions_open_to

register = template.Library()


@register.simple_tag
def course_session_rows(page, user):
    """Upcoming sessions of a course page, as the user sees them."""
    if page is None or not getattr(page, "pk", None):
        return []
    staff = staff_for_user(user=user) if user is not None else None
    return sessions_for_course(course=page, staff=staff)


@register.simple_tag
def my_session_rows(user):
    """The user's coming sessions (registered or waiting)."""
    staff = staff_for_user(user=user) if user is not None else None
    return sessions_of_person(staff=staff) if staff else []


@register.simple_tag
def open_session_rows(user):
    """Upcoming sessions the user may register for."""
    staff = staff_for_user(user=user) if user is not None else None
    return sessions_open_to(staff=staff) if staff else []
