"""The forget steps of the apps Omzien has (see ``privacy.forgetting``).

A person's visits stay, as anonymous counts, so reports and the overview keep their
figures; everything else about them goes. Help requests and offers stay as anonymous
counts too (category, village, state), without name, text or contact details.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.helping.models import HelpOffer, HelpRequest
from omzien.people.models import Consent, FollowUpContact, Person
from omzien.privacy.forgetting import Effect, forget_step
from omzien.privacy.models import PersonMerge
from omzien.signals.models import AnnouncedAbsence, ContactLog, Signal
from omzien.wellbeing.services import forget_answers


def _deleted(queryset) -> int:
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


@forget_step("visits", Effect.KEPT_ANONYMOUS)
def anonymise_visits(person_ids: list[int]) -> int:
    return Visit.objects.filter(person_id__in=person_ids).update(person=None, client_token=None)


@forget_step("contacts", Effect.REMOVED)
def delete_contacts(person_ids: list[int]) -> int:
    return _deleted(ContactLog.objects.filter(signal__person_id__in=person_ids))


@forget_step("signals", Effect.REMOVED)
def delete_signals(person_ids: list[int]) -> int:
    return _deleted(Signal.objects.filter(person_id__in=person_ids))


@forget_step("announced absences", Effect.REMOVED)
def delete_absences(person_ids: list[int]) -> int:
    return _deleted(AnnouncedAbsence.objects.filter(person_id__in=person_ids))


@forget_step("contact details", Effect.REMOVED)
def delete_followup_contacts(person_ids: list[int]) -> int:
    return _deleted(FollowUpContact.objects.filter(person_id__in=person_ids))


@forget_step("merge records", Effect.REMOVED)
def delete_merge_records(person_ids: list[int]) -> int:
    """A merge kept for undo holds the duplicate's data: it goes with either person."""
    return _deleted(
        PersonMerge.objects.filter(Q(kept_id__in=person_ids) | Q(duplicate_id__in=person_ids))
    )


@forget_step("questionnaire answers", Effect.REMOVED)
def delete_questionnaire_answers(person_ids: list[int]) -> int:
    """The link to the pseudonym, and with it the answers (as the consent text promises)."""
    return forget_answers(person_ids)


@forget_step("consents", Effect.REMOVED)
def delete_consents(person_ids: list[int]) -> int:
    return _deleted(Consent.objects.filter(person_id__in=person_ids))


@forget_step("admin log entries", Effect.REMOVED)
def delete_admin_log(person_ids: list[int]) -> int:
    """The admin's own history of the person's page names them (object_repr)."""
    return _deleted(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person),
            object_id__in=[str(pk) for pk in person_ids],
        )
    )


@forget_step("audit events", Effect.UNLINKED)
def unlink_audit_events(person_ids: list[int]) -> int:
    """Who looked at whose data stays known as "someone", not as this person."""
    return AuditEvent.objects.filter(person_id__in=person_ids).update(person=None)


@forget_step("help requests", Effect.KEPT_ANONYMOUS)
def anonymise_help_requests(person_ids: list[int]) -> int:
    return HelpRequest.objects.filter(person_id__in=person_ids).forget_personal_data()


@forget_step("help offers", Effect.KEPT_ANONYMOUS)
def anonymise_help_offers(person_ids: list[int]) -> int:
    return HelpOffer.objects.filter(person_id__in=person_ids).forget_personal_data()
