from django.contrib import admin
from django.db import models

from omzien.accounts import permissions
from omzien.accounts.admin import PlaceScopedAdmin, RegionWideAdmin
from omzien.accounts.permissions import Capability
from omzien.places import services
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
