from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.choosers import PermittedSnippetChooserViewSet
from cms.models import ConcernContact


class ConcernContactViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ConcernContact
    icon = "warning"
    menu_label = _("If you are worried")
    list_display = ["name", "role", "phone", "sort_order"]
    add_to_admin_menu = True
    menu_order = 300
