from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.viewsets import ReadOnlyPermissionPolicy
from courses import hook_handlers
from courses.extension import FOLLOWUP_SECTIONS
from courses.hr_import_viewsets import HrImportRecordViewSet
from courses.models import (
    ExternalAccount,
    FollowupSnapshot,
    HrImport,
    RetentionRun,
    SignInRefusal,
)
from courses.organisation_viewsets import OrganisationViewSetGroup
from courses.record_viewsets import (
    FollowupSnapshotViewSet,
    RetentionRunViewSet,
    ViewOnlyPermissionPolicy,
)
from courses.scorm.viewsets import (
    ScormAttemptViewSet,
    ScormPackageVersionViewSet,
    ScormPackageViewSet,
)
from courses.views.hr_import_admin import HrImportAdminViewSet
from courses.viewsets import (
    ExternalAccountViewSet,
    SessionViewSet,
    SignInRefusalViewSet,
)

register_snippet(OrganisationViewSetGroup)
register_snippet(SessionViewSet)
register_snippet(ScormPackageViewSet)
register_snippet(ScormPackageVersionViewSet)
register_snippet(ScormAttemptViewSet)
register_permission_policy(ExternalAccount, ReadOnlyPermissionPolicy(ExternalAccount))
register_permission_policy(SignInRefusal, ReadOnlyPermissionPolicy(SignInRefusal))
hooks.register("register_admin_viewset", ExternalAccountViewSet)
hooks.register("register_admin_viewset", SignInRefusalViewSet)
hooks.register(FOLLOWUP_SECTIONS, hook_handlers.sessions_followup_section)
hooks.register("after_edit_snippet", hook_handlers.session_seats_fill_after_edit)
register_permission_policy(FollowupSnapshot, ViewOnlyPermissionPolicy(FollowupSnapshot))
register_permission_policy(RetentionRun, ViewOnlyPermissionPolicy(RetentionRun))
hooks.register("register_admin_viewset", FollowupSnapshotViewSet)
hooks.register("register_admin_viewset", RetentionRunViewSet)
register_permission_policy(HrImport, ViewOnlyPermissionPolicy(HrImport))
hooks.register("register_admin_viewset", HrImportAdminViewSet)
hooks.register("register_admin_viewset", HrImportRecordViewSet)


@hooks.register("register_log_actions")
def register_session_log_actions(actions):
    actions.register_action(
        "courses.attendance_marked", _("Mark attendance"), _("Attendance marked")
    )
    actions.register_action(
        "courses.attendance_undone",
        _("Undo attendance"),
        _("Attendance undone and its course completion withdrawn"),
    )
    actions.register_action(
        "courses.session_cancelled", _("Cancel the session"), _("Session cancelled")
    )
    actions.register_action(
        "courses.hr_import_confirmed", _("Confirm the HR import"), _("HR import confirmed")
    )
    actions.register_action(
        "courses.walk_ins_by_code",
        _("Walk-ins by code"),
        _("Check-in by code for people not registered opened or closed"),
    )
