from django.contrib import admin

from omzien.accounts.models import Membership
from omzien.places.admin import RegionWideAdmin


@admin.register(Membership)
class MembershipAdmin(RegionWideAdmin):
    list_display = ["user", "role", "place"]
    list_filter = ["role", "place"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
