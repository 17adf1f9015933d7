from django.contrib import admin

from omzien.people.models import Consent, Person
from omzien.places.admin import RegionWideAdmin


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "given", "recorded_at", "recorded_by", "source"]
    readonly_fields = ["recorded_by"]


@admin.register(Person)
class PersonAdmin(RegionWideAdmin):
    list_display = ["first_name", "last_name", "village", "ref", "is_synthetic"]
    list_filter = ["village", "is_synthetic"]
    search_fields = ["first_name", "last_name", "ref"]
    inlines = [ConsentInline]
