"""Hook handlers: what the sessions part of courses adds to the follow-up and the admin.

Wagtail's hook registry calls these; courses/wagtail_hooks.py registers them (the split of
Wagtail's own signal_handlers.py: the registering in one place, the bodies here)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def sessions_followup_section(start, end, units) -> list[dict]:
    """Sessions held, registered and attended in the period, and attendance per unit."""
    from courses.models import Unit
    from courses.selectors.organisation import unit_subtree_ids
    from courses.selectors.sessions import sessions_followup

    unit_ids = None
    if units is not None:
        # Units or ids; a unit stands for its subtree (expanding a subtree changes nothing).
        roots = [u.pk if isinstance(u, Unit) else int(u) for u in units]
        unit_ids = unit_subtree_ids(unit_ids=roots)
    figures = sessions_followup(start=start, end=end, unit_ids=unit_ids)
    rows = [
        (_("Sessions held"), figures["sessions_held"]),
        (pgettext("number of people", "Registered"), figures["registered"]),
        (pgettext("number of people", "Attended"), figures["attended"]),
    ]
    rows += [
        (_("Attended from %(unit)s") % {"unit": row["unit"]}, row["attended"])
        for row in figures["by_unit"]
    ]
    return [{"title": _("Sessions"), "rows": rows}]


def session_seats_fill_after_edit(request, instance) -> None:
    """More seats on a session: the waiting list moves up at once."""
    from courses.models import Session
    from courses.services.sessions import session_fill_seats

    if isinstance(instance, Session):
        session_fill_seats(session=instance)
