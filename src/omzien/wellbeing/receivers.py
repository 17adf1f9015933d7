"""A "no" to the questionnaires purpose, however it is recorded (the door, the admin, an
import), deletes the person's answers: the consent text promises it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from omzien.accounts import permissions
from omzien.people.models import Consent, Purpose
from omzien.wellbeing import services


@receiver(post_save, sender=Consent, dispatch_uid="wellbeing-withdrawal")
def answers_go_with_the_consent(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.given or instance.purpose != Purpose.QUESTIONNAIRES:
        return
    services.withdraw(instance.person, acting_user=instance.recorded_by or permissions.SYSTEM)
