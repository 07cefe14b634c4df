"""Snippet choosers that answer only those who may see the model.

Wagtail's chooser views check no permission to list or pick: an editor could list every
staff member, completion or certificate (with its code) through a chooser, although the
listing itself refused them. Every snippet viewset of ours uses this chooser viewset
(`chooser_viewset_class`), so that choosing needs some permission on the model: editors
keep the choosers of what they edit (knowledge tests, lectures), and personal data stays
with coordinators and admins.
"""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import chooser as snippet_chooser

ANY_ACTION = ["add", "change", "delete", "view"]


class _Permitted:
    def dispatch(self, request, *args, **kwargs):
        policy = ModelPermissionPolicy(self.model_class)
        if not policy.user_has_any_permission(request.user, ANY_ACTION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ChooseView(_Permitted, snippet_chooser.ChooseView):
    pass


class ChooseResultsView(_Permitted, snippet_chooser.ChooseResultsView):
    pass


class ChosenView(_Permitted, snippet_chooser.SnippetChosenView):
    pass


class ChosenMultipleView(_Permitted, snippet_chooser.SnippetChosenMultipleView):
    pass


class PermittedSnippetChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
