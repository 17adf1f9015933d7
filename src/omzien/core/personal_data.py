"""Rows that hold a resident's words and contact details, and forget them in place.

A model lists what forgetting empties in ``PERSONAL_FIELDS`` (field name → the empty
value) and uses `ForgettingQuerySet`; the rows stay as anonymous counts for the reports.
Who forgets, when, and the audit row are ``privacy.retention``'s (``forget_contact_data``).
"""

from django.db import models

# What the e-mail columns hold (RFC 5321's path limit); forms and imports accept no more.
EMAIL_MAX_LENGTH = 254


class ForgettingQuerySet(models.QuerySet):
    def forget_personal_data(self) -> int:
        """Keep the rows as anonymous counts; returns how many."""
        return self.update(**self.model.PERSONAL_FIELDS)
