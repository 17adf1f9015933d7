"""Every URL of the site, asked for by every role: the answer follows the role table.

`URLS` says, for every URL in the URLconf, which capability it needs and on which
object (the objects all belong to De Benring). What each role may do there is not
written here: it is read off `accounts.permissions.ROLE_TABLE`, so this test checks that
the views, the admin and the table agree. A URL without an entry fails the test: a new
page needs a line here, and so a decision about who may use it.

The answers: allowed is a page, a redirect that is not a log-in, or a 400 for the empty
form a tap without data is; the anonymous visitor is sent to log in; denied is a 403 for
a page that names no object, and for a page that names one the same answer as for an
object that does not exist (404 on the site; the admin's "does not exist" redirect for a
user who may use the admin page elsewhere, 403 for one who may not use it anywhere).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from omzien.accounts import permissions
from omzien.accounts.models import Membership, Role
from omzien.accounts.permissions import SYSTEM, Capability
from omzien.attendance import services as attendance
from omzien.audit.models import AuditEvent
from omzien.places.models import PlaceClosure
from omzien.privacy import services as privacy
from omzien.signals.models import Signal
from omzien.villageplatform.models import Tag
from omzien.visiting.models import Invitation, InvitedPlace
from omzien.wellbeing import services as wellbeing
from tests import factories
from tests.attendance import door

C = Capability
PUBLIC, LOGIN, STAFF, NOBODY = "public", "login", "staff", "nobody"
ANYWHERE, EVERYWHERE = "anywhere", "everywhere"


@dataclass(frozen=True)
class Rule:
    """What a URL needs: one of ``needs`` (capabilities), or PUBLIC/LOGIN/STAFF/NOBODY;
    ``at``: the object the URL names (None: the page names none)."""

    needs: tuple | str
    at: str | None = None
    method: str = "GET"
    data: dict = field(default_factory=dict)  # values "person"/"token": the world's
    admin: bool = False
    refused: str = "forbidden"  # how a page that names no object is refused
    # Where the capability counts: at the object's place (De Benring), ANYWHERE (the
    # object is the whole region's: the capability at any place reaches it), or only
    # EVERYWHERE (a region-wide reach is needed).
    reach: str = "place"


def door_url(at="session", method="GET", **data):
    return Rule((C.DOOR,), at=at, method=method, data=data)


FIGURES = (C.FIGURES, C.AGGREGATES)

URLS: dict[str, Rule] = {
    # The public site.
    "home": Rule(PUBLIC),
    "agenda:week": Rule(PUBLIC),
    "agenda:activity": Rule(PUBLIC),
    "feed": Rule(PUBLIC),
    "places:list": Rule(PUBLIC),
    "places:detail": Rule(PUBLIC),
    "places:feed": Rule(PUBLIC),
    "places:village": Rule(PUBLIC),
    "set_language": Rule(PUBLIC, method="POST", data={"language": "en"}),
    "accounts:login": Rule(PUBLIC),
    "accounts:logout": Rule(PUBLIC, method="POST"),
    "accounts:start": Rule(LOGIN),
    # Two-factor log-in: the code step, the user's own pages (door-only hosts get a page
    # that says the door logs in in one step), and the administrators' reset.
    "accounts:two_factor_verify": Rule(LOGIN),
    "accounts:two_factor": Rule(LOGIN),
    "accounts:two_factor_setup": Rule(LOGIN),
    "accounts:recovery_codes": Rule(LOGIN),
    # Removing one's own passkey (?passkey=<id>; without one: 400). Another user's passkey
    # is a 404: tests/accounts/test_passkeys.py.
    "accounts:passkey_remove": Rule(LOGIN),
    "accounts:two_factor_reset": Rule((C.MANAGE_REGION,), at="user", reach=ANYWHERE),
    # The user's own API tokens (omzien.api): everyone logged in; a token grants only
    # what the owner's roles do. The revoke page without a token named answers 400.
    "api_tokens:list": Rule(LOGIN),
    "api_tokens:create": Rule(LOGIN, method="POST"),
    "api_tokens:revoke": Rule(LOGIN),
    # The door.
    "attendance:door": Rule((C.DOOR,)),
    "attendance:check_in": door_url(),
    "attendance:search": door_url(),
    "attendance:tap_check_in": door_url(method="POST", person="person"),
    "attendance:tap_undo": door_url(method="POST", person="person"),
    "attendance:tap_add_anonymous": door_url(method="POST", token="token"),
    "attendance:tap_remove_anonymous": door_url(method="POST"),
    "attendance:register": door_url(),
    "attendance:presence": door_url(),
    "attendance:badges": door_url(),
    "attendance:hosts": Rule((C.MANAGE_PLACE,), at="session"),
    "attendance:person": door_url(at="person"),
    # Figures, signals, visit files.
    # Viewers are sent on to the report (a redirect) and get no chart of free ranges.
    "reports:overview": Rule(FIGURES),
    "reports:chart": Rule((C.FIGURES,)),
    "reports:impact": Rule(FIGURES),
    "reports:impact_chart": Rule(FIGURES),
    "reports:impact_pdf": Rule(FIGURES),
    "reports:impact_xlsx": Rule(FIGURES),
    # The village network (thresholded for viewers and coordinators, as in the report).
    "reports:network": Rule(FIGURES),
    # The coordinators' texts for the impact report (of De Benring).
    "reports:stories": Rule((C.MANAGE_PLACE,)),
    "reports:story": Rule((C.MANAGE_PLACE,), at="place"),
    "signals:list": Rule((C.FOLLOW_UP,)),
    "signals:closed": Rule((C.FOLLOW_UP,)),
    "signals:detail": Rule((C.FOLLOW_UP,), at="signal"),
    "signals:assign": Rule((C.FOLLOW_UP,), at="signal", method="POST"),
    # "Zelf opvolgen": the world's signal is still a first contact; a second POST is a
    # redirect with a message (it is a follow-up already).
    "signals:take_over": Rule((C.FOLLOW_UP,), at="signal", method="POST"),
    # The door's "Wie weet hoe het met Riet gaat?": the holiday page (GET); an answer
    # without data is the 400 of an unreadable tap.
    "signals:door_answer": door_url(),
    # Taking an answer back: the world's signal has none, so a refusal (400) when allowed.
    "signals:door_undo": door_url(method="POST"),
    "signals:let_op": door_url(at="person"),
    "signals:absence": door_url(at="person"),
    "signals:reach": Rule((C.FOLLOW_UP,), at="person"),
    # Help: the public pages, the coordinators' pages, on someone's behalf.
    "help:start": Rule(PUBLIC),
    "help:ask": Rule(PUBLIC),
    "help:offer": Rule(PUBLIC),
    "help:thanks": Rule(PUBLIC),
    "help:board": Rule(PUBLIC),
    "help:board_offer": Rule(PUBLIC),  # the world's request is on the board
    "help:transport": Rule(PUBLIC),  # "ik wil mee maar heb geen vervoer"
    "helping:manage": Rule((C.HELP,)),
    "helping:offers": Rule((C.HELP,)),
    "helping:offer_toggle": Rule((C.HELP,), at="help_offer", method="POST"),
    "helping:call_list": Rule((C.HELP,)),
    "helping:request": Rule((C.HELP,), at="help_request"),
    "helping:propose": Rule((C.HELP,), at="help_request", method="POST"),
    "helping:change_status": Rule((C.HELP,), at="help_request"),  # GET: the confirmation
    "helping:board_toggle": Rule((C.HELP,), at="help_request", method="POST"),
    # Hosts note "Hoe ging het?" only for a finished request of someone they know.
    "helping:feedback": Rule((C.HELP, C.DOOR), at="finished_help_request"),
    "helping:confirm": Rule((C.HELP,), at="help_match", method="POST"),
    "helping:decline": Rule((C.HELP,), at="help_match", method="POST"),
    "helping:helper_view": Rule((C.HELP,), at="help_match"),
    "helping:door_ask": door_url(at="person"),
    "helping:door_offer": door_url(at="person"),
    "helping:from_signal": Rule((C.FOLLOW_UP,), at="signal"),
    # Proposed activities: the public board (the world's proposal is approved) and the
    # coordinators' pages (the proposal belongs to De Benring).
    "plans:board": Rule(PUBLIC),
    "plans:new": Rule(PUBLIC),
    "plans:thanks": Rule(PUBLIC),
    "plans:detail": Rule(PUBLIC),
    "plans:joined": Rule(PUBLIC),
    "proposals:manage": Rule((C.PROPOSALS,)),
    "proposals:record": Rule((C.DOOR, C.PROPOSALS)),
    "proposals:detail": Rule((C.PROPOSALS,), at="proposal"),
    "proposals:approve": Rule((C.PROPOSALS,), at="proposal", method="POST"),
    "proposals:reject": Rule((C.PROPOSALS,), at="proposal", method="POST"),
    "proposals:start_activity": Rule((C.PROPOSALS,), at="proposal"),  # GET: the form
    # Visits between places: the public calendar of open days (the world's invitations
    # carry no personal data) and the coordinators' pages at /bezoeken/. Who manages or
    # follows up a place reads its invitations; who manages it acts for it: as the host
    # ("invitation", De Benring's) or as an invited place ("invitation_to_benring").
    "open_days:list": Rule(PUBLIC),
    "open_days:detail": Rule(PUBLIC),
    "open_days_feed": Rule(PUBLIC),
    "visiting:list": Rule((C.MANAGE_PLACE, C.FOLLOW_UP)),
    "visiting:new": Rule((C.MANAGE_PLACE,)),
    "visiting:detail": Rule((C.MANAGE_PLACE, C.FOLLOW_UP), at="invitation"),
    "visiting:cancel": Rule((C.MANAGE_PLACE,), at="invitation"),  # GET: the confirmation
    "visiting:report": Rule((C.MANAGE_PLACE,), at="invitation"),
    "visiting:answer": Rule((C.MANAGE_PLACE,), at="invitation_to_benring"),
    "visiting:wish": Rule((C.MANAGE_PLACE,), at="invitation_to_benring"),
    # The dorpenplatform: everyone with the capability reads it all; organising (evenings,
    # actions) needs it region-wide; a coordinator counts, shares lessons and follows up
    # actions for their own place (the lesson and the action are De Benring's).
    "villageplatform:evenings": Rule((C.VILLAGE_PLATFORM,)),
    "villageplatform:evening_new": Rule((C.VILLAGE_PLATFORM,), reach=EVERYWHERE),
    "villageplatform:evening": Rule((C.VILLAGE_PLATFORM,), at="evening", reach=ANYWHERE),
    "villageplatform:evening_edit": Rule((C.VILLAGE_PLATFORM,), at="evening", reach=EVERYWHERE),
    "villageplatform:evening_delete": Rule(  # GET: the confirmation
        (C.VILLAGE_PLATFORM,), at="evening", reach=EVERYWHERE
    ),
    "villageplatform:attendance": Rule((C.VILLAGE_PLATFORM,), at="evening", reach=ANYWHERE),
    "villageplatform:action_new": Rule((C.VILLAGE_PLATFORM,), at="evening", reach=EVERYWHERE),
    "villageplatform:action_edit": Rule((C.VILLAGE_PLATFORM,), at="action", reach=EVERYWHERE),
    "villageplatform:action_delete": Rule((C.VILLAGE_PLATFORM,), at="action", reach=EVERYWHERE),
    "villageplatform:follow_up": Rule((C.VILLAGE_PLATFORM,), at="action"),
    "villageplatform:search": Rule((C.VILLAGE_PLATFORM,)),
    "villageplatform:lesson_new": Rule((C.VILLAGE_PLATFORM,)),
    "villageplatform:lesson_edit": Rule((C.VILLAGE_PLATFORM,), at="lesson"),
    "villageplatform:lesson_delete": Rule((C.VILLAGE_PLATFORM,), at="lesson"),
    "villageplatform:place": Rule((C.VILLAGE_PLATFORM,), at="place", reach=ANYWHERE),
    # Duplicate visitors: merging two person records, undo for a day.
    "privacy:duplicates": Rule((C.MANAGE_PLACE,)),
    "privacy:compare": Rule((C.MANAGE_PLACE,), at="person"),
    "privacy:merge": Rule((C.MANAGE_PLACE,), at="person"),  # GET: the confirmation
    "privacy:undo": Rule((C.MANAGE_PLACE,), at="merge", method="POST"),
    # Privacy rights (AVG): who follows a place's people up acts on their requests.
    "privacy_rights:people": Rule((C.FOLLOW_UP,)),
    "privacy_rights:person": Rule((C.FOLLOW_UP,), at="person"),
    "privacy_rights:access_pdf": Rule((C.FOLLOW_UP,), at="person"),
    "privacy_rights:access_json": Rule((C.FOLLOW_UP,), at="person"),
    # Riet has no answers: the POST goes back to her page with "no answers".
    "privacy_rights:own_answers_link": Rule((C.FOLLOW_UP,), at="person", method="POST"),
    "privacy_rights:rectify": Rule((C.FOLLOW_UP,), at="person"),
    "privacy_rights:restrict": Rule((C.FOLLOW_UP,), at="person", method="POST"),
    "privacy_rights:lift": Rule((C.FOLLOW_UP,), at="person", method="POST"),
    "privacy_rights:erase": Rule((C.FOLLOW_UP,), at="person"),  # GET: the confirmation
    # The audit log's page: the region's administrators only.
    "privacy_rights:audit_log": Rule((C.MANAGE_REGION,), reach=EVERYWHERE),
    # Questionnaires: taken at the door (a draft of De Benring), never a score on a page.
    "wellbeing:start": door_url(),
    "wellbeing:paper_entry": door_url(),
    "wellbeing:question": door_url(at="draft"),
    "wellbeing:finish": door_url(at="draft"),
    "wellbeing:link": door_url(at="draft"),
    "wellbeing:thanks": Rule(PUBLIC),
    "wellbeing:repeats_due": Rule((C.MANAGE_PLACE,)),
    "wellbeing:paper_pdf": Rule((C.DOOR,)),
    "wellbeing_link:open": Rule(PUBLIC),  # a link that is not valid: a 400 page
    "wellbeing_link:own_answers": Rule(PUBLIC),  # the same
    "visitfiles:import": Rule((C.MANAGE_PLACE,)),
    "visitfiles:confirm": Rule((C.MANAGE_PLACE,), method="POST"),
    "visitfiles:template_csv": Rule((C.MANAGE_PLACE,)),
    "visitfiles:template_xlsx": Rule((C.MANAGE_PLACE,)),
    # Planning: a place's activities, sessions and closures.
    "planning:activities": Rule((C.MANAGE_PLACE,)),
    "planning:new": Rule((C.MANAGE_PLACE,)),
    "planning:edit": Rule((C.MANAGE_PLACE,), at="activity"),
    "planning:add_session": Rule((C.MANAGE_PLACE,), at="activity"),
    "planning:sessions": Rule((C.MANAGE_PLACE,)),
    "planning:cancel": Rule((C.MANAGE_PLACE,), at="session"),
    "planning:reinstate": Rule((C.MANAGE_PLACE,), at="session", method="POST"),
    "planning:move": Rule((C.MANAGE_PLACE,), at="session"),
    "planning:closures": Rule((C.MANAGE_PLACE,)),
    "planning:delete_closure": Rule((C.MANAGE_PLACE,), at="closure"),
    # The admin's own pages.
    "admin:index": Rule(STAFF, admin=True),
    "admin:login": Rule(PUBLIC, admin=True),
    "admin:logout": Rule(PUBLIC, method="POST", admin=True),
    "admin:password_change": Rule(STAFF, admin=True),
    "admin:password_change_done": Rule(STAFF, admin=True),
    "admin:autocomplete": Rule(NOBODY, admin=True),  # without its parameters: 403
    "admin:jsi18n": Rule(STAFF, admin=True),
    "admin:view_on_site": Rule(STAFF, admin=True),  # a redirect to a public page
    "admin:app_list": Rule((C.MANAGE_PLACE, C.MANAGE_REGION), admin=True, refused="missing"),
    "beheer/(?P<url>.*)$": Rule(NOBODY, admin=True, refused="missing"),  # no such page
}

# The admin's model pages: who may view and change, add, and delete; on which object.
ADMIN_MODELS = {
    "places_region": ((C.MANAGE_REGION,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "region"),
    "places_village": ((C.MANAGE_REGION,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "village"),
    "places_place": ((C.MANAGE_PLACE,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "place"),
    "agenda_activity": ((C.MANAGE_PLACE,), (C.MANAGE_PLACE,), (C.MANAGE_PLACE,), "activity"),
    "agenda_session": ((C.MANAGE_PLACE,), (C.MANAGE_PLACE,), (C.MANAGE_PLACE,), "session"),
    "places_placeclosure": ((C.MANAGE_PLACE,), (C.MANAGE_PLACE,), (C.MANAGE_PLACE,), "closure"),
    "people_person": ((C.MANAGE_REGION,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "person"),
    "attendance_visit": ((C.MANAGE_REGION,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "visit"),
    "accounts_membership": (
        (C.MANAGE_REGION,),
        (C.MANAGE_REGION,),
        (C.MANAGE_REGION,),
        "membership",
    ),
    "auth_user": ((C.MANAGE_REGION,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "user"),
    # The audit log is read-only, for administrators.
    "audit_auditevent": ((C.MANAGE_REGION,), NOBODY, NOBODY, "audit_event"),
    # Help requests and offers: read-only (changes go through the coordinators' pages).
    "helping_helprequest": ((C.MANAGE_REGION,), NOBODY, NOBODY, "help_request"),
    "helping_helpoffer": ((C.MANAGE_REGION,), NOBODY, NOBODY, "help_offer"),
    # Proposed activities: read-only too (deciding goes through /plannen/beheer/).
    "proposals_proposal": ((C.MANAGE_REGION,), NOBODY, NOBODY, "proposal"),
    # Invitations between places: read-only too (changes go through /bezoeken/).
    "visiting_invitation": ((C.MANAGE_REGION,), NOBODY, NOBODY, "invitation"),
    # The dorpenplatform: tags managed here, evenings and lessons shown (changes go
    # through /dorpenplatform/).
    "villageplatform_tag": ((C.MANAGE_REGION,), (C.MANAGE_REGION,), (C.MANAGE_REGION,), "tag"),
    "villageplatform_evening": ((C.MANAGE_REGION,), NOBODY, NOBODY, "evening"),
    "villageplatform_lesson": ((C.MANAGE_REGION,), NOBODY, NOBODY, "lesson"),
}
for model, (view, add, delete, at) in ADMIN_MODELS.items():
    URLS[f"admin:{model}_changelist"] = Rule(view, admin=True)
    URLS[f"admin:{model}_add"] = Rule(add, admin=True)
    URLS[f"admin:{model}_change"] = Rule(view, at=at, admin=True)
    URLS[f"admin:{model}_history"] = Rule(view, at=at, admin=True)
    URLS[f"admin:{model}_delete"] = Rule(delete, at=at, admin=True)
    app, name = model.split("_", 1)
    # The old address of a change page, which redirects to the new one (any staff).
    URLS[f"beheer/{app}/{name}/<path:object_id>/"] = Rule(STAFF, at=at, admin=True)
URLS["admin:auth_user_password_change"] = Rule((C.MANAGE_REGION,), at="user", admin=True)


# The API's URLs answer tokens, not logged-in users: tests/api/test_access.py has their
# table (ENDPOINTS, read off the same ROLE_TABLE), which fails for an endpoint without
# an entry.
API_NAMESPACE = "api"
# The passkey ceremony's JSON endpoints (accounts.passkey_urls) answer a script, not a
# page: a 403 in JSON, never a log-in redirect, for a visitor halfway or not at all
# logged in. tests/accounts/test_passkeys.py has their table of who gets what.
PASSKEY_NAMESPACE = "otp_webauthn"


def every_url(patterns=None, prefix="", namespace=None, *, api=False):
    """(key, route, pattern) for every URL of the URLconf; the key is the URL's full name,
    or its route when it has no name. Without the API's (see API_NAMESPACE) unless
    ``api``."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == API_NAMESPACE and not api:
                continue
            if pattern.namespace == PASSKEY_NAMESPACE:
                continue
            inner = pattern.namespace or namespace
            yield from every_url(
                pattern.url_patterns, prefix + str(pattern.pattern), inner, api=api
            )
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route, pattern


