from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cms.admin_guards import refuse_bulk_publish_of_uncaptioned_lectures
from cms.viewsets import ConcernContactViewSet

register_snippet(ConcernContactViewSet)
hooks.register("before_bulk_action", refuse_bulk_publish_of_uncaptioned_lectures)
