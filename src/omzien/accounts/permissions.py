"""Who may see and do what: the one access layer of Omzien.

Views, the admin, exports, commands and the API ask here, and nowhere else. Three parts:

1. **The role table** (`ROLE_TABLE`): role × capability × reach. A capability is something
   a user may do (run the door, follow up signals, see figures, ...). Its reach is
   `OWN` (at the place of the membership; a membership without a place covers every
   place) or `REGION` (at every place, whatever the membership says). No cell: not at
   all. The role sets (`DOOR_ROLES`, `FOLLOW_UP_ROLES`, ...) are read off the table, so
   they are named for what they allow and never drift from it.
2. **Scopes**: `places_for_user(user, capability)` and the querysets built on it.
3. **Access to one thing**: ``access_<thing>_for_user(user, id, *, write=False)`` returns
   the object or raises `NotFound`: the same answer for "does not exist" and "not
   yours", so nothing leaks through the difference. Functions that hand out personal
   data write the audit row themselves (``reading=...``), so no view can forget it.

Access is always decided on the user's *current* memberships: an old assignment or a
removed membership grants nothing. This module refers to other apps' models by label
("places.Place"), never by import: every app may ask it, and it depends on none of them.
"""

from enum import StrEnum
from functools import wraps

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from omzien.accounts.models import Membership, Role
from omzien.audit.services import record_view
from omzien.core.dates import week_parity


class NotFound(Http404):
    """The thing does not exist, or the user may not reach it: one answer for both."""


class Capability(StrEnum):
    # Run the door of a place: its sessions, check-ins, the names of its people, a
    # person's visits there, "let op" and announced absences.
    DOOR = "door"
    # See the signals of a place and follow them up (assign, contact, snooze, close); read
    # the invitations it sent to and received from other places (visiting).
    FOLLOW_UP = "follow_up"
    # Exact attendance figures of a place (never names).
    FIGURES = "figures"
    # Attendance figures with small cells suppressed: what the municipality and the fund see.
    AGGREGATES = "aggregates"
    # Change a place, its activities, sessions and closures; import its visit lists; invite
    # other places on its behalf, answer their invitations, write down how a visit went.
    MANAGE_PLACE = "manage_place"
    # Regions, villages, new places, people, memberships and the audit log.
    MANAGE_REGION = "manage_region"
    # Help between residents: see a place's help requests and offers (with contact
    # details), propose and connect helpers, close requests, approve the notice board.
    HELP = "help"
    # Activities residents propose: see those of the places nearest to their village (with
    # contact details), approve or reject them for the public board, turn one into an
    # activity (at a place the user manages), hear when enough people want to join.
    PROPOSALS = "proposals"
    # The dorpenplatform: the village platform evenings, who came from which place
    # (counts only), the lessons shared ("wat werkt") and the actions agreed. Everyone with
    # it reads all of it (there is no personal data in it). Region-wide: organise
    # evenings and change everything on them; own place: record the place's attendance
    # and share, change or delete its lessons.
    VILLAGE_PLATFORM = "village_platform"


class Reach(StrEnum):
    OWN = "own place"  # the membership's place (a membership without a place: all places)
    REGION = "every place"


OWN, REGION = Reach.OWN, Reach.REGION
C = Capability

ROLE_TABLE: dict[Role, dict[Capability, Reach]] = {
    Role.HOST: {C.DOOR: OWN},
    Role.COORDINATOR: {
        C.DOOR: OWN,
        C.FOLLOW_UP: OWN,
        C.FIGURES: OWN,
        C.MANAGE_PLACE: OWN,
        C.HELP: OWN,
        C.PROPOSALS: OWN,
        C.VILLAGE_PLATFORM: OWN,
    },
    Role.PROFESSIONAL: {
        C.DOOR: OWN,
        C.FOLLOW_UP: OWN,
        C.FIGURES: OWN,
        C.HELP: REGION,
        C.PROPOSALS: REGION,
        C.VILLAGE_PLATFORM: REGION,
    },
    Role.VIEWER: {C.AGGREGATES: REGION, C.VILLAGE_PLATFORM: REGION},
    Role.ADMIN: dict.fromkeys(Capability, REGION),
}


def role_table_markdown() -> str:
    """The role table as docs/ARCHITECTURE.md shows it (a test keeps the two the same)."""
    lines = [
        "| role | " + " | ".join(capability.value for capability in Capability) + " |",
        "|" + "---|" * (len(Capability) + 1),
    ]
    for role, cells in ROLE_TABLE.items():
        reaches = (cells[c].value if c in cells else "–" for c in Capability)
        lines.append(f"| {role.value} | " + " | ".join(reaches) + " |")
    return "\n".join(lines)