ROLES = [
    "anonymous",
    "host",
    "coordinator",
    "coordinator_elsewhere",
    "professional",
    "viewer",
    "administrator",
    "no_membership_left",
]


@pytest.fixture
def world(benring, trefpunt):
    """De Benring with a session today, a regular with a signal, and one user per role."""
    users = {
        "host": factories.MembershipFactory(role=Role.HOST, place=benring).user,
        "coordinator": factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user,
        "coordinator_elsewhere": factories.MembershipFactory(
            role=Role.COORDINATOR, place=trefpunt
        ).user,
        "professional": factories.MembershipFactory(role=Role.PROFESSIONAL, place=None).user,
        "viewer": factories.MembershipFactory(role=Role.VIEWER, place=None).user,
        "administrator": factories.MembershipFactory(role=Role.ADMIN, place=None).user,
    }
    gone = factories.MembershipFactory(role=Role.COORDINATOR, place=benring)
    users["no_membership_left"] = gone.user
    gone.delete()
    session = door.today_session(benring)
    activity = session.activity
    person = door.person("Riet", "Bos", place=benring, followup=True)
    visit, _created = attendance.check_in(session, person, acting_user=SYSTEM)
    signal = Signal.objects.create(
        person=person, place=benring, raised_on=session.date, reason="Drie keer gemist"
    )
    # Riet Bosch looks like Riet Bos; R. Bos was merged into her a moment ago.
    other_person = door.person("Riet", "Bosch", place=benring)
    merged = door.person("R.", "Bos", place=benring)
    merge = privacy.merge_people(person, merged, acting_user=SYSTEM).merge
    help_request = factories.HelpRequestFactory(
        place=benring, village=benring.village, on_board=True
    )
    help_offer = factories.HelpOfferFactory(place=benring, village=benring.village)
    finished_help_request = factories.HelpRequestFactory(
        person=person, place=benring, village=benring.village, status="afgerond"
    )
    evening = factories.EveningFactory(host_place=benring)
    objects = {
        "session": session,
        "activity": activity,
        "place": benring,
        "village": benring.village,
        "region": benring.village.region,
        "person": person,
        "visit": visit,
        "signal": signal,
        "other_person": other_person,
        "merge": merge,
        "membership": Membership.objects.get(user=users["host"]),
        "user": users["host"],
        "closure": PlaceClosure.objects.create(
            place=benring, first_day=date(2030, 7, 1), last_day=date(2030, 7, 31)
        ),
        "audit_event": AuditEvent.objects.first(),
        "help_request": help_request,
        "finished_help_request": finished_help_request,
        "help_offer": help_offer,
        "help_match": factories.HelpMatchFactory(request=help_request, offer=help_offer),
        "draft": wellbeing.start(person, benring, consent=True, acting_user=SYSTEM),
        "proposal": factories.ProposalFactory(
            village=benring.village, places=[benring], status="goedgekeurd"
        ),
        # A third place, so Trefpunt's coordinator is neither host nor guest.
        **invitations(benring),
        "evening": evening,
        "lesson": factories.LessonFactory(place=benring, evening=evening),
        "action": factories.ActionFactory(evening=evening, owner_place=benring),
        "tag": Tag.objects.get_or_create(slug="koffie", defaults={"name": "koffie"})[0],
    }
    return users, objects


