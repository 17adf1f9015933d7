"""Closures in the admin, for the coordinators of the place. Signals, contacts and
announced absences hold personal data: they live on the audit-logged pages only."""

from django.contrib import admin

from omzien.accounts.admin import PlaceScopedAdmin
from omzien.signals.models import PlaceClosure


@admin.register(PlaceClosure)
class PlaceClosureAdmin(PlaceScopedAdmin):
    list_display = ["place", "first_day", "last_day", "reason"]
    list_filter = ["place"]
    date_hierarchy = "first_day"
