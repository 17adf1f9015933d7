"""Help follows changes elsewhere: a person who withdraws the consent for ``help`` is no
longer reachable through their help requests and offers."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from omzien.helping.models import HelpOffer, HelpRequest
from omzien.people.models import Consent, Purpose


@receiver(post_save, sender=Consent, dispatch_uid="helping-consent")
def consent_recorded(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.purpose != Purpose.HELP or instance.given:
        return
    for model in (HelpRequest, HelpOffer):
        model.objects.filter(person_id=instance.person_id).update(
            phone="", email="", consent_at=None
        )