def invitations(benring):
    """De Benring's invitation to a third place, and the third place's to De Benring."""
    third = factories.PlaceFactory(name="Dorpshuis", slug="dorpshuis", village=benring.village)
    when = {"date": date(2030, 5, 15), "start_time": time(14), "end_time": time(16)}
    sent = Invitation.objects.create(host=benring, title="Open middag", **when)
    InvitedPlace.objects.create(invitation=sent, place=third)
    received = Invitation.objects.create(host=third, title="Koffie", **when)
    InvitedPlace.objects.create(invitation=received, place=benring)
    return {"invitation": sent, "invitation_to_benring": received}


def url_of(key, route, pattern, rule, objects, missing=False):
    """A real address for the URL, naming the rule's object (or De Benring's things);
    ``missing``: the same address for an object that does not exist."""
    converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
    kwargs = {}
    for name in list(converters) + list(pattern.pattern.regex.groupindex):
        kwargs[name] = {
            "session_id": objects["session"].pk,
            "activity_id": objects["activity"].pk,
            "closure_id": objects["closure"].pk,
            "person_id": objects["person"].pk,
            "other_id": objects["other_person"].pk,
            "merge_id": objects["merge"].pk,
            "help_request_id": objects[
                rule.at if rule.at in ("help_request", "finished_help_request") else "help_request"
            ].pk,
            "match_id": objects["help_match"].pk,
            "offer_id": objects["help_offer"].pk,
            "proposal_id": objects["proposal"].pk,
            "invitation_id": objects[
                rule.at if rule.at == "invitation_to_benring" else "invitation"
            ].pk,
            "evening_id": objects["evening"].pk,
            "lesson_id": objects["lesson"].pk,
            "action_id": objects["action"].pk,
            "place_id": objects["place"].pk,
            "user_id": objects["user"].pk,
            "pk": objects["signal"].pk,
            "slug": objects["activity"].slug if key == "agenda:activity" else objects["place"].slug,
            "place_slug": objects["place"].slug,
            "village_slug": objects["place"].village.slug,
            "kind": "bezoeken",
            "section": "reach",
            "object_id": objects[rule.at].pk if rule.at else None,
            "id": objects[rule.at].pk if rule.at else None,
            "content_type_id": ContentType.objects.get_for_model(objects["place"]).pk,
            "app_label": "places",
            "url": "no-such-page/",
            "token": objects["draft"].token,
            "number": 1,
            "signed": "not-a-signed-link",
        }[name]
    if key == "admin:view_on_site":
        kwargs["object_id"] = objects["place"].pk
    if missing:
        for name in (
            "session_id",
            "person_id",
            "other_id",
            "merge_id",
            "help_request_id",
            "match_id",
            "offer_id",
            "proposal_id",
            "invitation_id",
            "evening_id",
            "lesson_id",
            "action_id",
            "place_id",
            "user_id",
            "pk",
            "object_id",
            "id",
            "activity_id",
            "closure_id",
        ):
            if kwargs.get(name) is not None:
                kwargs[name] += 100_000
        if "token" in kwargs:
            kwargs["token"] += "x"
    if pattern.name:
        return reverse(key, kwargs=kwargs)
    return "/" + route.replace("<path:object_id>", str(kwargs.get("object_id"))).replace(
        "(?P<url>.*)$", "no-such-page/"
    )


