"""Invitations in the admin: for administrators, read-only and audit-logged (the answers
hold the first names of who comes). Changes go through ``visiting.services`` on the
pages at /bezoeken/."""

from django.contrib import admin

from omzien.accounts.admin import ReadOnlyPersonalDataAdmin
from omzien.visiting.models import Invitation, InvitedPlace


class InvitedPlaceInline(admin.TabularInline):
    model = InvitedPlace
    extra = 0
    can_delete = False
    fields = ["place", "count", "names", "answered_at", "want_to_try"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyPersonalDataAdmin):
    person_path = None
    list_display = ["date", "start_time", "title", "host", "kind", "cancelled_at"]
    list_filter = ["kind", "host"]
    search_fields = ["title"]
    date_hierarchy = "date"
    list_select_related = ["host"]
    inlines = [InvitedPlaceInline]
