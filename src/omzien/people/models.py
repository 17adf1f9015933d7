import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.people.matching import normalise_for_search
from omzien.places.models import Place, Village

# People without a person_ref are known in visit files and signal lists as "omzien-<pk>"
# and found back by it; new people cannot be given a reference in this form.
GENERATED_REF = re.compile(r"^omzien-(\d+)$")


def person_ref(pk: int, ref: str | None) -> str:
    """The person_ref a person has outside Omzien: their ref, else ``omzien-<pk>``."""
    return ref if ref else f"omzien-{pk}"


def generated_pk(ref: str) -> int | None:
    """The pk in a reference of the form ``omzien-<pk>``, else None."""
    match = GENERATED_REF.match(ref)
    return int(match.group(1)) if match else None


class Purpose(models.TextChoices):
    """What a person may agree to; the same words as the visit file's consent column."""

    NAMES = "names", _("name may be shown to hosts")
    FOLLOWUP = "followup", _("may be contacted when absent")
    QUESTIONNAIRES = "questionnaires", _("questionnaires")
    HELP = "help", _("help: contact details kept to connect with a helper")


class PersonQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.search_name = person.compute_search_name()
        return super().bulk_create(objs, *args, **kwargs)

    def matching(self, query: str):
        """People whose name contains the typed text, accents and case ignored."""
        needle = normalise_for_search(query)
        return self.filter(search_name__contains=needle) if needle else self.none()

    def unrestricted(self):
        """People whose processing is not restricted (AVG art. 18)."""
        return self.filter(restricted_at__isnull=True)

    def with_consent(self, purpose: str, before=None):
        """People whose most recent answer for the purpose is 'yes' (recorded before a moment).

        A filter on the subquery itself, not an annotation, so calls can be chained: "agreed
        then, and still agrees now".
        """
        answers = Consent.objects.filter(person=models.OuterRef("pk"), purpose=purpose)
        if before is not None:
            answers = answers.filter(recorded_at__lt=before)
        latest = answers.order_by("-recorded_at", "-pk").values("given")[:1]
        return self.filter(models.Subquery(latest, output_field=models.BooleanField()))


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
    registered_place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_people",
        verbose_name=_("registered at"),
    )
    search_name = models.CharField(max_length=201, editable=False, db_index=True, default="")
    # Sent by the registration form at the door, so a form sent twice registers once.
    registration_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    is_synthetic = models.BooleanField(_("synthetic (demo)"), default=False)
    # Restriction of processing (AVG art. 18): kept, but no signals and no help matching
    # while set (``privacy.services.restrict_person`` / ``lift_restriction``).
    restricted_at = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        self.search_name = self.compute_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def compute_search_name(self) -> str:
        return normalise_for_search(f"{self.first_name} {self.last_name}")

    @property
    def short_name(self) -> str:
        """First name and the initial of the last name, tussenvoegsels kept ("Mariëtte de
        V."): enough for a host to know whom the door asks about, and no more."""
        words = self.last_name.split()
        if not words:
            return self.first_name
        capital = next((i for i, word in enumerate(words) if word[:1].isupper()), None)
        if capital is None:
            capital = len(words) - 1
        initial = f"{words[capital][0].upper()}."
        return " ".join([self.first_name, *words[:capital], initial])

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None

    def has_consent(self, purpose: str) -> bool:
        latest = self.consents.filter(purpose=purpose).order_by("-recorded_at", "-pk").first()
        return bool(latest and latest.given)


class FollowUpContact(models.Model):
    """How to reach a person for follow-up: only with the follow-up consent, only for those
    who follow them up (``permissions.followup_contact_for_user``); never at the door, on
    badges, in lists or exports. Withdrawing the consent removes it
    (``people.services.record_consent``), and so does forgetting the person."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="followup_contact",
        verbose_name=_("person"),
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    how_to_reach = models.CharField(_("how to reach them"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("contact details for follow-up")
        verbose_name_plural = _("contact details for follow-up")

    def __str__(self):
        return f"{self.person}: {self._meta.verbose_name}"


def latest_answers(consents, chunk_size: int = 5000) -> dict[tuple[int, str], bool]:
    """(person id, purpose) -> the latest answer among the consents, in one ordered scan."""
    latest: dict[tuple[int, str], bool] = {}
    rows = (
        consents.order_by("person_id", "purpose", "recorded_at", "pk")
        .values_list("person_id", "purpose", "given")
        .iterator(chunk_size=chunk_size)
    )
    for person_id, purpose, given in rows:
        latest[person_id, purpose] = given
    return latest


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
