from django.contrib import admin

from omzien.accounts import permissions
from omzien.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: administrators may read the log, nobody may change it."""

    list_display = ["at", "user", "action", "subject", "person", "detail"]
    list_filter = ["action", "subject"]
    date_hierarchy = "at"
    list_select_related = ["user", "person"]

    def has_module_permission(self, request):
        return permissions.can_manage_region(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_region(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
