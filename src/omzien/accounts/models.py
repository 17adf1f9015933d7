from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOST = "host", _("host")
    COORDINATOR = "coordinator", _("coordinator")
    PROFESSIONAL = "professional", _("professional")
    VIEWER = "viewer", _("viewer")
    ADMIN = "admin", _("administrator")


# Roles that work at one place; the others work across the region.
PLACE_ROLES = {Role.HOST, Role.COORDINATOR}


class Membership(models.Model):
    """A user's role, at one place (host, coordinator) or across the region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("place"),
        help_text=_("Required for hosts and coordinators; empty means all places."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "place"], name="membership_unique_per_place"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(place__isnull=True),
                name="membership_unique_region_wide",
            ),
        ]

    def __str__(self):
        where = self.place or _("all places")
        return f"{self.user} – {self.get_role_display()} – {where}"

    def clean(self):
        if self.role in PLACE_ROLES and self.place_id is None:
            raise ValidationError({"place": _("A host or coordinator belongs to one place.")})
