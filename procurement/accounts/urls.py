"""Account and organisation pages, at the site's root and without a namespace (`reverse("login")`)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from procurement.accounts import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.SecondFactorVerifyView.as_view(), name="second_factor_verify"),
    path("compte/double-authentification/", views.SecondFactorSetupView.as_view(), name="second_factor_setup"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("organisation/changer/", views.SwitchOrganisationView.as_view(), name="switch_organisation"),
    path("organisation/membres/", views.MembersView.as_view(), name="members"),
    path("organisation/membres/inviter/", views.InvitationCreateView.as_view(), name="member_invite"),
    path("organisation/membres/journal/", views.MembersLogView.as_view(), name="members_log"),
    path("organisation/membres/<int:pk>/role/", views.MemberRoleView.as_view(), name="member_role"),
    path("organisation/membres/<int:pk>/desactiver/", views.MemberDeactivateView.as_view(), name="member_deactivate"),
    path("organisation/membres/<int:pk>/reactiver/", views.MemberReactivateView.as_view(), name="member_reactivate"),
    path(
        "organisation/invitations/<int:pk>/renvoyer/", views.InvitationResendView.as_view(), name="invitation_resend"
    ),
    path("organisation/invitations/<int:pk>/annuler/", views.InvitationCancelView.as_view(), name="invitation_cancel"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("compte/", views.ProfileView.as_view(), name="profile"),
    path("compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("compte/adresse/", views.EmailChangeView.as_view(), name="email_change"),
    path("compte/adresse/confirmer/<str:token>/", views.EmailChangeConfirmView.as_view(), name="email_change_confirm"),
    path("plateforme/organisations/", views.PlatformOrganisationsView.as_view(), name="platform_organisations"),
]
