from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.places.models import Village


class Purpose(models.TextChoices):
    """What a person may agree to; the same words as the visit file's consent column."""

    NAMES = "names", _("name may be shown to hosts")
    FOLLOWUP = "followup", _("may be contacted when absent")
    QUESTIONNAIRES = "questionnaires", _("questionnaires")


class PersonQuerySet(models.QuerySet):
    def with_consent(self, purpose: str):
        """People whose most recent answer for the purpose is 'yes'."""
        latest = Consent.objects.filter(person=models.OuterRef("pk"), purpose=purpose).order_by(
            "-recorded_at", "-pk"
        )
        return self.annotate(_consent=models.Subquery(latest.values("given")[:1])).filter(
            _consent=True
        )


class Person(models.Model):
    """A resident known to the network: as little data as the work needs."""

    ref = models.CharField(
        _("reference"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A stable id from an imported list (person_ref)."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("village"),
    )
    is_synthetic = models.BooleanField(_("synthetic (demo)"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def has_consent(self, purpose: str) -> bool:
        latest = self.consents.filter(purpose=purpose).order_by("-recorded_at", "-pk").first()
        return bool(latest and latest.given)


class Consent(models.Model):
    """One answer of a person about one purpose; the latest answer per purpose counts."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given = models.BooleanField(_("given"), help_text=_("Unticked: refused or withdrawn."))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source = models.CharField(_("source"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["person", "purpose", "-recorded_at"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.person}: {self.get_purpose_display()} ({self.given})"
