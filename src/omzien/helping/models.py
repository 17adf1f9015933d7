"""Help between residents: requests (hulpvraag), offers (hulpaanbod), the proposals that
connect them (HelpMatch), every change of a request's state (HelpEvent) and "Hoe ging
het?" afterwards (HelpFeedback).

Lists of categories, days and parts of the day are JSON lists of the values below (the
help file's words), so SQLite and PostgreSQL store them alike. Contact details (phone,
e-mail) are kept only when the asker agreed to the purpose ``help`` (``consent_at``) and
forgotten ``OMZIEN_HELP_RETENTION_MONTHS`` after a request closed (``privacy.steps``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from omzien.core.choices import Day, PartOfDay, labels  # noqa: F401 (helping's words too)
from omzien.core.personal_data import EMAIL_MAX_LENGTH, ForgettingQuerySet  # noqa: F401
from omzien.people.models import Person
from omzien.places.models import Place, Village
from omzien.signals.models import Signal

DESCRIPTION_MAX_LENGTH = 1000


class Category(models.TextChoices):
    SHOPPING = "boodschappen", _("shopping")
    TRANSPORT = "vervoer", _("transport")
    ODD_JOBS = "klusjes", _("odd jobs")
    GARDEN = "tuin", _("garden")
    COMPUTER_PHONE = "computer-telefoon", _("computer and phone")
    COMPANY_WALKING = "gezelschap-wandelen", _("company and walking")
    FORMS = "formulieren-administratie", _("forms and paperwork")
    OTHER = "anders", _("something else")


class Urgency(models.TextChoices):
    THIS_WEEK = "week", _("this week")
    THIS_MONTH = "maand", _("this month")
    NO_HURRY = "geen-haast", _("no hurry")


# What forgetting empties: the person, their name, words and contact details; what stays
# (categories, village, place, states, dates) counts in the reports.
PERSONAL_FIELDS = {
    "person": None,
    "first_name": "",
    "description": "",
    "phone": "",
    "email": "",
    "consent_at": None,
}


class HelpRequestQuerySet(ForgettingQuerySet):
    def open(self):
        """Waiting for a helper: new, or nobody found yet (matching reads these)."""
        return self.filter(
            status__in=[HelpRequest.Status.NEW, HelpRequest.Status.NO_MATCH], closed_at__isnull=True
        )

    def active(self):
        """Not closed: new, proposed or connected (or no match yet)."""
        return self.filter(closed_at__isnull=True)


class HelpEntry(models.Model):
    """What a request and an offer both hold: who (a first name, a reference from a list),
    what and when, how to reach them (only with the `help` consent) and who recorded it."""

    ref = models.CharField(
        _("reference"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A stable id from an imported list."),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    categories = models.JSONField(_("categories"), default=list)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    days = models.JSONField(_("days"), default=list, blank=True)
    parts = models.JSONField(_("parts of the day"), default=list, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=EMAIL_MAX_LENGTH, blank=True)
    consent_at = models.DateTimeField(
        _("agreed to keeping contact details at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True


class HelpRequest(HelpEntry):
    """Someone needs a hand: what, where, when, and how to reach them."""

    class Status(models.TextChoices):
        NEW = "nieuw", pgettext_lazy("help request", "new")
        PROPOSED = "voorgesteld", pgettext_lazy("help request", "helper proposed")
        CONNECTED = "gekoppeld", pgettext_lazy("help request", "connected")
        DONE = "afgerond", pgettext_lazy("help request", "done")
        CANCELLED = "geannuleerd", pgettext_lazy("help request", "cancelled")
        NO_MATCH = "geen_match", pgettext_lazy("help request", "no match")

    class Source(models.TextChoices):
        WEB = "web", _("website")
        DOOR = "door", _("at the door")
        SIGNAL = "signal", _("from a signal")
        IMPORT = "import", _("imported list")

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("person"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("village")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("meeting place"),
        help_text=_("The meeting place that handles the request."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NO_HURRY
    )
    wanted_on = models.DateField(
        _("wanted on"),
        null=True,
        blank=True,
        help_text=_("The day the help is for, when it is for one day (a lift to an activity)."),
    )
    for_someone_else = models.BooleanField(_("asked for someone else"), default=False)
    asked_by_name = models.CharField(_("asked by"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    signal = models.ForeignKey(
        Signal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("signal"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    on_board = models.BooleanField(
        _("on the notice board"),
        default=False,
        help_text=_("Approved by a coordinator for the public notice board."),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    contact_forgotten_at = models.DateTimeField(
        _("contact details forgotten at"), null=True, blank=True
    )

    objects = HelpRequestQuerySet.as_manager()

    PERSONAL_FIELDS = {**PERSONAL_FIELDS, "asked_by_name": ""}

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "place"]),
            models.Index(fields=["closed_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.first_name} ({self.get_status_display()})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def category_labels(self) -> list[str]:
        return labels(Category, self.categories)

    def day_labels(self) -> list[str]:
        return labels(Day, self.days)

    def part_labels(self) -> list[str]:
        return labels(PartOfDay, self.parts)


class HelpOfferQuerySet(ForgettingQuerySet):
    def active(self):
        return self.filter(active=True)


class HelpOffer(HelpEntry):
    """Someone can lend a hand: what, where (villages or a distance), when, how often."""

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_offers",
        verbose_name=_("person"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="help_offers", verbose_name=_("village")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_offers",
        verbose_name=_("meeting place"),
        help_text=_("The meeting place the helper is known at."),
    )
    villages = models.ManyToManyField(
        Village,
        blank=True,
        related_name="+",
        verbose_name=_("villages"),
        help_text=_("Empty: within the distance from the helper's own village."),
    )
    max_km = models.PositiveSmallIntegerField(_("at most this many km"), null=True, blank=True)
    max_per_month = models.PositiveSmallIntegerField(
        _("at most this many times a month"), null=True, blank=True
    )
    has_car = models.BooleanField(_("has a car"), default=False)
    # "Ik help graag" on the notice board: an offer for one request, for the coordinator.
    for_request = models.ForeignKey(
        HelpRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_offers",
        verbose_name=_("offered for the request"),
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=HelpRequest.Source.choices,
        default=HelpRequest.Source.WEB,
    )
    active = models.BooleanField(_("active"), default=True)

    objects = HelpOfferQuerySet.as_manager()

    PERSONAL_FIELDS = PERSONAL_FIELDS

    class Meta:
        verbose_name = _("help offer")
        verbose_name_plural = _("help offers")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.first_name}"

    def category_labels(self) -> list[str]:
        return labels(Category, self.categories)

    def day_labels(self) -> list[str]:
        return labels(Day, self.days)

    def part_labels(self) -> list[str]:
        return labels(PartOfDay, self.parts)


class HelpMatch(models.Model):
    """A proposal to connect a request with an offer, and what became of it."""

    class Status(models.TextChoices):
        PROPOSED = "voorgesteld", _("proposed")
        CONFIRMED = "bevestigd", _("confirmed")
        DECLINED = "afgewezen", _("declined")
        DONE = "afgerond", _("done")

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="matches", verbose_name=_("request")
    )
    offer = models.ForeignKey(
        HelpOffer, on_delete=models.CASCADE, related_name="matches", verbose_name=_("offer")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    score = models.FloatField(_("score"), default=0.0)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    # The reasons in words, as the matching wrote them (helping.matching documents the form).
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
        help_text=_("Empty: proposed by the batch matching."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("help proposal")
        verbose_name_plural = _("help proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["offer", "status", "decided_at"])]

    def __str__(self):
        return f"{self.request} ↔ {self.offer} ({self.get_status_display()})"


class HelpEvent(models.Model):
    """One change of a request's state: from, to, who and when (the request's history)."""

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=HelpRequest.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=HelpRequest.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("help request change")
        verbose_name_plural = _("help request changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class HelpFeedback(models.Model):
    """ "Hoe ging het?": one side's answer after a request was done."""

    class Side(models.TextChoices):
        ASKER = "vrager", _("the one who asked")
        HELPER = "helper", _("the helper")

    class Answer(models.TextChoices):
        GOOD = "goed", _("good")
        FAIR = "redelijk", _("fair")
        NOT_GOOD = "niet-goed", _("not good")

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("request")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("how it went")
        verbose_name_plural = _("how it went")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "side"], name="help_feedback_one_per_side")
        ]

    def __str__(self):
        return f"{self.request_id} {self.side}: {self.answer}"
