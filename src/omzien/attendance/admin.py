from django.contrib import admin

from omzien.accounts.admin import PersonalDataAdmin
from omzien.attendance.models import Visit


@admin.register(Visit)
class VisitAdmin(PersonalDataAdmin):
    person_path = "person"
    list_display = ["session", "person", "recorded_at"]
    list_select_related = ["session__activity", "person"]
    raw_id_fields = ["session", "person"]
