"""Places visiting each other ("Kom een kijkje nemen").

An `Invitation` is a meeting place's open afternoon, or an invitation to join one of its
activities on a date, for other places. It carries no personal data and is public: the
calendar of open days at /open-dagen/ (and its iCal feed) and the invited places' pages
show it. Each invited place is an `InvitedPlace`, which keeps that place's answer (how many
come, and the first names of who comes: staff-side only) and, after the visit, what the
visiting place wants to try themselves. The host writes down how it went (``report``).
"""

import uuid
from datetime import datetime

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Activity
from omzien.agenda.recurrence import local_zone
from omzien.core.fields import recorded_by
from omzien.places.models import Place

TITLE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 2000
NAMES_MAX_LENGTH = 200
MAX_VISITORS = 50


class InvitationQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def coming(self, today):
        """Not cancelled, on today or later."""
        return self.not_cancelled().filter(date__gte=today)


class Invitation(models.Model):
    class Kind(models.TextChoices):
        OPEN_DAY = "open", _("open afternoon or open day")
        ACTIVITY = "activiteit", _("join one of our activities")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    host = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("host place"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OPEN_DAY)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    message = models.TextField(_("message"), max_length=TEXT_MAX_LENGTH, blank=True)
    places = models.ManyToManyField(
        Place,
        through="InvitedPlace",
        related_name="invitations_received",
        verbose_name=_("invited places"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = recorded_by(_("recorded by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = recorded_by(_("cancelled by"))
    report = models.TextField(_("how it went"), max_length=TEXT_MAX_LENGTH, blank=True)
    reported_at = models.DateTimeField(_("written down at"), null=True, blank=True)
    reported_by = recorded_by(_("written down by"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["date", "cancelled_at"])]

    def __str__(self):
        return f"{self.title} ({self.host}, {self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("open_days:detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=local_zone())

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, tzinfo=local_zone())


class InvitedPlace(models.Model):
    """One invited place: its answer, and after the visit what it wants to try."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="guests", verbose_name=_("invitation")
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="+", verbose_name=_("place")
    )
    # Empty: not answered yet; 0: nobody comes.
    count = models.PositiveSmallIntegerField(
        _("how many come"), null=True, blank=True, validators=[MaxValueValidator(MAX_VISITORS)]
    )
    names = models.CharField(_("who comes"), max_length=NAMES_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = recorded_by(_("answered by"))
    want_to_try = models.TextField(
        _("what we want to try ourselves"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    tried_recorded_at = models.DateTimeField(_("written down at"), null=True, blank=True)
    tried_recorded_by = recorded_by(_("written down by"))

    class Meta:
        verbose_name = _("invited place")
        verbose_name_plural = _("invited places")
        ordering = ["place__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "place"], name="visiting_one_per_place")
        ]

    def __str__(self):
        return f"{self.place} → {self.invitation_id}"

    @property
    def has_answered(self) -> bool:
        return self.count is not None
