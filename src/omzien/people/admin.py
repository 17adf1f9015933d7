from django.contrib import admin

from omzien.accounts.admin import PersonalDataAdmin
from omzien.people.models import Consent, Person


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "given", "recorded_at", "recorded_by", "source"]
    readonly_fields = ["recorded_by"]


@admin.register(Person)
class PersonAdmin(PersonalDataAdmin):
    list_display = ["first_name", "last_name", "village", "ref", "is_synthetic"]
    list_filter = ["village", "is_synthetic"]
    search_fields = ["first_name", "last_name", "ref"]
    inlines = [ConsentInline]
