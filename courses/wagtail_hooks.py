from wagtail.snippets.models import register_snippet

from courses.viewsets import OrganisationViewSetGroup

register_snippet(OrganisationViewSetGroup)

# ---------------------------------------------------------------------------- sessions
from django.utils.translation import gettext_lazy as _  # noqa: E402
from wagtail import hooks  # noqa: E402

from courses.extension import FOLLOWUP_SECTIONS  # noqa: E402
from courses.viewsets import SessionViewSet  # noqa: E402

register_snippet(SessionViewSet)


@hooks.register("register_log_actions")
def register_session_log_actions(actions):
    actions.register_action(
        "courses.attendance_marked", _("Mark attendance"), _("Attendance marked")
    )
    actions.register_action(
        "courses.attendance_undone",
        _("Undo attendance"),
        _("Attendance undone and its course completion withdrawn"),
    )


@hooks.register(FOLLOWUP_SECTIONS)
def sessions_followup_section(start, end, units):
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
        (_("Registered"), figures["registered"]),
        (_("Attended"), figures["attended"]),
    ]
    rows += [
        (_("Attended from %(unit)s") % {"unit": row["unit"]}, row["attended"])
        for row in figures["by_unit"]
    ]
    return [{"title": _("Sessions"), "rows": rows}]


@hooks.register("after_edit_snippet")
def sessions_fill_after_edit(request, instance):
    """More seats on a session: the waiting list moves up at once."""
    from courses.models import Session
    from courses.services.sessions import session_fill_seats

    if isinstance(instance, Session):
        session_fill_seats(session=instance)
