from django.conf import settings
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
    # The year's village network: [[village slug, village slug, people in both], ...]
    village_pairs = models.JSONField(_("village pairs"), default=list)
    seconds = models.FloatField(_("seconds to compute"), default=0)

    class Meta:
        verbose_name = _("figure snapshot")
        verbose_name_plural = _("figure snapshots")

    def __str__(self):
        return f"{self.year} ({self.as_of})"


STORY_MAX_LENGTH = 2000  # per text: about half a page of the report


class PlaceStory(models.Model):
    """What a place's coordinator writes for a period of the report: what went well and
    what they learned. Shown to every reader of the report, viewers included, so it
    names no one."""

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="stories", verbose_name=_("place")
    )
    period = models.CharField(
        _("period"),
        max_length=7,
        help_text=_("A year (2026), quarter (2026-Q1) or month (2026-03)."),
    )
    went_well = models.TextField(_("what went well"), max_length=STORY_MAX_LENGTH, blank=True)
    learned = models.TextField(_("what we learned"), max_length=STORY_MAX_LENGTH, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("place story")
        verbose_name_plural = _("place stories")
        constraints = [
            models.UniqueConstraint(fields=["place", "period"], name="one_story_per_place_period")
        ]
        ordering = ["period", "place__name"]

    def __str__(self):
        return f"{self.place} {self.period}"
