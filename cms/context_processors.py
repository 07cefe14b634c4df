from cms.models import ConcernContact


def site_shell(request):
    """What every page's shell shows: the 'Vid oro' contacts."""
    return {"concern_contacts": ConcernContact.objects.all()}
