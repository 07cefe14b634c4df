from wagtail.snippets.models import register_snippet

from courses.viewsets import OrganisationViewSetGroup

register_snippet(OrganisationViewSetGroup)
