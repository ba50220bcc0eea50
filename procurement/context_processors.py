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


def skiplinks(request) -> dict:
    """The "Accès rapide" links of base.html (`{% dsfr_skiplinks %}`), to anchors that the page has."""
    links = [{"link": "#contenu", "label": "Contenu"}]
    if getattr(request, "organisation", None) is not None:
        # The main menu is drawn for members of an organisation only (templates/_header.html).
        links.append({"link": "#navigation-principale", "label": "Menu"})
    links.append({"link": "#pied-de-page", "label": "Pied de page"})
    return {"skiplinks": links}
