from django.contrib import admin
from django.urls import include, path

from config.legal import AccessibilityView, LegalNoticeView, PublicPrivacyView
from config.privacy import PrivacyRegisterView
from procurement.accounts.forms import ThrottledAdminAuthenticationForm

admin.site.site_header = "Administration de la plateforme"
admin.site.site_title = "Administration"


def _platform_admins_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _platform_admins_only
# The admin's own login page counts failures like the staff login page.
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", include("procurement.accounts.urls")),
    path("organisation/donnees-personnelles/", PrivacyRegisterView.as_view(), name="privacy"),
    path("", include("procurement.legal.urls")),
    # Public legal pages, linked from every footer.
    path("mentions-legales/", LegalNoticeView.as_view(), name="legal_notice"),
    path("donnees-personnelles/", PublicPrivacyView.as_view(), name="public_privacy"),
    path("accessibilite/", AccessibilityView.as_view(), name="accessibility"),
    path("marches/", include("procurement.urls")),
    path("", include("questionnaire.urls")),
    path("annexe-egalite/titulaires/", include("questionnaire.titulaires.urls")),
    path("annexe-egalite/", include("questionnaire.staff.urls")),
    path("statistiques/", include("analytics.urls")),
    # Public: the yearly figures buyers publish as open data (no login).
    path("donnees-ouvertes/", include("analytics.open_data.urls")),
    path("clauses-insertion/bilan/", include("analytics.clause_report.urls")),
    path("clauses-insertion/", include("clauses.urls")),
    path("cahiers-des-charges/", include("procurement.specifications.urls")),
    path("plateforme/", include("registers.urls")),
    path("api/v1/", include("api.urls")),
    path("organisation/jetons-api/", include("api.tokens.urls")),
    path("admin/", admin.site.urls),
]

# Under /api/, Django's own 404 and 500 answer in problem+json like the API's errors; elsewhere, the French pages.
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
