from courses.selectors.organisation import user_shell_roles


def roles(request):
    """What the shell offers the signed-in user: the reports link and Wagtail's userbar
    (one query, only when signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell_can_report": False, "shell_can_edit": False}
    # Sections rendered with the request (e.g. the panels of /my/) run this again: once is
    # enough per request.
    if not hasattr(request, "_shell_roles"):
        request._shell_roles = user_shell_roles(user=user)
    return request._shell_roles