def expected(rule: Rule, user, place) -> str:
    """allowed / login / forbidden / missing / denied (an object page out of reach in the
    admin: forbidden or missing, whichever the admin says for an object that does not
    exist), from the role table."""
    if rule.needs == PUBLIC:
        return "allowed"
    if user is None:
        return "login"
    if rule.needs in (LOGIN, STAFF):
        return "allowed"
    if rule.needs == NOBODY:
        return rule.refused
    anywhere = any(permissions.can(user, capability) for capability in rule.needs)
    if rule.reach == EVERYWHERE:
        if any(permissions.reach(user, c) is permissions.EVERYWHERE for c in rule.needs):
            return "allowed"
        return "missing" if rule.at else rule.refused
    if rule.reach == ANYWHERE and rule.at:
        return "allowed" if anywhere else "missing"
    if rule.at is None:
        return "allowed" if anywhere else rule.refused
    if any(permissions.can(user, capability, place) for capability in rule.needs):
        return "allowed"
    return "denied" if rule.admin else "missing"


def answer(response, rule: Rule) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status in (301, 302):
        if location.startswith(("/inloggen/", "/beheer/login/")):
            return "login"
        if rule.admin and rule.at and location == reverse("admin:index"):
            return "missing"  # the admin's "does not exist" redirect
        return "allowed"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "missing"
    if status in (200, 400):
        return "allowed"
    return f"status {status}"


