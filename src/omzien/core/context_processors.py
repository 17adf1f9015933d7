from omzien.accounts import permissions
from omzien.places.models import Region


def region(request):
    """The region this installation serves, for the header and the demo banner."""
    return {"region": Region.objects.order_by("pk").first()}


def staff_menu(request):
    """Which staff pages to offer in the menu; the pages check the rights themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "staff_menu": {
            "door": permissions.may_act_as(user, permissions.HOSTING_ROLES),
            "overview": permissions.may_act_as(user, permissions.OVERVIEW_ROLES),
            "files": permissions.may_act_as(user, permissions.MANAGING_ROLES),
            "signals": permissions.may_act_as(user, permissions.OVERVIEW_ROLES),
        }
    }
