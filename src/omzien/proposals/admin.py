"""Proposed activities in the admin: for administrators, read-only and audit-logged.

Deciding, joining and closing go through ``proposals.services`` on the pages at
/plannen/beheer/ (they forget contact details as a proposal closes); the admin only shows.
"""

from django.contrib import admin

from omzien.accounts.admin import ReadOnlyPersonalDataAdmin
from omzien.proposals.models import Interest, Proposal


class InterestInline(admin.TabularInline):
    model = Interest
    extra = 0
    can_delete = False
    fields = ["first_name", "phone", "email", "consent_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyPersonalDataAdmin):
    person_path = None
    list_display = ["pk", "title", "village", "status", "source", "created_at", "closed_at"]
    list_filter = ["status", "source", "village"]
    search_fields = ["title"]
    list_select_related = ["village"]
    inlines = [InterestInline]
