from cms.selectors import accessibility_statement_url, concern_contacts


def site_shell(request):
    """What every page's shell shows: the 'Vid oro' contacts and the link to the
    accessibility statement (callables, so that a page
    which does not show them, such as the server error page, reads nothing)."""
    return {
        "concern_contacts": concern_contacts,
        "accessibility_statement_url": accessibility_statement_url,
    }
