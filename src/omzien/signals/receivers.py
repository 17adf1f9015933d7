"""Signals that follow changes elsewhere: a membership or account that changes may end
the assignments of its user (`services.release_assignments`)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from omzien.accounts.models import Membership
from omzien.signals import services


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="signals-membership")
def membership_changed(sender, instance, **kwargs):
    services.release_assignments(instance.user)


@receiver(post_save, sender=get_user_model(), dispatch_uid="signals-user")
def user_changed(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        services.release_assignments(instance)
