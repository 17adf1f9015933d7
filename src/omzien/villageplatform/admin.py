"""The dorpenplatform in the admin, for administrators of the region: the tags to manage;
evenings and lessons to look at (changes go through the pages at /dorpenplatform/, whose
services check the rules and write the audit row)."""

from django.contrib import admin

from omzien.accounts.admin import RegionWideAdmin
from omzien.villageplatform.models import Evening, Lesson, Tag


class ReadOnlyAdmin(RegionWideAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(RegionWideAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Evening)
class EveningAdmin(ReadOnlyAdmin):
    list_display = ["date", "title", "host_place", "location", "region"]
    list_filter = ["region"]
    date_hierarchy = "date"
    list_select_related = ["host_place", "region"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["title", "place", "evening", "created_at"]
    list_filter = ["tags", "place"]
    search_fields = ["title", "practice"]
    list_select_related = ["place", "evening"]