def roles_with(capability: Capability) -> frozenset[Role]:
    return frozenset(role for role, cells in ROLE_TABLE.items() if capability in cells)


DOOR_ROLES = roles_with(C.DOOR)
# Roles that may do nothing but run the door: they work on shared tablets.
DOOR_ONLY_ROLES = frozenset(role for role, cells in ROLE_TABLE.items() if set(cells) == {C.DOOR})
FOLLOW_UP_ROLES = roles_with(C.FOLLOW_UP)
FIGURES_ROLES = roles_with(C.FIGURES)
AGGREGATES_ROLES = roles_with(C.AGGREGATES)
MANAGE_PLACE_ROLES = roles_with(C.MANAGE_PLACE)
MANAGE_REGION_ROLES = roles_with(C.MANAGE_REGION)


class _Everywhere:
    """The reach of a region-wide role: every place."""

    def __repr__(self):
        return "EVERYWHERE"


EVERYWHERE = _Everywhere()


class _System:
    """The acting user of a command run on the server (import, nightly runs, the demo):
    whoever may run commands there may do everything. Never a request's user."""

    is_authenticated = False
    is_active = True
    is_superuser = True
    pk = None

    def __repr__(self):
        return "SYSTEM"


SYSTEM = _System()


def as_recorder(acting_user):
    """The user to store in a ``recorded_by`` column: nobody for `SYSTEM`."""
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _model(label: str):
    return apps.get_model(label)


def is_active_user(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def memberships(user) -> list[Membership]:
    """The user's memberships, read once per user object (that is, once per request)."""
    if not is_active_user(user):
        return []
    if not hasattr(user, "_omzien_memberships"):
        user._omzien_memberships = list(user.memberships.all())
    return user._omzien_memberships


def forget_cached_memberships(user) -> None:
    """After a change of memberships in the same request or test."""
    user.__dict__.pop("_omzien_memberships", None)


def reach(user, capability: Capability):
    """`EVERYWHERE`, or the set of place ids where the user has the capability."""
    if user is SYSTEM:
        return EVERYWHERE
    if not is_active_user(user):
        return set()
    if user.is_superuser:
        return EVERYWHERE
    place_ids = set()
    for membership in memberships(user):
        cell = ROLE_TABLE.get(membership.role, {}).get(capability)
        if cell is None:
            continue
        if cell is REGION or membership.place_id is None:
            return EVERYWHERE
        place_ids.add(membership.place_id)
    return place_ids


def can(user, capability: Capability, place=None) -> bool:
    """Whether the user has the capability at the place (a Place or its id), or anywhere."""
    where = reach(user, capability)
    if where is EVERYWHERE:
        return True
    if place is None:
        return bool(where)
    return getattr(place, "pk", place) in where


# The admin at /beheer/ has pages for these (accounts.admin's base classes).
ADMIN_CAPABILITIES = (C.MANAGE_PLACE, C.MANAGE_REGION)


def may_use_admin(user) -> bool:
    """Whether the admin has any page for the user (Django's admin also wants staff)."""
    return (
        is_active_user(user)
        and user.is_staff
        and any(can(user, capability) for capability in ADMIN_CAPABILITIES)
    )


# --- Two-factor log-in (omzien.accounts.two_factor) -----------------------------------

# Roles that reach special-category data or everything: a password alone is not enough.
TWO_FACTOR_ROLES = frozenset({Role.PROFESSIONAL, Role.ADMIN})


def two_factor_required(user) -> bool:
    """Whether the user must log in with a second factor (superusers too)."""
    if not is_active_user(user):
        return False
    return user.is_superuser or any(m.role in TWO_FACTOR_ROLES for m in memberships(user))


def may_use_two_factor(user) -> bool:
    """Whether the user may set up a second factor: everyone but door-only hosts, whose
    shared tablet keeps its one-step log-in (they see only today's people of their place)."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    roles = {membership.role for membership in memberships(user)}
    return not roles or not roles <= DOOR_ONLY_ROLES


def require(user, capability: Capability, place=None) -> None:
    """`NotFound` unless the user has the capability there: for services and views."""
    if not can(user, capability, place):
        raise NotFound


def capability_required(capability: Capability, message=None):
    """A view decorator for pages that name no object: log in first, then 403 (with
    ``message``) for users who have the capability nowhere. Objects a page names are
    still looked up through the ``access_*_for_user`` functions (404 out of reach)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, capability):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def in_reach(user, capability: Capability, path: str) -> Q:
    """A filter for things whose place is at ``path`` (e.g. ``"activity__place"``)."""
    where = reach(user, capability)
    if where is EVERYWHERE:
        return Q()
    return Q(**{f"{path}__in": sorted(where)})


