from django.conf import settings

from procurement.permissions import capabilities


def current_organisation(request) -> dict:
    membership = getattr(request, "membership", None)
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": membership,
        # What the current role may do, for menus and buttons: `{% if can.manage_members %}`.
        "can": capabilities(role=membership.role if membership else None),
        "user_memberships": getattr(request, "memberships", []),
    }
