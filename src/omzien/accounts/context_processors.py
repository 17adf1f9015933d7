from omzien.accounts import permissions
from omzien.accounts.permissions import Capability


def staff_menu(request):
    """Which staff pages to offer in the menu: the ones the user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "staff_menu": {
            "door": permissions.can(user, Capability.DOOR),
            "overview": permissions.can(user, Capability.FIGURES)
            or permissions.can(user, Capability.AGGREGATES),
            "files": permissions.can(user, Capability.MANAGE_PLACE),
            "duplicates": permissions.can(user, Capability.MANAGE_PLACE),
            "signals": permissions.may_start_follow_up(user),
            "admin": user.is_staff
            and (
                permissions.can(user, Capability.MANAGE_PLACE)
                or permissions.can(user, Capability.MANAGE_REGION)
            ),
        }
    }
