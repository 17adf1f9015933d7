from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omzien.core.fields import PostcodeField
from omzien.core.public_cache import PublicContentQuerySet
from omzien.core.validators import validate_latitude_nl, validate_longitude_nl
from omzien.places.map import map_app_url


class Region(models.Model):
    """The municipality or region that one Omzien installation serves."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    introduction = models.TextField(_("introduction"), blank=True)
    has_synthetic_data = models.BooleanField(
        _("contains synthetic data"),
        default=False,
        help_text=_("Demo installations: visitors and visits are invented."),
    )
    proposal_threshold = models.PositiveSmallIntegerField(
        _("people needed for a proposed activity"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "When this many people said they would join a proposed activity, the "
            "coordinators of the nearest meeting places get a mail."
        ),
    )

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Coordinates(models.Model):
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, validators=[validate_latitude_nl]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=6, validators=[validate_longitude_nl]
    )

    class Meta:
        abstract = True

    @property
    def map_app_url(self) -> str:
        """This spot in a map in the browser or the phone's map app (``places.map``)."""
        return map_app_url(self)


class Village(Coordinates):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="villages", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PlaceQuerySet(PublicContentQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Place(Coordinates):
    """A meeting place (ontmoetingsplek)."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="places", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=150)
    postcode = PostcodeField(_("postcode"))
    town = models.CharField(_("town"), max_length=100)
    opening_hours = models.TextField(
        _("opening hours"), blank=True, help_text=_("One line per day, e.g. 'di 9:30-12:00'.")
    )
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:detail", args=[self.slug])

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.town}"

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]


class PlaceClosureQuerySet(PublicContentQuerySet):
    def overlapping(self, first_day: date, last_day: date):
        """Closures with at least one day from first_day to last_day."""
        return self.filter(first_day__lte=last_day, last_day__gte=first_day)

    def covering(self, place, day: date):
        """The closures of a place (or its id) that include the day."""
        return self.filter(place=place).overlapping(day, day)


class PlaceClosure(models.Model):
    """A period a place is closed (holidays, a renovation).

    The agenda and the feeds show its sessions as closed, the door takes no check-ins,
    and absence signals do not count them as missed.
    """

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="closures", verbose_name=_("place")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    objects = PlaceClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-first_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="closure_last_day_after_first",
            ),
        ]

    def __str__(self):
        return f"{self.place}: {self.first_day} – {self.last_day}"

    def clean(self):
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day lies before the first day.")})

    def covers(self, place_id: int, day: date) -> bool:
        return self.place_id == place_id and self.first_day <= day <= self.last_day
