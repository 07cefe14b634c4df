from courses.selectors.organisation import user_is_manager, user_sees_whole_organisation


def roles(request):
    """Whether the navigation shows the reports link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell_can_report": False}
    return {
        "shell_can_report": user_sees_whole_organisation(user=user) or user_is_manager(user=user)
    }
