"""Knowledge tests and course evaluations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KnowledgeTest(models.Model):
    """A knowledge test editors place in a module through the knowledge-test block."""

    title = models.CharField(_("title"), max_length=200)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)

    class Meta:
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")

    def __str__(self) -> str:
        return self.title
