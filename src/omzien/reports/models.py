from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """The nightly rollup of one year: the cube's exact cells and the cells a viewer does
    not see, so a report reads one row instead of counting a year of visits.

    ``version`` says which measures and which disclosure rule made it: a snapshot of
    another version (new measures after an upgrade) is made again when it is asked for.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    as_of = models.DateField(_("figures as of"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    version = models.CharField(_("version"), max_length=64)
    min_cell = models.PositiveSmallIntegerField(_("smallest count shown to viewers"))
    cells = models.JSONField(_("cells"))  # [[group, period, measure, value], ...]
    extra = models.JSONField(_("extra"), default=list)  # [[group, period, measure, {...}], ...]
    hidden = models.JSONField(_("hidden for viewers"))  # [[group, period, measure], ...]
    seconds = models.FloatField(_("seconds to compute"), default=0)

    class Meta:
        verbose_name = _("figure snapshot")
        verbose_name_plural = _("figure snapshots")

    def __str__(self):
        return f"{self.year} ({self.as_of})"
