"""The public legal pages, for anyone and first for candidates: Mentions légales, Données personnelles (the
candidates' version; the staff's register is config/privacy.py) and the Déclaration d'accessibilité (RGAA).

They sit above the apps because they describe all of them; every footer links them (templates/_footer.html).
"""

from django.conf import settings
from django.views.generic import TemplateView

from procurement.legal.selectors import platform_operator

# The accessibility statement. No full RGAA audit has been made: the pages below are checked automatically with
# axe-core (WCAG 2.1 A and AA rules) by the browser tests (tests/browser), which is not an audit: "partiellement
# conforme" is the honest status until one is made.
CONFORMITY_STATUS = "partiellement conforme"
STATEMENT_DATE = "1er décembre 2026"
AUTOMATICALLY_CHECKED_PAGES = (
    "Connexion",
    "Liste des marchés",
    "Fiche d'un marché",
    "Formulaire d'un marché (avec et sans erreur)",
    "Accueil du questionnaire candidat (annexe égalité)",
    "Chaque étape du questionnaire, dont les étapes en erreur, et son récapitulatif",
    "Accusé de réception et confirmation de l'adresse électronique",
    "Mentions légales, Données personnelles et la présente déclaration",
    "Données ouvertes\u00a0: la page de la plateforme, celle d'un acheteur et la page de publication",
)


class LegalNoticeView(TemplateView):
    template_name = "legal/mentions_legales.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(operator=platform_operator(), **kwargs)


class PublicPrivacyView(TemplateView):
    template_name = "legal/donnees_personnelles.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=platform_operator(), draft_retention_days=settings.ANNEX_DRAFT_RETENTION_DAYS, **kwargs
        )


class AccessibilityView(TemplateView):
    template_name = "legal/accessibilite.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=platform_operator(),
            conformity_status=CONFORMITY_STATUS,
            statement_date=STATEMENT_DATE,
            checked_pages=AUTOMATICALLY_CHECKED_PAGES,
            **kwargs,
        )


# Every candidate page is under this path (questionnaire/urls.py); staff pages of the annex are under
# /annexe-egalite/. A wrong candidate link (404) is under it too, even when no URL pattern matches.
CANDIDATE_PATH_PREFIX = "/annexe/"


def legal_context(request) -> dict:
    """For the header and footer of every page: the accessibility status they print, and whether the page is a
    candidate's (no account: no "Se connecter", no link to the staff's home page)."""
    return {
        "ACCESSIBILITY_STATUS": CONFORMITY_STATUS,
        "candidate_page": request.path_info.startswith(CANDIDATE_PATH_PREFIX),
    }