def places_for_user(user, capability: Capability) -> QuerySet:
    """The places where the user has the capability."""
    return _model("places.Place").objects.filter(in_reach(user, capability, "pk"))


def primary_key(value) -> int | None:
    """A primary key from a URL or a query string (``"12"``), or None for anything else:
    not a number (also digits such as "²" that ``str.isdigit`` accepts and ``int``
    refuses), zero or negative, or too large for any database column."""
    try:
        pk = int(str(value).strip()) if value is not None else None
    except ValueError:
        return None
    if pk is None or not 0 < pk < 2**63:
        return None
    return pk


def one_of(queryset, pk):
    """The object with the primary key in a scoped queryset, or `NotFound` (also for a
    key that is not a number, or too large for any database)."""
    pk = primary_key(pk)
    if pk is None:
        raise NotFound
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def _either(*scopes: Q) -> Q:
    """The union of filters, where an empty ``Q()`` means everything (Django's ``|`` would
    drop it)."""
    if any(not scope for scope in scopes):
        return Q()
    union = scopes[0]
    for scope in scopes[1:]:
        union |= scope
    return union


# --- Places, activities, sessions (no personal data) -------------------------------------

# What staff may look at of a place: any of their capabilities there.
_PLACE_READ = (C.DOOR, C.FOLLOW_UP, C.FIGURES, C.MANAGE_PLACE)


def access_place_for_user(user, place_id, *, write=False):
    """A place the user works at (read), or manages (write)."""
    capabilities = [C.MANAGE_PLACE] if write else _PLACE_READ
    scope = _either(*(in_reach(user, capability, "pk") for capability in capabilities))
    return one_of(_model("places.Place").objects.filter(scope), place_id)


def sessions_for_user(user, capability: Capability = C.DOOR) -> QuerySet:
    return _model("agenda.Session").objects.filter(in_reach(user, capability, "activity__place"))


def access_session_for_user(user, session_id, *, write=False):
    """A session the user may run the door of (read), or change itself (write: cancel,
    move): a coordinator of its place."""
    capability = C.MANAGE_PLACE if write else C.DOOR
    sessions = sessions_for_user(user, capability).select_related("activity__place__village")
    return one_of(sessions, session_id)


def access_activity_for_user(user, activity_id, *, write=False):
    capability = C.MANAGE_PLACE if write else C.DOOR
    activities = _model("agenda.Activity").objects.filter(in_reach(user, capability, "place"))
    return one_of(activities.select_related("place"), activity_id)


# --- People ------------------------------------------------------------------------------


def _people_of(where) -> Q:
    """People registered at, or who ever visited, one of the places (`EVERYWHERE`: all)."""
    if where is EVERYWHERE:
        return Q()
    visited = _model("attendance.Visit").objects.filter(
        person=OuterRef("pk"), session__activity__place__in=sorted(where)
    )
    return Q(registered_place__in=sorted(where)) | Q(Exists(visited))


def _named_people(where) -> QuerySet:
    """The people of the places who agreed that hosts see their name."""
    Person = _model("people.Person")
    return Person.objects.filter(_people_of(where)).with_consent("names")


def visible_people(user) -> QuerySet:
    """The people whose names the user may see (not audit-logged: for checks in services;
    views use `people_for_user` or `access_person_for_user`)."""
    return _named_people(reach(user, C.DOOR))


def people_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """The people whose names the user may see; the look is audit-logged as ``reading``."""
    record_view(user, reading, detail=detail)
    return visible_people(user)


def door_people(user, session) -> QuerySet:
    """The people a host of the session may find at the door: of its place, names agreed.
    Not audit-logged: for checks; views use `door_people_for_user`."""
    place_id = session.activity.place_id
    if not can(user, C.DOOR, place_id):
        return _model("people.Person").objects.none()
    return _named_people({place_id})


def door_people_for_user(user, session, *, reading: str) -> QuerySet:
    """`door_people`, for a page or a list that shows them: audit-logged as ``reading``."""
    require(user, C.DOOR, session.activity.place_id)
    record_view(user, reading, detail=f"session #{session.pk}")
    return door_people(user, session)


def access_person_for_user(user, person_id, *, write=False, reading: str = "person"):
    """A person whose name the user may see; a read is audit-logged as ``reading``."""
    person = one_of(visible_people(user).select_related("village", "registered_place"), person_id)
    if not write:
        record_view(user, reading, person=person)
    return person


def may_see_person(user, person) -> bool:
    return visible_people(user).filter(pk=person.pk).exists()


# --- Signals -----------------------------------------------------------------------------


