from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.privacy import PrivacyRegisterView
from procurement.forms import ThrottledAdminAuthenticationForm
from procurement.views import accounts, second_factor, sections

admin.site.site_header = "Administration de la plateforme"
admin.site.site_title = "Administration"


def _platform_admins_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _platform_admins_only
# The admin's own login page counts failures like the staff login page.
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", accounts.HomeView.as_view(), name="home"),
    path("connexion/", accounts.LoginView.as_view(), name="login"),
    path("connexion/code/", second_factor.SecondFactorVerifyView.as_view(), name="second_factor_verify"),
    path(
        "compte/double-authentification/",
        second_factor.SecondFactorSetupView.as_view(),
        name="second_factor_setup",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oubli/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("organisation/changer/", accounts.SwitchOrganisationView.as_view(), name="switch_organisation"),
    path("organisation/membres/", sections.MembersView.as_view(), name="members"),
    path("organisation/donnees-personnelles/", PrivacyRegisterView.as_view(), name="privacy"),
    path("marches/", include("procurement.urls")),
    path("", include("questionnaire.urls")),
    path("annexe-egalite/", include("questionnaire.urls_staff")),
    path("statistiques/", include("analytics.urls")),
    path("clauses-insertion/bilan/", include("analytics.urls_clauses")),
    path("clauses-insertion/", include("clauses.urls")),
    path("cahiers-des-charges/", include("procurement.urls_specifications")),
    path("admin/", admin.site.urls),
]
