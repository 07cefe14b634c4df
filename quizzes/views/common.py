from django.shortcuts import render
from django.utils.translation import gettext as _

from courses.selectors.organisation import staff_for_user


def refused(request, message: str, *, status: int, back_url: str = ""):
    """A page that explains why the request was not carried out (nothing was changed)."""
    return render(
        request,
        "quizzes/refused.html",
        {"message": message, "back_url": back_url, "status": status},
        status=status,
    )


def staff_or_refuse(request):
    staff = staff_for_user(user=request.user)
    if staff is None:
        return None, refused(
            request,
            _("Knowledge tests and course evaluations are for staff members."),
            status=403,
        )
    return staff, None
