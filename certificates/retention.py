"""Certificates' retention rule: a certificate goes with its completion (courses'
"completions" rule: kept while valid, then per the archive decision), just before it."""

from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.services.retention import RetentionRule, completions_purgeable


def _certificates(now, cutoff):
    return [Certificate.objects.filter(completion_id__in=completions_purgeable(cutoff=cutoff))]


def retention_rules() -> list[RetentionRule]:
    # The certificate follows its completion's limit.
    return [RetentionRule("certificates", _("Certificates"), _certificates, setting="completions")]