def _signals_in_reach(user) -> Q:
    """Signals at places the user follows up, and signals assigned to them at a place where
    they still run the door (an assignment survives no change of membership)."""
    followed = in_reach(user, C.FOLLOW_UP, "place")
    assigned = Q(assigned_to=user.pk) & in_reach(user, C.DOOR, "place")
    return _either(followed, assigned)


def reachable_signals(user) -> QuerySet:
    """The signals the user may follow up, of people who agreed to follow-up (not
    audit-logged: for checks and for parts of a page whose look is logged already)."""
    Signal, Person = _model("signals.Signal"), _model("people.Person")
    consenting = Person.objects.with_consent("followup").values("pk")
    return Signal.objects.filter(_signals_in_reach(user), person__in=consenting)


def signals_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """The signals the user may see and follow up; the look is audit-logged."""
    record_view(user, reading, detail=detail)
    return reachable_signals(user)


def may_follow_up(user, signal) -> bool:
    return reachable_signals(user).filter(pk=signal.pk).exists()


def access_signal_for_user(user, signal_id, *, write=False):
    """A signal the user may follow up; a read is audit-logged with its person."""
    signal = one_of(reachable_signals(user).select_related("person", "place"), signal_id)
    if not write:
        record_view(user, "signal", person=signal.person, detail=f"#{signal.pk}")
    return signal


def door_signals(user, session, *, answered=False) -> QuerySet:
    """The first contacts a host of the session is asked about ("Wie weet hoe het met Jan
    gaat?"): open signals at its place that no coordinator follows up yet, of the
    session's activity (or of no activity; of someone who comes every other week, in
    their weeks), about people whose names the door shows, who agreed to follow-up and
    whose processing is not restricted. ``answered``: also those the door answered
    already (open or not, first contact or not), to take a tap back. Not audit-logged:
    for checks; the screen uses `door_signals_for_user`."""
    Signal = _model("signals.Signal")
    people = (
        door_people(user, session)
        .with_consent("followup")
        .filter(restricted_at__isnull=True)
        .values("pk")
    )
    signals = Signal.objects.filter(
        Q(activity_id=session.activity_id) | Q(activity__isnull=True),
        # Someone who comes every other week is asked about in the weeks they would come.
        Q(week_parity__isnull=True) | Q(week_parity=week_parity(session.date.toordinal())),
        place_id=session.activity.place_id,
        person__in=people,
    )
    if answered:
        return signals
    return signals.filter(status="open", follow_up_since__isnull=True)


def door_signals_for_user(user, session, *, reading: str) -> list:
    """`door_signals` for the door's screen, with their people: each name shown is
    audit-logged as ``reading`` with its person (the door said "we missed Jan")."""
    require(user, C.DOOR, session.activity.place_id)
    signals = list(door_signals(user, session).select_related("person").order_by("raised_on", "pk"))
    for signal in signals:
        detail = f"#{signal.pk} session #{session.pk}"
        record_view(user, reading, person=signal.person, detail=detail)
    return signals


def access_door_signal_for_user(
    user, session, signal_id, *, reading: str | None = None, answered=False
):
    """A first contact of the session's door (`door_signals`; ``answered``: or one it
    answered), or `NotFound`; a look is audit-logged as ``reading`` (an answer is
    audit-logged by the service)."""
    signals = door_signals(user, session, answered=answered)
    signal = one_of(signals.select_related("person", "place"), signal_id)
    if reading is not None:
        record_view(user, reading, person=signal.person, detail=f"#{signal.pk}")
    return signal


def may_start_follow_up(user) -> bool:
    """Whether the signal list is for the user: they follow up, or hold an assignment."""
    return can(user, C.FOLLOW_UP) or reachable_signals(user).exists()


# --- Merging duplicate person records ------------------------------------------------------


def mergeable_people(user) -> QuerySet:
    """The people a user may merge: of the places they manage, names agreed (the pages show
    the names). Not audit-logged: for checks; pages use `mergeable_people_for_user`."""
    return _named_people(reach(user, C.MANAGE_PLACE))


def mergeable_people_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """`mergeable_people`, for a page that shows them: audit-logged as ``reading``."""
    record_view(user, reading, detail=detail)
    return mergeable_people(user)


def access_mergeable_person_for_user(user, person_id, *, write=False, reading: str = "person"):
    """A person the user may merge; a read is audit-logged as ``reading``."""
    person = one_of(mergeable_people(user).select_related("village"), person_id)
    if not write:
        record_view(user, reading, person=person)
    return person


def access_merge_for_user(user, merge_id, *, write=False):
    """A merge of person records whose kept person the user may merge (to undo it)."""
    merges = _model("privacy.PersonMerge").objects.filter(kept__in=mergeable_people(user))
    return one_of(merges.select_related("kept"), merge_id)


