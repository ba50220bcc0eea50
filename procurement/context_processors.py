from django.conf import settings


def current_organisation(request) -> dict:
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
    }
