"""Signals: "we haven't seen X", a prompt to reach out, with its follow-up log.

Also what is *not* an absence: an absence a person announced (a place's closure,
``places.PlaceClosure``, is not one either).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.people.models import Person
from omzien.places.models import Place


class Outcome(models.TextChoices):
    """How a contact went, or why a signal was closed."""

    ALL_FINE = "all_fine", _("all fine")
    NEEDS_HELP = "needs_help", _("needs help")
    REFERRED = "referred", _("referred")
    NO_CONTACT = "no_contact", _("no contact")
    ILL_OR_AWAY = "ill_or_away", _("ill or away for a while")
    SEEN_AGAIN = "seen_again", _("seen again")
    MOVED = "moved", _("moved away or stopped on purpose")
    OTHER = "other", _("other")


# What a contact can find out; "seen again" and "other" only close a signal.
CONTACT_OUTCOMES = [
    (value, label)
    for value, label in Outcome.choices
    if value
    in {
        Outcome.ALL_FINE,
        Outcome.NEEDS_HELP,
        Outcome.REFERRED,
        Outcome.NO_CONTACT,
        Outcome.ILL_OR_AWAY,
        Outcome.MOVED,
    }
]


class Rhythm(models.TextChoices):
    """The kind of rhythm detection judged an absence against: the probability is
    calibrated per kind (``signals.calibration``)."""

    WEEKLY = "weekly", _("weekly or more often")
    SLOW = "slow", _("fortnightly or monthly")
    OCCASIONAL = "occasional", _("now and then")


# The "Kans" column in words (docs/signals.md, "The chance in words"): from this
# probability on, the label; below the last, the lowest. Detection raises a signal
# from OMZIEN_SIGNAL_THRESHOLD (0.2) on, a slower rhythm's from 0.15.
CHANCE_BANDS = (
    (0.9, _("high chance that something is wrong")),
    (0.5, _("something may be wrong")),
    (0.0, _("small chance, but asking does no harm")),
)


def chance_label(probability: float | None) -> str:
    """A signal's probability in plain words; a signal raised by hand has none."""
    if probability is None:
        return str(_("raised by hand, no estimate"))
    for lowest, label in CHANCE_BANDS:
        if probability >= lowest:
            return str(label)
    return str(CHANCE_BANDS[-1][1])


class SignalQuerySet(models.QuerySet):
    def active(self):
        """Open or snoozed: at most one per person and place."""
        return self.filter(status__in=[Signal.Status.OPEN, Signal.Status.SNOOZED])

    def by_urgency(self):
        """Escalated first, then the most likely dropouts (at the same probability a
        regular before an occasional visitor), then the oldest."""
        return self.order_by(
            models.F("escalated_at").asc(nulls_last=True),
            models.F("probability").desc(nulls_first=True),
            "occasional",
            "raised_on",
            "pk",
        )


class Signal(models.Model):
    """One concern about one person at one place, from detection or raised by hand."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("noticed by Omzien")
        MANUAL = "manual", _("raised by hand")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SNOOZED = "snoozed", _("snoozed")
        CLOSED = "closed", _("closed")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="signals", verbose_name=_("person")
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="signals", verbose_name=_("place")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AUTO)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    raised_on = models.DateField(_("raised on"))
    last_seen = models.DateField(_("last seen"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    probability = models.FloatField(_("probability of having dropped out"), null=True, blank=True)
    # The model's probability on the night detection raised it, before any calibration:
    # what the calibration learns from (``probability`` is refreshed every night).
    raw_probability = models.FloatField(_("model's probability when raised"), null=True, blank=True)
    missed = models.PositiveIntegerField(_("sessions missed"), null=True, blank=True)
    # Detection found no session rhythm: judged against their own rate and longest gaps.
    occasional = models.BooleanField(_("occasional visitor"), default=False)
    rhythm = models.CharField(_("rhythm"), max_length=12, choices=Rhythm.choices, blank=True)
    # The activity they came to most: its hosts are asked first ("Wie weet hoe het gaat?").
    activity = models.ForeignKey(
        "agenda.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    # Someone who comes to it every other week: the parity of their weeks
    # (core.dates.week_parity), so that the door asks in the weeks they would come.
    week_parity = models.PositiveSmallIntegerField(_("week parity"), null=True, blank=True)
    # Empty while the signal is a first contact at the door ("even vragen hoe het gaat");
    # the day it became a follow-up for a coordinator or professional.
    follow_up_since = models.DateField(_("follow-up since"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_signals",
        verbose_name=_("assigned to"),
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "place"],
                condition=models.Q(status__in=["open", "snoozed"]),
                name="signal_one_active_per_person_place",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "place"]),
            models.Index(fields=["person", "-raised_on"]),
        ]

    def __str__(self):
        return f"{self.person} @ {self.place} ({self.raised_on})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.SNOOZED}

    @property
    def is_first_contact(self) -> bool:
        """Still "even vragen hoe het gaat" at the door, not yet a coordinator's task."""
        return self.follow_up_since is None

    @property
    def chance(self) -> str:
        """The probability in plain words ("grote kans dat er iets is")."""
        return chance_label(self.probability)


class ContactLog(models.Model):
    """One attempt to reach the person of a signal, and how it went."""

    class Method(models.TextChoices):
        CALLED = "called", _("called")
        VISITED = "visited", _("visited at home")
        MET = "met", _("met at the place")
        ASKED = "asked", _("asked around at the door")

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("signal")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CONTACT_OUTCOMES)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.signal}: {self.get_method_display()} ({self.at:%Y-%m-%d})"


class AnnouncedAbsence(models.Model):
    """An absence someone announced ("op vakantie tot 12 mei"): not a reason to worry."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="announced_absences",
        verbose_name=_("person"),
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announced absence")
        verbose_name_plural = _("announced absences")
        ordering = ["-first_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="absence_last_day_after_first",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.first_day} – {self.last_day}"


class Calibration(models.Model):
    """The probability fitted on the region's own follow-up outcomes for one kind of
    rhythm (``signals.calibration.fit``), refitted nightly; the newest one applies."""

    rhythm = models.CharField(_("rhythm"), max_length=12, choices=Rhythm.choices)
    fitted_on = models.DateField(_("fitted on"))
    labels = models.PositiveIntegerField(_("closed signals it learned from"))
    dropouts = models.PositiveIntegerField(_("of which real dropouts"))
    # signals.calibration.Calibration.as_json(): the fitted curve's knots and values
    curve = models.JSONField(_("curve"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")
        ordering = ["rhythm", "-fitted_on", "-pk"]
        get_latest_by = ["fitted_on", "pk"]

    def __str__(self):
        return f"{self.get_rhythm_display()} ({self.fitted_on})"