# --- Privacy rights (AVG): access, rectification, restriction, erasure on request ---------
#
# Those who follow the people of a place up (`FOLLOW_UP`: coordinators of their places,
# professionals, administrators) act on a resident's request for the people of their
# places, whether or not the names consent was given (a right does not depend on it):
# produce everything Omzien keeps about them (inzage), correct their name or village,
# restrict (freeze) and lift it, and erase them after a confirmation. The audit log's
# page is for the region's administrators (`MANAGE_REGION`).


def privacy_rights_people(user) -> QuerySet:
    """The people the user may act for on a privacy request: registered at, or visitors
    of, a place the user follows up (not audit-logged: for checks)."""
    return _model("people.Person").objects.filter(_people_of(reach(user, C.FOLLOW_UP)))


def reaches_all_places_of(user, person, capability=None) -> bool:
    """Whether every place the person is registered at or visited is within the user's
    reach (for ``FOLLOW_UP`` unless another capability is named): what a coordinator may
    undo for everyone, such as erasing someone, stops at someone who also comes elsewhere."""
    where = reach(user, capability or C.FOLLOW_UP)
    if where is EVERYWHERE:
        return True
    visited = (
        _model("attendance.Visit")
        .objects.filter(person=person)
        .exclude(session__activity__place__in=sorted(where))
    )
    elsewhere_registered = person.registered_place_id is not None and (
        person.registered_place_id not in where
    )
    return not elsewhere_registered and not visited.exists()


def may_handle_privacy_requests(user) -> bool:
    return can(user, C.FOLLOW_UP)


def access_privacy_person_for_user(user, person_id, *, write=False, reading: str = "person"):
    """A person the user may act for on a privacy request; a read is audit-logged."""
    people = privacy_rights_people(user).select_related("village", "registered_place")
    person = one_of(people, person_id)
    if not write:
        record_view(user, reading, person=person)
    return person


def privacy_rights_people_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """`privacy_rights_people`, for a page that lists them: audit-logged."""
    require(user, C.FOLLOW_UP)
    record_view(user, reading, detail=detail)
    return privacy_rights_people(user)


def may_read_audit_log(user) -> bool:
    """Whether the user may read who looked at whose data (the region's administrators)."""
    return reach(user, C.MANAGE_REGION) is EVERYWHERE


def audit_events_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """The audit log, for an administrator of the region; reading it is logged too."""
    if not may_read_audit_log(user):
        raise NotFound
    record_view(user, reading, detail=detail)
    return _model("audit.AuditEvent").objects.all()


# --- How to reach someone for follow-up -----------------------------------------------------


def _followed_up_people(user) -> QuerySet:
    """People the user follows up: of a place where they have `FOLLOW_UP`, or with an
    active signal they may follow up (an assignment); all with the follow-up consent."""
    Person = _model("people.Person")
    assigned = reachable_signals(user).active().filter(person=OuterRef("pk"))
    people_of_places = _people_of(reach(user, C.FOLLOW_UP))
    where = people_of_places if not people_of_places else people_of_places | Q(Exists(assigned))
    return Person.objects.filter(where).with_consent("followup")


def may_reach_person(user, person) -> bool:
    """Whether the user may see and change how to reach the person (not audit-logged)."""
    if not is_active_user(user) and user is not SYSTEM:
        return False
    return _followed_up_people(user).filter(pk=getattr(person, "pk", person)).exists()


def access_reachable_person_for_user(user, person_id, *, write=False):
    """A person whose contact details the user may see (those who follow them up); a read
    is audit-logged, because the page shows the phone number."""
    person = one_of(_followed_up_people(user), person_id)
    if not write:
        record_view(user, "contact details", person=person)
    return person


def followup_contact_for_user(user, person):
    """The person's contact details for follow-up, or None; a look at them is audit-logged.
    Nobody but those who follow the person up gets them."""
    if not may_reach_person(user, person):
        return None
    contact = _model("people.FollowUpContact").objects.filter(person=person).first()
    if contact is not None:
        record_view(user, "contact details", person=person)
    return contact


# --- Help between residents -----------------------------------------------------------------
#
# A request or offer belongs to the meeting place that handles it (``place``: where it
# was asked, or the nearest to the village). Those with `HELP` there see it whole,
# contact details included (coordinators: their places; professionals: every place);
# a request without a place only region-wide. Hosts record requests and offers at the
# door of their place (`may_record_help`) but do not browse them; viewers see counts in
# the reports, never a request.


