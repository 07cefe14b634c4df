from courses.selectors.organisation import user_can_report


def roles(request):
    """Whether the navigation shows the reports link (one query, only when signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell_can_report": False}
    return {"shell_can_report": user_can_report(user=user)}
