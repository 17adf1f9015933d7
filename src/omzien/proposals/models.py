"""Activities residents propose ("Nieuwe plannen"), and who wants to join them.

A proposal belongs to the places nearest to its village (``places``): their coordinators
approve it for the public board at /plannen/ or reject it. There others say "ik doe mee",
with a first name and how to reach them, or only counted. When as many as the region's
``proposal_threshold`` joined, those coordinators hear of it once (``threshold_mailed_at``).
Turned into an activity, rejected, or left open past ``OMZIEN_PROPOSAL_STALE_MONTHS``, a
proposal closes and its names, words and contact details are forgotten
(``contact_forgotten_at``); what stays counts (village, category, how many joined).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from omzien.agenda.models import Activity
from omzien.agenda.models import Category as ActivityCategory
from omzien.core.choices import Day, PartOfDay, labels
from omzien.core.personal_data import EMAIL_MAX_LENGTH, ForgettingQuerySet
from omzien.places.models import Place, Village

TITLE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 1000


class ProposalQuerySet(ForgettingQuerySet):
    def on_board(self):
        """What the public board shows: approved and still open."""
        return self.filter(status=Proposal.Status.APPROVED, closed_at__isnull=True)

    def open(self):
        return self.filter(closed_at__isnull=True)


class Proposal(models.Model):
    class Status(models.TextChoices):
        WAITING = "wacht", pgettext_lazy("proposal", "waiting for approval")
        APPROVED = "goedgekeurd", pgettext_lazy("proposal", "on the board")
        REJECTED = "afgewezen", pgettext_lazy("proposal", "rejected")
        DONE = "activiteit", pgettext_lazy("proposal", "became an activity")
        STALE = "verlopen", pgettext_lazy("proposal", "expired")

    class Source(models.TextChoices):
        WEB = "web", _("website")
        STAFF = "staff", _("written down by staff")

    title = models.CharField(_("what"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    category = models.CharField(
        _("kind of activity"),
        max_length=20,
        choices=ActivityCategory.choices,
        default=ActivityCategory.OTHER,
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("village")
    )
    places = models.ManyToManyField(
        Place,
        related_name="proposals",
        verbose_name=_("meeting places"),
        help_text=_("The meeting places nearest to the village: their coordinators decide."),
    )
    when = models.CharField(_("when it could be"), max_length=200, blank=True)
    days = models.JSONField(_("days"), default=list, blank=True)
    parts = models.JSONField(_("parts of the day"), default=list, blank=True)
    bring = models.TextField(_("what they would bring"), max_length=TEXT_MAX_LENGTH, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=EMAIL_MAX_LENGTH, blank=True)
    consent_at = models.DateTimeField(
        _("agreed to keeping contact details at"), null=True, blank=True
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    reject_reason = models.CharField(_("reason for rejecting"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    threshold_mailed_at = models.DateTimeField(
        _("coordinators told of the interest at"), null=True, blank=True
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("activity"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    contact_forgotten_at = models.DateTimeField(
        _("contact details forgotten at"), null=True, blank=True
    )

    objects = ProposalQuerySet.as_manager()

    # What closing forgets: the proposer and their own words. The title stays (it names the
    # activity in the counts), as do village, category, states and dates.
    PERSONAL_FIELDS = {
        "description": "",
        "when": "",
        "bring": "",
        "first_name": "",
        "phone": "",
        "email": "",
        "consent_at": None,
    }

    class Meta:
        verbose_name = _("proposed activity")
        verbose_name_plural = _("proposed activities")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "closed_at"])]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def day_labels(self) -> list[str]:
        return labels(Day, self.days)

    def part_labels(self) -> list[str]:
        return labels(PartOfDay, self.parts)


class Interest(models.Model):
    """ "Ik doe mee": someone who would join, with how to reach them, or only counted."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="interests", verbose_name=_("proposal")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=EMAIL_MAX_LENGTH, blank=True)
    consent_at = models.DateTimeField(
        _("agreed to keeping contact details at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ForgettingQuerySet.as_manager()

    PERSONAL_FIELDS = {"first_name": "", "phone": "", "email": "", "consent_at": None}

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interest")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.proposal_id}: {self.first_name or '-'}"

    @property
    def counted_only(self) -> bool:
        return not (self.phone or self.email)
