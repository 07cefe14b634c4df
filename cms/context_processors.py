from cms.selectors import concern_contacts


def site_shell(request):
    """What every page's shell shows: the 'Vid oro' contacts (a callable, so that a page
    which does not show them, such as the server error page, reads nothing)."""
    return {"concern_contacts": concern_contacts}
