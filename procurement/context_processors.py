from django.conf import settings


def current_organisation(request) -> dict:
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
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
