from wagtail.snippets.models import register_snippet

from cms.viewsets import ConcernContactViewSet

register_snippet(ConcernContactViewSet)