def help_requests(user) -> QuerySet:
    """The help requests the user coordinates (not audit-logged: for checks and counts;
    pages use `help_requests_for_user` or `access_help_request_for_user`)."""
    return _model("helping.HelpRequest").objects.filter(in_reach(user, C.HELP, "place"))


def help_requests_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """`help_requests`, for a page or a list that shows them: audit-logged."""
    require(user, C.HELP)
    record_view(user, reading, detail=detail)
    return help_requests(user)


def access_help_request_for_user(user, request_id, *, write=False, reading: str = "help request"):
    """A help request the user coordinates; a read (its page shows how to reach the asker)
    is audit-logged with its person."""
    found = one_of(help_requests(user).select_related("person", "village", "place"), request_id)
    if not write:
        record_view(user, reading, person=found.person, detail=f"#{found.pk}")
    return found


def help_offers(user) -> QuerySet:
    """The help offers the user coordinates (not audit-logged)."""
    return _model("helping.HelpOffer").objects.filter(in_reach(user, C.HELP, "place"))


def help_offers_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    require(user, C.HELP)
    record_view(user, reading, detail=detail)
    return help_offers(user)


def access_help_offer_for_user(user, offer_id, *, write=False, reading: str = "help offer"):
    found = one_of(help_offers(user).select_related("person", "village", "place"), offer_id)
    if not write:
        record_view(user, reading, person=found.person, detail=f"#{found.pk}")
    return found


def help_matches_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """The proposals of the requests the user coordinates (the call list shows both sides'
    contact details): audit-logged as ``reading``."""
    require(user, C.HELP)
    record_view(user, reading, detail=detail)
    return _model("helping.HelpMatch").objects.filter(request__in=help_requests(user))


def access_help_match_for_user(user, match_id, *, write=False, reading: str = "help proposal"):
    """A proposal whose request the user coordinates; a read is audit-logged."""
    matches = _model("helping.HelpMatch").objects.filter(request__in=help_requests(user))
    found = one_of(matches.select_related("request__village", "offer__village"), match_id)
    if not write:
        record_view(user, reading, person=found.offer.person, detail=f"#{found.pk}")
    return found


def may_record_help(user, place) -> bool:
    """Whether the user may write down a request or offer on someone's behalf at the
    place: who runs its door (hosts), or coordinates its help."""
    return can(user, C.DOOR, place) or can(user, C.HELP, place)


def access_help_request_at_door_for_user(user, request_id, *, reading: str = "help feedback"):
    """A help request the user coordinates, or, for a host, a finished one of a person they
    may see at the door of its place (to note "Hoe ging het?": hosts never browse
    requests); audit-logged. The page shows what and a first name only."""
    if not can(user, C.HELP) and not can(user, C.DOOR):
        raise NotFound
    at_the_door = in_reach(user, C.DOOR, "place") & Q(
        status="afgerond", person__in=visible_people(user)
    )
    scope = _either(in_reach(user, C.HELP, "place"), at_the_door)
    requests = _model("helping.HelpRequest").objects.filter(scope, place__isnull=False)
    found = one_of(requests.select_related("person", "village", "place"), request_id)
    record_view(user, reading, person=found.person, detail=f"#{found.pk}")
    return found


# --- Proposed activities --------------------------------------------------------------
#
# A proposal belongs to the places nearest to its village (``proposals.places``, chosen
# when it is made). Those with `PROPOSALS` at one of them see it whole, contact details
# included, and approve or reject it (coordinators: their places; professionals and
# admins: every place). Hosts write one down for a resident (`may_record_proposal`) but do
# not browse them. Anyone sees an approved one on the public board, without contact details.


def proposals(user) -> QuerySet:
    """The proposals the user handles (not audit-logged: for checks and counts)."""
    model = _model("proposals.Proposal")
    where = reach(user, C.PROPOSALS)
    if where is EVERYWHERE:
        return model.objects.all()
    return model.objects.filter(
        pk__in=model.places.through.objects.filter(place_id__in=sorted(where)).values("proposal_id")
    )


def proposals_for_user(user, *, reading: str, detail: str = "") -> QuerySet:
    """`proposals`, for a page that lists them: audit-logged."""
    require(user, C.PROPOSALS)
    record_view(user, reading, detail=detail)
    return proposals(user)


def access_proposal_for_user(user, proposal_id, *, write=False, reading: str = "proposal"):
    """A proposal the user handles; a read (its page shows how to reach the proposer and
    who joined) is audit-logged."""
    found = one_of(proposals(user).select_related("village__region"), proposal_id)
    if not write:
        record_view(user, reading, detail=f"#{found.pk}")
    return found