def test_every_url_has_an_entry():
    missing = sorted(key for key, _route, _pattern in every_url() if key not in URLS)
    assert not missing, f"URLs without an entry in the access table: {missing}"
    stale = sorted(set(URLS) - {key for key, _route, _pattern in every_url()})
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(URLS))
def test_each_role_gets_what_the_table_allows(key, world, client):
    users, objects = world
    _key, route, pattern = next(entry for entry in every_url() if entry[0] == key)
    rule = URLS[key]
    url = url_of(key, route, pattern, rule, objects)
    world_values = {"person": objects["person"].pk, "token": str(uuid.uuid4())}
    data = {name: world_values.get(value, value) for name, value in rule.data.items()}
    missing_url = url_of(key, route, pattern, rule, objects, missing=True)
    place = objects["place"]
    send = client.post if rule.method == "POST" else client.get
    outcomes = {}
    for role in ROLES:
        user = users.get(role)
        client.logout()
        if user is not None:
            client.force_login(user)
            permissions.forget_cached_memberships(user)
        got, want = answer(send(url, data), rule), expected(rule, user, place)
        if rule.at and want in ("missing", "denied"):
            # Out of reach looks exactly like not there.
            like_missing = answer(send(missing_url, data), rule)
            if want == "denied" and got in ("missing", "forbidden"):
                want = like_missing
            got = got if got == like_missing else f"{got}, but {like_missing} when missing"
        outcomes[role] = (got, want)
    wrong = {role: got for role, got in outcomes.items() if got[0] != got[1]}
    assert not wrong, f"{key} ({url}): (answer, expected) per role: {wrong}"
