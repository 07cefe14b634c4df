"""Hook handlers: what certificates adds to courses' pages through the hooks of
courses.extension. certificates/wagtail_hooks.py registers them."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.selectors import (
    certificates_issued_per_course,
    certificates_of_staff,
    completion_download_links,
    own_certificates,
)


def learner_panel(request, staff) -> str | None:
    """LEARNER_PANELS: the person's certificates with download links, for /my/."""
    if staff is None:
        return None
    return render_to_string(
        "certificates/learner_panel.html",
        {
            "certificates": own_certificates(user=request.user)
            if staff.user_id == request.user.pk
            else list(certificates_of_staff(staff=staff))
        },
        request=request,
    )


def completion_links(user, completion_ids) -> dict[int, str]:
    """COMPLETION_LINKS: completion id -> certificate download URL the user may use."""
    return {
        completion_id: reverse("certificates:download", args=[certificate_id])
        for completion_id, certificate_id in completion_download_links(
            user=user, completion_ids=completion_ids
        ).items()
    }


def followup_sections(start, end, units) -> list[dict]:
    """FOLLOWUP_SECTIONS: certificates issued in the period, per course."""
    rows = certificates_issued_per_course(start=start, end=end, units=units)
    total = sum(count for _title, count in rows)
    return [
        {
            "title": _("Certificates issued"),
            "rows": [*rows, (_("Total"), total)],
        }
    ]