def may_record_proposal(user) -> bool:
    """Whether the user may write down a proposal for a resident: who runs a door (hosts)
    or handles proposals somewhere."""
    return can(user, C.DOOR) or can(user, C.PROPOSALS)


def proposal_coordinators(place_ids) -> QuerySet:
    """The active users who handle proposals at one of the places through a membership of
    that place (not region-wide: those are told by the places' own coordinators)."""
    own_roles = [role for role, cells in ROLE_TABLE.items() if cells.get(C.PROPOSALS) is OWN]
    return (
        _model("auth.User")
        .objects.filter(
            is_active=True,
            memberships__role__in=own_roles,
            memberships__place_id__in=list(place_ids),
        )
        .distinct()
        .order_by("pk")
    )


# --- Visits between places ("Kom een kijkje nemen") --------------------------------
#
# An invitation carries no personal data and is public. Staff-side, at /bezoeken/: who
# manages a place (`MANAGE_PLACE`: coordinators, administrators) invites other places on
# its behalf, cancels, writes down how the visit went, and for an invited place answers
# (how many come, first names) and writes down what it wants to try. Who follows a place
# up (`FOLLOW_UP`: professionals, at their places) reads the invitations it sent and
# received, answers included; no new capability is needed. Hosts (door only, on shared
# tablets) and viewers have no staff pages here.

_INVITATION_READ = (C.MANAGE_PLACE, C.FOLLOW_UP)


def _reach_any(user, capabilities):
    """`EVERYWHERE`, or the place ids where the user has one of the capabilities."""
    place_ids = set()
    for capability in capabilities:
        where = reach(user, capability)
        if where is EVERYWHERE:
            return EVERYWHERE
        place_ids |= where
    return place_ids


def invitation_places(user, *, write=False):
    """`EVERYWHERE` or the ids of the places whose invitations the user reads (or, with
    ``write``, acts for)."""
    return _reach_any(user, (C.MANAGE_PLACE,) if write else _INVITATION_READ)


def may_see_invitations(user) -> bool:
    return bool(invitation_places(user))


def invitations(user, *, write=False) -> QuerySet:
    """The invitations sent or received by the places the user reads (or acts for)."""
    model = _model("visiting.Invitation")
    where = invitation_places(user, write=write)
    if where is EVERYWHERE:
        return model.objects.all()
    received = _model("visiting.InvitedPlace").objects.filter(place__in=sorted(where))
    return model.objects.filter(
        Q(host__in=sorted(where)) | Q(pk__in=received.values("invitation_id"))
    )


def access_invitation_for_user(user, invitation_id, *, write=False):
    """An invitation the user reads (its page shows the answers' first names), or, with
    ``write``, one sent or received by a place they manage; `NotFound` otherwise."""
    found = one_of(invitations(user, write=write).select_related("host__village"), invitation_id)
    if not write:
        record_view(user, "invitation", detail=f"#{found.pk}")
    return found


def place_managers(place_ids) -> QuerySet:
    """The active users who manage one of the places through a membership of that place
    (not the region-wide roles): whom a notice for the place reaches."""
    own_roles = [role for role, cells in ROLE_TABLE.items() if cells.get(C.MANAGE_PLACE) is OWN]
    return (
        _model("auth.User")
        .objects.filter(
            is_active=True,
            memberships__role__in=own_roles,
            memberships__place_id__in=list(place_ids),
        )
        .distinct()
        .order_by("pk")
    )


# --- The dorpenplatform (no personal data: counts and practices) ---------------------------
#
# Everything on it is read by everyone with `VILLAGE_PLATFORM` ("searchable by everyone
# staff-side"); hosts do not have it. Those who have it region-wide (the municipality's
# viewer, professionals, administrators) organise evenings and change everything on them.
# A coordinator records their own place's attendance, shares its lessons and follows up
# the actions their place took on; they change only their own place's lessons, or ones
# they wrote themselves.


def may_organise_evenings(user) -> bool:
    """Whether the user organises village platform evenings (region-wide)."""
    return reach(user, C.VILLAGE_PLATFORM) is EVERYWHERE


def evenings(user) -> QuerySet:
    """The village platform evenings the user may see: all of them, with the capability."""
    model = _model("villageplatform.Evening")
    return model.objects.all() if can(user, C.VILLAGE_PLATFORM) else model.objects.none()


def access_evening_for_user(user, evening_id, *, write=False):
    """An evening the user may see (read), or organise (write)."""
    if write and not may_organise_evenings(user):
        raise NotFound
    return one_of(evenings(user).select_related("region", "host_place"), evening_id)


def lessons(user) -> QuerySet:
    """The lessons ("wat werkt") the user may read: all of them, with the capability."""
    model = _model("villageplatform.Lesson")
    return model.objects.all() if can(user, C.VILLAGE_PLATFORM) else model.objects.none()


