import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from omzien.agenda import recurrence
from omzien.core.public_cache import PublicContentQuerySet
from omzien.places.models import Place, PlaceClosure


class Category(models.TextChoices):
    COFFEE = "koffie", _("Coffee and a chat")
    MEAL = "eten", _("Eating together")
    CRAFTS = "handwerken", _("Crafts and needlework")
    GAMES = "spel", _("Games and billiards")
    EXERCISE = "bewegen", _("Walking and exercise")
    COMPUTER = "computer", _("Computer and phone help")
    CREATIVE = "creatief", _("Creative and music")
    LEARNING = "leren", _("Talks and learning")
    OTHER = "anders", _("Other")


class ActivityQuerySet(PublicContentQuerySet):
    def active(self):
        return self.filter(is_active=True, place__is_active=True)


class Activity(models.Model):
    """A recurring offer at a place; its dates follow an RFC 5545 recurrence rule."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="activities", verbose_name=_("place")
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"))
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.COFFEE
    )
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=255,
        default="FREQ=WEEKLY",
        help_text=_(
            "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU (every Tuesday) or "
            "FREQ=MONTHLY;BYDAY=1TH (first Thursday of the month)."
        ),
    )
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    duration = models.DurationField(_("duration"), default=timedelta(hours=2))
    exception_dates = models.TextField(
        _("dates without this activity"),
        blank=True,
        help_text=_("Dates as YYYY-MM-DD, separated by commas or new lines."),
    )
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost in euros"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["place__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "slug"], name="activity_slug_unique_per_place"
            ),
            models.CheckConstraint(
                condition=models.Q(last_date__isnull=True)
                | models.Q(last_date__gte=models.F("first_date")),
                name="activity_last_date_after_first",
            ),
            models.CheckConstraint(
                condition=models.Q(duration__gt=timedelta(0)), name="activity_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.place})"

    def get_absolute_url(self):
        return reverse("agenda:activity", args=[self.place.slug, self.slug])

    def clean(self):
        errors = {}
        if self.last_date and self.first_date and self.last_date < self.first_date:
            errors["last_date"] = _("The last date lies before the first date.")
        if self.duration is not None and self.duration <= timedelta(0):
            errors["duration"] = _("The end lies before the start: the duration must be positive.")
        self.rrule = recurrence.normalise_rule(self.rrule)
        if self.first_date and self.start_time:
            try:
                recurrence.parse_rule(
                    self.rrule, datetime.combine(self.first_date, self.start_time)
                )
            except ValidationError as error:
                errors["rrule"] = error.messages
        try:
            recurrence.parse_dates(self.exception_dates)
        except ValidationError as error:
            errors["exception_dates"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def exception_date_list(self) -> list[date]:
        return recurrence.parse_dates(self.exception_dates)

    @property
    def rule_description(self) -> str:
        """When the activity is, in words: "elke dinsdag, 10:00–12:00"."""
        return recurrence.describe_rule(
            self.rrule,
            self.first_date,
            last_date=self.last_date,
            start_time=self.start_time,
            duration=self.duration,
        )

    @property
    def repetition_description(self) -> str:
        """How it repeats, without the time: "elke dinsdag" (for a session's own card)."""
        return recurrence.describe_rule(self.rrule, self.first_date, last_date=self.last_date)

    @property
    def end_time(self):
        return (datetime.combine(self.first_date, self.start_time) + self.duration).time()

    @property
    def is_free(self) -> bool:
        return not self.cost

    def occurrences(self, window_start: date, window_end: date):
        """Aware local start times of the rule's occurrences in a window of dates."""
        return recurrence.local_occurrences(
            self.rrule,
            self.first_date,
            self.start_time,
            window_start,
            window_end,
            last_date=self.last_date,
            exception_dates=self.exception_date_list,
        )

    def rule_sessions(self, window_start: date, window_end: date, skip=frozenset()):
        """The sessions the rule gives in a window of dates, unsaved; not on the dates
        in ``skip``."""
        for start in self.occurrences(window_start, window_end):
            if start.date() not in skip:
                yield Session(
                    activity=self, date=start.date(), starts_at=start, ends_at=start + self.duration
                )


class SessionQuerySet(PublicContentQuerySet):
    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def outside_closures(self):
        """Without the sessions on a day their place is closed (``places.PlaceClosure``)."""
        closed = PlaceClosure.objects.filter(
            place=models.OuterRef("activity__place"),
            first_day__lte=models.OuterRef("date"),
            last_day__gte=models.OuterRef("date"),
        )
        return self.exclude(models.Exists(closed))

    def between(self, first_day: date, last_day: date):
        return self.filter(date__gte=first_day, date__lte=last_day)

    def public(self):
        return self.filter(activity__is_active=True, activity__place__is_active=True)

    def with_details(self):
        return self.select_related("activity__place__village").order_by("starts_at", "pk")


class Session(models.Model):
    """One dated occurrence of an activity (bijeenkomst)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(
        _("date"), help_text=_("The date the recurrence rule gives this occurrence.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("E.g. 'this week in the church hall'.")
    )
    is_rescheduled = models.BooleanField(
        _("differs from the rule"),
        default=False,
        help_text=_("Set when this session's time was changed by hand; the rule leaves it alone."),
    )
    is_extra = models.BooleanField(
        _("extra session"), default=False, help_text=_("Not one of the rule's dates.")
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="session_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["date"]), models.Index(fields=["starts_at"])]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.activity.title}, {local:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end lies before the start.")})
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": _("Say why this session is cancelled.")})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @cached_property
    def closure(self) -> PlaceClosure | None:
        """The closure of the place on this session's day, if it is closed then.

        The day is the session's ``date`` (the rule's day), as absence signals count it.
        ``agenda.queries`` fills this in for the sessions it reads, without a query each.
        """
        return PlaceClosure.objects.covering(self.activity.place_id, self.date).first()

    @property
    def takes_place(self) -> bool:
        """Neither cancelled nor on a day its place is closed."""
        return not self.is_cancelled and self.closure is None

    @property
    def rule_start(self) -> datetime:
        """When the rule says this occurrence starts (the iCalendar RECURRENCE-ID)."""
        return datetime.combine(self.date, self.activity.start_time, tzinfo=recurrence.local_zone())
