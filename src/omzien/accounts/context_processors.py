from omzien.accounts import permissions
from omzien.accounts.permissions import Capability

# Each staff page in the menu, and who may use it: a question to the access layer, so
# the menu never offers a page the user's roles cannot use (and never names a role).
MENU = {
    "door": lambda user: permissions.can(user, Capability.DOOR),
    # The attendance overview's free date ranges are for exact figures only; viewers
    # read the impact report's fixed periods (reports.impact).
    "overview": lambda user: permissions.can(user, Capability.FIGURES),
    "report": lambda user: (
        permissions.can(user, Capability.FIGURES) or permissions.can(user, Capability.AGGREGATES)
    ),
    "files": lambda user: permissions.can(user, Capability.MANAGE_PLACE),
    "planning": lambda user: permissions.can(user, Capability.MANAGE_PLACE),
    "duplicates": lambda user: permissions.can(user, Capability.MANAGE_PLACE),
    "signals": permissions.may_start_follow_up,
    "help": lambda user: permissions.can(user, Capability.HELP),
    "proposals": lambda user: permissions.can(user, Capability.PROPOSALS),
    # Who manages or follows up a place: its invitations to and from other places.
    "visiting": permissions.may_see_invitations,
    # A host writes a resident's idea down at the door; who handles proposals finds this
    # on the proposals' own pages.
    "record_proposal": lambda user: (
        permissions.may_record_proposal(user) and not permissions.can(user, Capability.PROPOSALS)
    ),
    "village_platform": lambda user: permissions.can(user, Capability.VILLAGE_PLATFORM),
    "admin": permissions.may_use_admin,
    # The user's own two-factor log-in (not for door-only hosts: one-step at the door).
    "two_factor": permissions.may_use_two_factor,
    # A resident's privacy requests (inzage, correcting, restricting, erasing).
    "privacy_rights": permissions.may_handle_privacy_requests,
    "audit_log": permissions.may_read_audit_log,
    # Personal access tokens for the API (omzien.api): for everyone with a role.
    "api_tokens": lambda user: any(permissions.can(user, c) for c in Capability),
}


def staff_menu(request):
    """Which staff pages to offer in the menu: the ones the user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"staff_menu": {item: may_use(user) for item, may_use in MENU.items()}}