def editable_lessons(user) -> QuerySet:
    """The lessons the user may change or delete: organisers all; others those of the
    places where they have the capability, and the ones they wrote themselves."""
    scope = in_reach(user, C.VILLAGE_PLATFORM, "place")
    if scope:
        scope = scope | Q(created_by=user.pk)
    return lessons(user).filter(scope)


def may_edit_lesson(user, lesson) -> bool:
    return editable_lessons(user).filter(pk=lesson.pk).exists()


def access_lesson_for_user(user, lesson_id, *, write=False):
    """A lesson the user may read, or change (write: `may_edit_lesson`)."""
    scope = editable_lessons(user) if write else lessons(user)
    return one_of(scope.select_related("place", "evening"), lesson_id)


def actions(user) -> QuerySet:
    model = _model("villageplatform.Action")
    return model.objects.all() if can(user, C.VILLAGE_PLATFORM) else model.objects.none()


def followed_up_actions(user) -> QuerySet:
    """The actions whose follow-up the user may record: organisers all; coordinators
    those their place took on."""
    if may_organise_evenings(user):
        return actions(user)
    where = reach(user, C.VILLAGE_PLATFORM)
    return actions(user).filter(owner_place__in=sorted(where))


def may_follow_up_action(user, action) -> bool:
    return followed_up_actions(user).filter(pk=action.pk).exists()


def access_action_for_user(user, action_id, *, write=False, follow_up=False):
    """An agreed action: to change (write: organisers) or to follow up (``follow_up``:
    organisers and the owner place's coordinators)."""
    if write and not may_organise_evenings(user):
        raise NotFound
    scope = followed_up_actions(user) if follow_up else actions(user)
    return one_of(scope.select_related("evening__region", "owner_place"), action_id)


# --- Questionnaires (special-category data: never one person's answers or scores) --------
#
# No function here hands out a score: answers reach nobody but the scoring and the
# aggregates (`wellbeing.analysis`). What a user may do: hand the tablet to a resident of a
# place where they run the door (and enter a paper form there), see whose repeat is due
# at the places they manage (names only with the names consent), see the aggregates
# where they may see figures (always with small cells hidden), and make the one-time link
# with which a person sees their own answers on their own phone (whoever may produce the
# person's inzage; the link is handed over, never opened by the user).


def may_give_own_answers(user, person) -> bool:
    """Whether the user may make the link to the person's own answers: the same people
    as for the rest of the person's inzage (`privacy_rights_people`). Not audit-logged."""
    return privacy_rights_people(user).filter(pk=getattr(person, "pk", person)).exists()


def may_take_questionnaire(user, person, place) -> bool:
    """Whether the user may start a questionnaire with the person at the place: they run
    the door there and may see the person's name."""
    return can(user, C.DOOR, place) and may_see_person(user, person)


def access_draft_for_user(user, token, *, opened_tokens=(), reading="questionnaire", answers=True):
    """A questionnaire in progress: for a host of its place (on the tablet they hand
    over), or for the browser that opened its personal link (``opened_tokens``, kept in
    that browser's session). A personal link's answers are for that browser only: the host
    who made the link may show it again (``answers=False``), never see or change what the
    resident answers. `NotFound` otherwise, also for a token that never existed. Every
    look is audit-logged (without the person: the draft names none)."""
    Draft = _model("wellbeing.Draft")
    draft = Draft.objects.filter(token=str(token)[:40]).select_related("place").first()
    if draft is None:
        raise NotFound
    opened_here = draft.token in opened_tokens
    if draft.mode == "link" and answers:
        allowed = opened_here
    else:
        allowed = opened_here or can(user, C.DOOR, draft.place_id)
    if not allowed:
        raise NotFound
    record_view(user, reading, detail=f"draft #{draft.pk}")
    return draft


def repeat_due_people_for_user(user, *, reading: str) -> QuerySet:
    """The people whose questionnaire repeat the user may see is due: of the places they
    manage, with the names and the questionnaires consent; audit-logged."""
    record_view(user, reading)
    return _named_people(reach(user, C.MANAGE_PLACE)).with_consent("questionnaires")


def may_see_wellbeing_figures(user) -> bool:
    """Whether the user may see the questionnaires' aggregates (small cells hidden)."""
    return can(user, C.FIGURES) or can(user, C.AGGREGATES)


def wellbeing_places_for_user(user) -> QuerySet:
    """The places whose questionnaire aggregates the user may see."""
    return _model("places.Place").objects.filter(
        _either(in_reach(user, C.FIGURES, "pk"), in_reach(user, C.AGGREGATES, "pk"))
    )
