"""Help requests and offers in the admin: for administrators, read-only and audit-logged.

Changes to a request (proposing, connecting, closing) go through ``helping.services`` on
the coordinators' pages at /hulp/beheer/, which write its history (HelpEvent); the admin
only shows what is there.
"""

from django.contrib import admin

from omzien.accounts.admin import ReadOnlyPersonalDataAdmin as BaseReadOnlyPersonalDataAdmin
from omzien.helping.models import HelpEvent, HelpFeedback, HelpMatch, HelpOffer, HelpRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HelpEventInline(ReadOnlyInline):
    model = HelpEvent
    fields = ["at", "from_status", "to_status", "by", "note"]


class HelpMatchInline(ReadOnlyInline):
    model = HelpMatch
    fk_name = "request"
    fields = ["offer", "status", "score", "distance_km", "proposed_by", "decided_by"]


class HelpFeedbackInline(ReadOnlyInline):
    model = HelpFeedback
    fields = ["side", "answer", "note", "recorded_by", "at"]


class ReadOnlyPersonalDataAdmin(BaseReadOnlyPersonalDataAdmin):
    person_path = "person"


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyPersonalDataAdmin):
    list_display = ["pk", "first_name", "village", "place", "status", "source", "created_at"]
    list_filter = ["status", "source", "place", "on_board"]
    search_fields = ["first_name", "ref"]
    list_select_related = ["village", "place"]
    inlines = [HelpEventInline, HelpMatchInline, HelpFeedbackInline]


@admin.register(HelpOffer)
class HelpOfferAdmin(ReadOnlyPersonalDataAdmin):
    list_display = ["pk", "first_name", "village", "place", "active", "created_at"]
    list_filter = ["active", "place"]
    search_fields = ["first_name", "ref"]
    list_select_related = ["village", "place"]
