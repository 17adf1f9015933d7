import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder rounds times to milliseconds; undo must restore rows exactly."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class PersonMerge(models.Model):
    """What one merge of two person records did, kept one day so it can be undone.

    ``snapshot`` holds the duplicate's own fields and, per merge step, what the step
    moved or removed (ids and the removed rows' values): enough to restore the duplicate
    exactly. After ``UNDO_HOURS`` the nightly retention run forgets the record; forgetting
    either person forgets it at once (a forget step).
    """

    kept = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="merges_kept",
        verbose_name=_("kept person"),
    )
    # The duplicate's Person row is gone after the merge: its id is only a number here.
    duplicate_id = models.PositiveBigIntegerField(_("id of the merged duplicate"))
    snapshot = models.JSONField(_("what the merge moved"), default=dict, encoder=ExactJSONEncoder)
    merged_at = models.DateTimeField(_("merged at"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )

    # Set when undone: the snapshot is emptied then, the row stays until the nightly run.
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge of two person records")
        verbose_name_plural = _("merges of person records")
        ordering = ["-merged_at", "-pk"]
        indexes = [models.Index(fields=["merged_at"])]

    def __str__(self):
        return f"#{self.duplicate_id} -> #{self.kept_id} ({self.merged_at:%Y-%m-%d %H:%M})"
