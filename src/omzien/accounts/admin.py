"""The admin on top of the access layer: base classes for every app's admin pages, and
the pages of accounts itself (memberships, users, the audit log).

Rights come from memberships (`accounts.permissions`), not from Django's model
permissions, so a coordinator needs nothing but a membership and staff status.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Imported first, so their registrations exist to be undone below.
from django_otp.plugins.otp_static import admin as _otp_static_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _otp_totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts import permissions, two_factor
from omzien.accounts.models import Membership
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record_view


class PlaceScopedAdmin(admin.ModelAdmin):
    """Pages that show and change only what belongs to the places the user manages.

    ``place_path`` leads from the model to its place (``"pk"`` for places themselves).
    """

    place_path = "place"

    def _places(self, request):
        return permissions.places_for_user(request.user, Capability.MANAGE_PLACE)

    def _place_id_of(self, obj):
        if self.place_path == "pk":
            return obj.pk
        for attribute in self.place_path.split("__"):
            obj = getattr(obj, attribute)
        return obj.pk

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(
            permissions.in_reach(request.user, Capability.MANAGE_PLACE, self.place_path)
        )

    def has_module_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_PLACE)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        place = None if obj is None else self._place_id_of(obj)
        return permissions.can(request.user, Capability.MANAGE_PLACE, place)

    def has_add_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_PLACE)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            kwargs["queryset"] = self._places(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegionWideAdmin(admin.ModelAdmin):
    """Pages for administrators of the region only. For anyone else there are no rows, so
    an object page answers as for an object that does not exist."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not permissions.can(request.user, Capability.MANAGE_REGION):
            return queryset.none()
        return queryset

    def has_module_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_REGION)

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, Capability.MANAGE_REGION)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class PersonalDataAdmin(RegionWideAdmin):
    """Pages of personal data: every list and every record shown is audit-logged.

    ``person_path`` leads from the model to the person it is about (``""``: the object is
    the person).
    """

    person_path = ""  # None: the records are about no Person (a proposed activity)

    def _person_of(self, obj):
        if self.person_path is None:
            return None
        for attribute in filter(None, self.person_path.split("__")):
            obj = getattr(obj, attribute)
        return obj

    def _subject(self) -> str:
        return f"admin: {self.model._meta.model_name}"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if self.has_view_permission(request) and getattr(response, "status_code", 0) == 200:
            record_view(request.user, f"{self._subject()} list", detail=request.get_full_path())
        return response

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and self.has_view_permission(request, obj):
            record_view(request.user, self._subject(), person=self._person_of(obj))
        return obj


class ReadOnlyPersonalDataAdmin(PersonalDataAdmin):
    """Personal data the admin only shows: changes go through the app's own pages and
    services, which check, record their history and write the audit row."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(RegionWideAdmin):
    list_display = ["user", "role", "place"]
    list_filter = ["role", "place"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(AuditEvent)
class AuditEventAdmin(RegionWideAdmin):
    """Read-only: administrators may read the log, nobody may change it."""

    list_display = ["at", "user", "action", "subject", "person", "detail"]
    list_filter = ["action", "subject"]
    date_hierarchy = "at"
    list_select_related = ["user", "person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)  # rights come from memberships, not from groups
# Two-factor devices hold secrets: they are reset through the reset page (a service that
# writes the audit log), not edited here.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(User)
class OmzienUserAdmin(RegionWideAdmin, UserAdmin):
    """Accounts of volunteers and staff: for administrators of the region."""

    readonly_fields = ("two_factor_state",)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Two-factor log-in"), {"fields": ("two_factor_state",)}))

    @admin.display(description=_("two-factor log-in"))
    def two_factor_state(self, obj):
        state = _("on") if two_factor.has_second_factor(obj) else _("off")
        url = reverse("accounts:two_factor_reset", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', state, url, _("reset"))
