from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.accounts import permissions
from omzien.accounts.admin import PlaceScopedAdmin, RegionWideAdmin
from omzien.accounts.permissions import Capability
from omzien.places import services
from omzien.places.forms import PlaceAdminForm
from omzien.places.models import Place, PlaceClosure, Region, Village


@admin.register(Region)
class RegionAdmin(RegionWideAdmin):
    list_display = ["name", "slug", "has_synthetic_data"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Village)
class VillageAdmin(RegionWideAdmin):
    list_display = ["name", "region", "latitude", "longitude"]
    list_filter = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Place)
class PlaceAdmin(PlaceScopedAdmin):
    place_path = "pk"
    list_display = ["name", "village", "town", "is_active"]
    list_filter = ["village", "is_active"]
    search_fields = ["name", "town"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = PlaceAdminForm
    fieldsets = [
        (None, {"fields": ["name", "slug", "village", "description", "is_active"]}),
        (
            gettext_lazy("Address and where it is"),
            {
                "fields": [
                    "street",
                    "postcode",
                    "town",
                    "manual_coordinates",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        (
            gettext_lazy("Opening hours and accessibility"),
            {
                "fields": [
                    "opening_hours",
                    "wheelchair_accessible",
                    "hearing_loop",
                    "accessibility_notes",
                ]
            },
        ),
        (gettext_lazy("Contact"), {"fields": ["phone", "email", "website"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form looks the address up as this user (places.services.locate_address).
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "located", None):
            found = form.located
            self.message_user(
                request,
                _("The coordinates were looked up from the address: %(label)s (%(lat)s, %(lon)s).")
                % {"label": found.label, "lat": found.latitude, "lon": found.longitude},
                messages.INFO,
            )

    def has_add_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_REGION)

    def has_delete_permission(self, request, obj=None):
        return permissions.can(request.user, Capability.MANAGE_REGION)


@admin.register(PlaceClosure)
class PlaceClosureAdmin(PlaceScopedAdmin):
    """Closures, for the coordinators of the place."""

    list_display = ["place", "first_day", "last_day", "reason"]
    list_filter = [("place", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "first_day"

    def save_model(self, request, obj, form, change):
        services.save_closure(obj, acting_user=request.user)

    def delete_model(self, request, obj):
        services.delete_closure(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for closure in queryset:
            services.delete_closure(closure, acting_user=request.user)
