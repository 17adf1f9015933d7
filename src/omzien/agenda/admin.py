from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from omzien.accounts.admin import PlaceScopedAdmin
from omzien.agenda import services
from omzien.agenda.models import Activity, Session
from omzien.agenda.planning_forms import HoursMinutesDurationField


class ActivityAdminForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["duration"]  # the admin adds the fieldsets' fields
        field_classes = {"duration": HoursMinutesDurationField}
        help_texts = {"duration": _("Hours:minutes, e.g. 02:00 for two hours.")}


@admin.register(Activity)
class ActivityAdmin(PlaceScopedAdmin):
    form = ActivityAdminForm
    list_display = ["title", "place", "category", "rule_in_words", "is_active"]
    readonly_fields = ["rule_in_words"]
    list_filter = ["place", "category", "is_active"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["place", "title", "slug", "category", "description", "is_active"]}),
        (
            _("When"),
            {
                "fields": [
                    "rule_in_words",
                    "rrule",
                    "first_date",
                    "last_date",
                    "start_time",
                    "duration",
                    "exception_dates",
                ]
            },
        ),
        (
            _("Practical"),
            {"fields": ["signup_required", "capacity", "cost", "accessibility_notes"]},
        ),
    ]

    @admin.display(description=_("When"))
    def rule_in_words(self, activity):
        return activity.rule_description if activity.pk else "–"

    def save_model(self, request, obj, form, change):
        services.save_activity(obj, acting_user=request.user)


@admin.register(Session)
class SessionAdmin(PlaceScopedAdmin):
    place_path = "activity__place"
    list_display = ["activity", "starts_at", "status", "cancel_reason", "is_rescheduled"]
    list_filter = ["status", "activity__place"]
    date_hierarchy = "date"
    search_fields = ["activity__title"]
    fields = ["activity", "date", "starts_at", "ends_at", "status", "cancel_reason", "note"]
    actions = ["reinstate"]

    def get_readonly_fields(self, request, obj=None):
        return ["activity", "date"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            kwargs["queryset"] = Activity.objects.filter(place__in=self._places(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_session(obj, acting_user=request.user, changed=set(form.changed_data))

    def delete_model(self, request, obj):
        services.delete_session(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for session in queryset:
            services.delete_session(session, acting_user=request.user)

    @admin.action(description=_("Let the selected sessions take place after all"))
    def reinstate(self, request, queryset):
        sessions = list(queryset.filter(status=Session.Status.CANCELLED))
        for session in sessions:
            services.reinstate_session(session, acting_user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d session reinstated.", "%(count)d sessions reinstated.", len(sessions)
            )
            % {"count": len(sessions)},
            messages.SUCCESS,
        )
