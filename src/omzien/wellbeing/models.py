"""Questionnaire answers, kept apart from names (special-category data, AVG art. 9).

Answers and scores hang on a random `Pseudonym`; no table here but `PseudonymLink` points
at a Person, and no page lists that table, no admin registers it, and only
`wellbeing.services` reads it (to find a person's pseudonym when they take a
questionnaire, when they withdraw, when they are forgotten or merged, when they see their
own answers). Scores are used in aggregate only (`wellbeing.analysis`), never shown for
one person to anyone but that person (`AnswersViewing`, their own one-time link).
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Pseudonym(models.Model):
    token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")

    def __str__(self):
        return f"pseudonym #{self.pk}"


class PseudonymLink(models.Model):
    """The only way from a person to their answers. Deleting it (withdrawal, forgetting)
    goes with deleting the pseudonym and so the answers (`services.forget_answers`)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    pseudonym = models.OneToOneField(Pseudonym, on_delete=models.CASCADE, related_name="link")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pseudonym link")
        verbose_name_plural = _("pseudonym links")

    def __str__(self):
        return f"link #{self.pk}"


class Wave(models.TextChoices):
    BASELINE = "baseline", _("first time")
    REPEAT = "repeat", _("repeat")


class Mode(models.TextChoices):
    TABLET = "tablet", _("on the tablet at the place")
    LINK = "link", _("with a personal link")
    PAPER = "paper", _("on paper")


class Response(models.Model):
    """One instrument answered once: the answers and the scores the manual gives them."""

    pseudonym = models.ForeignKey(Pseudonym, on_delete=models.CASCADE, related_name="responses")
    instrument = models.CharField(max_length=20)
    wave = models.CharField(max_length=10, choices=Wave.choices)
    taken_on = models.DateField()
    # Where it was taken, for figures per place, village and region.
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    answers = models.JSONField(default=list)  # in item order, null for a missing answer
    total = models.IntegerField(null=True)
    emotional = models.IntegerField(null=True)
    social = models.IntegerField(null=True)
    category = models.CharField(max_length=20, null=True)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        indexes = [models.Index(fields=["instrument", "wave", "taken_on"])]

    def __str__(self):
        return f"response #{self.pk}"


class Draft(models.Model):
    """A questionnaire being filled in: each answer is saved as it is given, so a tablet
    that sleeps or a phone that loses its connection loses nothing. Keyed by a random
    token (in the page's address); it holds the pseudonym, never a name."""

    token = models.CharField(max_length=40, unique=True, default=new_token)
    pseudonym = models.ForeignKey(Pseudonym, on_delete=models.CASCADE, related_name="drafts")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    wave = models.CharField(max_length=10, choices=Wave.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    # {"djg6": [..], "health": [..]}: the answers given so far
    answers = models.JSONField(default=dict)
    # The GP question has its own consent: asked only when the person agreed to it too.
    asks_gp_visit = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    link_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire in progress")
        verbose_name_plural = _("questionnaires in progress")

    def __str__(self):
        return f"draft #{self.pk}"


class AnswersViewing(models.Model):
    """A one-time link for a person to see their own answers (AVG art. 15) on their own
    phone: staff make it on the privacy-rights page and hand it over without opening it.
    It names the pseudonym, never the person; withdrawal and forgetting delete the
    pseudonym and so these rows too. Old rows go nightly (`services.forget_stale_viewings`)."""

    token = models.CharField(max_length=40, unique=True, default=new_token)
    pseudonym = models.ForeignKey(Pseudonym, on_delete=models.CASCADE, related_name="viewings")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("link to one's own answers")
        verbose_name_plural = _("links to one's own answers")

    def __str__(self):
        return f"answers viewing #{self.pk}"
