from django.contrib import admin
from django.db import models

from omzien.accounts import permissions
from omzien.places.models import Place, PlaceClosure, Region, Village


class PlaceScopedAdmin(admin.ModelAdmin):
    """Admin pages that show and change only what belongs to the user's places.

    Rights come from memberships, not from Django's model permissions, so a coordinator
    needs nothing but a membership and staff status.
    """

    place_path = "place"

    def _places(self, request):
        return permissions.manageable_places(request.user)

    def _place_of(self, obj):
        for attribute in self.place_path.split("__"):
            obj = getattr(obj, attribute)
        return obj

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.place_path}__in": self._places(request)})

    def has_module_permission(self, request):
        return self._places(request).exists()

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self._places(request).exists()
        return self._places(request).filter(pk=self._place_of(obj).pk).exists()

    def has_add_permission(self, request):
        return self._places(request).exists()

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            kwargs["queryset"] = self._places(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegionWideAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return permissions.can_manage_region(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_region(request.user)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


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

    def _place_of(self, obj):
        return obj

    def has_add_permission(self, request):
        return permissions.can_manage_region(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_region(request.user)


@admin.register(PlaceClosure)
class PlaceClosureAdmin(PlaceScopedAdmin):
    """Closures, for the coordinators of the place."""

    list_display = ["place", "first_day", "last_day", "reason"]
    list_filter = [("place", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "first_day"
