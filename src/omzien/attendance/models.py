from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Session
from omzien.people.models import Person


class Visit(models.Model):
    """A person's presence at a session, or an anonymous one when person is empty."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="visits", verbose_name=_("session")
    )
    # Forgetting a person (privacy) keeps their visits as anonymous counts; SET_NULL so
    # that no way of deleting a person can take their visits with it.
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("person"),
        db_index=False,  # the (person, session) index below serves lookups by person
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    client_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Sent by the check-in screen, so a retried tap is not counted twice."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            # Two hosts tapping the same person at once still make one visit.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=models.Q(person__isnull=False),
                name="visit_once_per_person_per_session",
            )
        ]
        indexes = [models.Index(fields=["person", "session"])]

    def __str__(self):
        return f"{self.person or _('anonymous')} @ {self.session}"

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None


class SessionHost(models.Model):
    """A volunteer who hosted a session: whoever checked someone in there, and whoever a
    coordinator added. The report counts hosts and their hours at the door from these."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="hosts", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hosted_sessions",
        verbose_name=_("host"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session host")
        verbose_name_plural = _("session hosts")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_host_once")
        ]

    def __str__(self):
        return f"{self.user} @ {self.session}"
