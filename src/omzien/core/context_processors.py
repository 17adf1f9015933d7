from omzien.accounts import permissions


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
