"""Duplicate visitors: find a pair, compare, choose who is kept, confirm; undo for a day.

For coordinators of their places and administrators (``Capability.MANAGE_PLACE``, both
people of places the user manages): others get 403 on the list and 404 on a person or a
merge, the same as for one that does not exist. Every page that shows people is
audit-logged through `accounts.permissions`; the writes are `privacy.services`. Plain
links and forms: no JavaScript needed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.people.matching import LIKELY, POSSIBLE, likely_duplicate_pairs
from omzien.privacy import merging, services
from omzien.privacy.models import PersonMerge
from omzien.privacy.queries import summaries


def _undoable_merges(user):
    """The merges of the last day over people the user may merge, newest first."""
    since = timezone.now() - merging.UNDO_PERIOD
    return PersonMerge.objects.filter(
        kept__in=permissions.mergeable_people(user), undone_at=None, merged_at__gt=since
    ).select_related("kept", "kept__village")


@permissions.capability_required(Capability.MANAGE_PLACE)
@require_GET
def duplicates(request):
    """Likely duplicate pairs in the user's places (``?persoon=``: around one person)."""
    around = None
    if request.GET.get("persoon"):
        around = permissions.access_mergeable_person_for_user(
            request.user, request.GET["persoon"], reading="duplicate visitors"
        )
    people = permissions.mergeable_people_for_user(
        request.user, reading="duplicate visitors", detail=f"around #{around.pk}" if around else ""
    ).select_related("village")
    pairs = likely_duplicate_pairs(people, threshold=POSSIBLE if around else LIKELY, around=around)
    return render(
        request,
        "privacy/duplicates.html",
        {"pairs": pairs, "around": around, "merges": _undoable_merges(request.user)},
    )


def _two_people(request, person_id, other_id, *, write=False, reading="merge comparison"):
    def one(person_id):
        return permissions.access_mergeable_person_for_user(
            request.user, person_id, write=write, reading=reading
        )

    first, second = one(person_id), one(other_id)
    if first.pk == second.pk:
        raise permissions.NotFound
    return first, second


@login_required
@require_GET
def compare(request, person_id, other_id):
    """The two records side by side, each with a button to keep that one."""
    first, second = _two_people(request, person_id, other_id)
    facts = summaries(request.user, [first, second])
    return render(
        request,
        "privacy/compare.html",
        {"first": facts[first.pk], "second": facts[second.pk]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, person_id, other_id):
    """Confirm (GET) and merge (POST): ``person_id`` is kept, ``other_id`` goes into it."""
    write = request.method == "POST"
    if write and (done := _merged_already(request.user, person_id, other_id)):
        messages.info(request, _("%(name)s was merged already.") % {"name": done.kept})
        return redirect("privacy:duplicates")
    kept, duplicate = _two_people(
        request, person_id, other_id, write=write, reading="merge confirmation"
    )
    if write:
        try:
            result = services.merge_people(kept, duplicate, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("privacy:compare", person_id=kept.pk, other_id=duplicate.pk)
        visits = summaries(request.user, [result.merge.kept])[kept.pk].visits
        messages.success(
            request,
            ngettext(
                "Merged: %(name)s is now one record, with %(visits)d visit at your places. "
                "You can undo this until tomorrow at this time.",
                "Merged: %(name)s is now one record, with %(visits)d visits at your places. "
                "You can undo this until tomorrow at this time.",
                visits,
            )
            % {"name": kept, "visits": visits},
        )
        return redirect("privacy:duplicates")
    facts = summaries(request.user, [kept, duplicate])
    return render(
        request,
        "privacy/confirm_merge.html",
        {"kept": facts[kept.pk], "duplicate": facts[duplicate.pk]},
    )


def _merged_already(user, person_id, other_id):
    """The merge of these two the user made a moment ago (a form sent twice), or None."""
    if not (0 < person_id < 2**63 and 0 < other_id < 2**63):
        return None  # no database holds such an id
    merge = (
        PersonMerge.objects.filter(kept_id=person_id, duplicate_id=other_id, undone_at=None)
        .order_by("-merged_at")
        .first()
    )
    if merge is None or not merging.can_still_undo(merge):
        return None
    try:
        return permissions.access_merge_for_user(user, merge.pk, write=True)
    except permissions.NotFound:
        return None


@login_required
@require_POST
def undo(request, merge_id):
    """Undo a merge of the last day: the other record comes back with its visits."""
    found = permissions.access_merge_for_user(request.user, merge_id, write=True)
    try:
        duplicate = services.undo_merge(found, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Undone: %(kept)s and %(other)s are two records again.")
            % {"kept": found.kept, "other": duplicate},
        )
    return redirect("privacy:duplicates")
