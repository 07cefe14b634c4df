from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from certificates import hook_handlers, personal_data, retention
from certificates.models import Certificate
from certificates.services import REVOKE_ACTION
from certificates.viewsets import CertificateViewSet, IssuedBySystemPermissionPolicy
from courses.extension import (
    COMPLETION_LINKS,
    FOLLOWUP_SECTIONS,
    LEARNER_PANELS,
    PERSONAL_DATA,
    RETENTION_RULES,
)

register_permission_policy(
    Certificate, IssuedBySystemPermissionPolicy(Certificate), exact_class=True
)
register_snippet(CertificateViewSet)
hooks.register(LEARNER_PANELS, hook_handlers.learner_panel)
hooks.register(COMPLETION_LINKS, hook_handlers.completion_links)
hooks.register(FOLLOWUP_SECTIONS, hook_handlers.followup_sections)
hooks.register(PERSONAL_DATA, personal_data.personal_data_kinds)
hooks.register(RETENTION_RULES, retention.retention_rules)
hooks.register(RETENTION_RULES, retention.retention_rules)


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action(REVOKE_ACTION, _("Revoke certificate"), _("Certificate revoked"))
