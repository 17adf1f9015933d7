from django.contrib import admin

from omzien.attendance.models import Visit
from omzien.places.admin import RegionWideAdmin


@admin.register(Visit)
class VisitAdmin(RegionWideAdmin):
    list_display = ["session", "person", "recorded_at"]
    list_select_related = ["session__activity", "person"]
    raw_id_fields = ["session", "person"]
