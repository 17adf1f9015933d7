"""The Person admin (with its consents), registered here rather than in people/admin.py.

Deleting a person in the admin is an erasure: the page's delete button and the list's
bulk "delete" action both go through ``privacy.services.erase_people`` with the acting
user, so their visits stay as anonymous counts and the audit log records how many were
erased, never whom. people/ sits below privacy in the layering, so its admin lives here.
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from omzien.accounts.admin import PersonalDataAdmin
from omzien.people.models import Consent, Person
from omzien.privacy.services import erase_people


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
    # Restricting goes through privacy.services (audit-logged), on the privacy page.
    readonly_fields = ["restricted_at"]

    def get_deleted_objects(self, objs, request):
        """What erasure removes; the rows go through the privacy app, not model rights.

        Django would ask for the delete permission on every related model (signals,
        absences, consents), which administrators hold through their membership, not
        through Django's model permissions.
        """
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if self.has_delete_permission(request):
            perms_needed = set()
        return deleted, model_count, perms_needed, protected

    def log_deletions(self, request, queryset):
        """Django's admin log would keep the person's name; the audit log has the erasure."""

    def delete_model(self, request, obj):
        self._erase(request, [obj])

    def delete_queryset(self, request, queryset):
        self._erase(request, queryset)

    def _erase(self, request, people):
        forgotten = erase_people(people, acting_user=request.user)
        visits = forgotten["visits"]
        if visits:
            self.message_user(
                request,
                ngettext(
                    "%(count)d visit stays as an anonymous count.",
                    "%(count)d visits stay as anonymous counts.",
                    visits,
                )
                % {"count": visits},
                messages.INFO,
            )
