"""The dorpenplatform: the municipality's village platform evenings, where the meeting
places of the villages share what works.

An `Evening` has an agenda and a place (a meeting place, or elsewhere: the town hall);
`EveningAttendance` counts who came from which place (counts only, never names); a
`Lesson` ("wat werkt") is a short practice a place tried, with `Tag`s, maybe shared at an
evening; an `Action` is agreed at an evening with an owner and a due date, and its
`FollowUp`s are recorded at later evenings. Nothing here is about a resident.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from omzien.core.fields import recorded_by
from omzien.places.models import Place, Region

TITLE_MAX_LENGTH = 150
AGENDA_MAX_LENGTH = 4000
PRACTICE_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000
MAX_COUNT = 500


class Evening(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="evenings", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    host_place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_evenings",
        verbose_name=_("at meeting place"),
    )
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("When it is not at a meeting place, e.g. the town hall."),
    )
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX_LENGTH, blank=True)
    organised_by = recorded_by(_("organised by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("village platform evening")
        verbose_name_plural = _("village platform evenings")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="evening_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def where(self) -> str:
        return self.host_place.name if self.host_place_id else self.location

    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class EveningAttendance(models.Model):
    """How many came from a place to an evening: a count, never who."""

    evening = models.ForeignKey(
        Evening, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("evening")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("meeting place")
    )
    count = models.PositiveSmallIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("attendance per place")
        verbose_name_plural = _("attendance per place")
        ordering = ["place__name"]
        constraints = [
            models.UniqueConstraint(fields=["evening", "place"], name="one_count_per_place"),
            models.CheckConstraint(
                condition=Q(count__gte=0, count__lte=MAX_COUNT), name="attendance_count_range"
            ),
        ]

    def __str__(self):
        return f"{self.evening_id} {self.place_id}: {self.count}"


class Tag(models.Model):
    slug = models.SlugField(_("slug"), unique=True, max_length=50)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Lesson(models.Model):
    """ "Wat werkt": a short practice, and the place that tried it."""

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    practice = models.TextField(_("what they did"), max_length=PRACTICE_MAX_LENGTH)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="lessons", verbose_name=_("meeting place")
    )
    evening = models.ForeignKey(
        Evening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("shared at"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="lessons", verbose_name=_("tags"))
    created_by = recorded_by(_("written by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("lesson (what works)")
        verbose_name_plural = _("lessons (what works)")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class Action(models.Model):
    """Agreed at an evening: what, who takes it on (a place, or a name such as "gemeente"),
    by when; followed up at later evenings."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "gedaan", _("done")
        DROPPED = "vervallen", _("dropped")

    evening = models.ForeignKey(
        Evening, on_delete=models.CASCADE, related_name="actions", verbose_name=_("agreed at")
    )
    description = models.CharField(_("what"), max_length=300)
    owner_place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken on by meeting place"),
    )
    owner_name = models.CharField(
        _("taken on by"),
        max_length=100,
        blank=True,
        help_text=_("An organisation or a role, e.g. “gemeente” (not a resident's name)."),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = recorded_by(_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description

    @property
    def owner(self) -> str:
        names = [self.owner_place.name if self.owner_place_id else "", self.owner_name]
        return ", ".join(name for name in names if name)


class FollowUp(models.Model):
    """What became of an action, noted at a later evening."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("action")
    )
    evening = models.ForeignKey(
        Evening, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("evening")
    )
    note = models.TextField(_("follow-up"), max_length=NOTE_MAX_LENGTH)
    status = models.CharField(_("status afterwards"), max_length=10, choices=Action.Status.choices)
    recorded_by = recorded_by(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.action_id} @ {self.evening_id}"
