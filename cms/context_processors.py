from django.conf import settings

from cms.selectors import accessibility_statement_url, concern_contacts


def site_shell(request):
    """What every page's shell shows: the 'Vid oro' contacts and the link to the
    accessibility statement (callables, so that a page which does not show them, such as the
    server error page, reads nothing), and the language the site's content is written in:
    pages have one locale, the default language, so with the English interface their titles
    and bodies keep lang="sv" (WCAG 3.1.2)."""
    return {
        "concern_contacts": concern_contacts,
        "accessibility_statement_url": accessibility_statement_url,
        "content_language": settings.LANGUAGE_CODE,
    }
