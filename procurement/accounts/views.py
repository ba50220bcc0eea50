"""Account pages: login with its throttle, password reset, second factor, the organisation switch; an organisation's
members and invitations; each person's own account; the platform page that creates organisations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.generic import FormView, ListView, TemplateView, UpdateView
from django_otp import login as otp_login

from procurement import links
from procurement.access import NoStoreMixin, OrganisationMemberMixin, PlatformAdminMixin
from procurement.accounts import selectors as account_selectors
from procurement.accounts.forms import (
    EmailChangeForm,
    InvitationForm,
    InvitationSignupForm,
    NameForm,
    OrganisationCreateForm,
    PasswordChangeForm,
    PasswordResetForm,
    RoleForm,
    SecondFactorCodeForm,
    SetPasswordForm,
    ThrottledAuthenticationForm,
)
from procurement.accounts.services import members as members_services
from procurement.accounts.services import profile as profile_services
from procurement.accounts.services import security as account_security
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.http import client_ip
from procurement.middleware import SESSION_KEY
from procurement.models import Invitation, Membership, User
from procurement.permissions import MANAGE_MEMBERS, home_page
from procurement.services.organisations import can_switch_to


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    extra_email_context = {"platform_name": settings.PLATFORM_NAME}
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        throttle = account_security.PasswordResetThrottle(email=form.cleaned_data["email"], ip=client_ip(self.request))
        if not throttle.allow():
            # The same answer as a sent link: the page tells nothing about the address or the limit.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role lands on its own home (procurement.permissions.HOME_PAGES); no membership: an explanation."""

    template_name = "home_without_organisation.html"

    def get(self, request, *args, **kwargs):
        if request.membership is not None:
            return redirect(home_page(role=request.membership.role))
        return super().get(request, *args, **kwargs)


class SwitchOrganisationView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            organisation_id = int(request.POST.get("organisation", ""))
        except ValueError:
            organisation_id = 0
        if can_switch_to(user=request.user, organisation_id=organisation_id):
            request.session[SESSION_KEY] = organisation_id
            messages.success(request, "Organisation changée.")
        else:
            messages.error(request, "Vous n'êtes pas rattaché·e à cette organisation.")
        # Another organisation's object would answer 404: go back to a list, not to that object.
        return HttpResponseRedirect(reverse_lazy("home"))


THROTTLED_MESSAGE = (
    "Trop de codes erronés\u00a0: patientez quelques instants avant de réessayer (le délai double à chaque erreur)."
)


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SecondFactorCodeMixin:
    """A form that takes a code of the authentication app: refused while too many wrong codes were typed, or when
    `code_accepted` refuses it; otherwise the session is marked verified and `after_code` answers."""

    form_class = SecondFactorCodeForm
    wrong_code_message: str

    def code_device(self):
        raise NotImplementedError

    def code_accepted(self, *, device, token: str) -> bool:
        raise NotImplementedError

    def after_code(self):
        raise NotImplementedError

    def form_valid(self, form):
        device = self.code_device()
        if account_security.is_throttled(device=device):
            form.add_error("token", THROTTLED_MESSAGE)
            return self.form_invalid(form)
        if not self.code_accepted(device=device, token=form.cleaned_data["token"]):
            form.add_error("token", self.wrong_code_message)
            return self.form_invalid(form)
        otp_login(self.request, device)
        return self.after_code()


class SecondFactorVerifyView(LoginRequiredMixin, SecondFactorCodeMixin, FormView):
    template_name = "registration/second_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = account_security.confirmed_device(user=request.user)
            if self.device is None:
                return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    wrong_code_message = "Ce code n'est pas le bon, ou il a expiré\u00a0: saisissez le code affiché maintenant."

    def code_device(self):
        return self.device

    def code_accepted(self, *, device, token: str) -> bool:
        return account_security.verify(device=device, token=token)

    def after_code(self):
        return redirect(_next_url(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request, default=""), **kwargs)


PROFILE_CRUMB = ("Mon compte", "profile")


class SecondFactorSetupView(BreadcrumbMixin, LoginRequiredMixin, SecondFactorCodeMixin, FormView):
    """Status of the second factor; enrolment with a QR code; removal when not required."""

    template_name = "registration/second_factor_setup.html"
    breadcrumb_links = (PROFILE_CRUMB,)
    breadcrumb_current = "Double authentification"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = account_security.confirmed_device(user=request.user)
            # Changing the factor of a signed-in account needs that factor first.
            if self.device is not None and not request.user.is_verified():
                return redirect("second_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "disable":
            if account_security.disable(user=request.user):
                messages.success(request, "La double authentification est désactivée pour votre compte.")
            else:
                messages.error(request, "Votre rôle d'administrateur·rice impose la double authentification.")
            return redirect("second_factor_setup")
        return super().post(request, *args, **kwargs)

    wrong_code_message = "Ce code ne correspond pas\u00a0: vérifiez l'heure de votre téléphone et réessayez."

    def code_device(self):
        return account_security.pending_device(user=self.request.user)

    def code_accepted(self, *, device, token: str) -> bool:
        return account_security.confirm_enrolment(device=device, token=token)

    def after_code(self):
        messages.success(self.request, "La double authentification est activée pour votre compte.")
        return redirect(_next_url(self.request, default="second_factor_setup"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            device=self.device,
            required=account_security.is_required(user=self.request.user),
            next=_next_url(self.request, default=""),
            **kwargs,
        )
        if self.device is None:
            pending = account_security.pending_device(user=self.request.user)
            context["qr_svg"] = links.qr_svg_inline(
                pending.config_url, title="QR code à scanner avec votre application d'authentification"
            )
            context["manual_key"] = account_security.manual_key(pending)
        return context


# --- An organisation's members, by its administrators -------------------------------------------------------------


class ServiceFormMixin:
    """A form whose valid data goes to one service: a refusal is shown on the form (on `refusal_field`, or above
    the fields when None), a success as a message before the redirection to `success_url`."""

    refusal_field: str | None = None
    refusals: tuple[type[Exception], ...] = (members_services.MembersError,)

    def perform(self, form) -> str:
        """Calls the service; returns the success message, or raises one of `refusals`."""
        raise NotImplementedError

    def succeeded(self, message: str):
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except self.refusals as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else error.message
            form.add_error(self.refusal_field, text)
            return self.form_invalid(form)
        return self.succeeded(message)


MEMBERS_PER_PAGE = 50
EVENTS_ON_MEMBERS_PAGE = 10
MEMBERS_CRUMB = ("Membres", "members")


class MembersAdminMixin(BreadcrumbMixin, OrganisationMemberMixin):
    allowed_roles = MANAGE_MEMBERS
    breadcrumb_links = (MEMBERS_CRUMB,)


class MembersView(MembersAdminMixin, ListView):
    """Who has which role, the invitations waiting for an answer, the latest changes."""

    template_name = "procurement/members.html"
    paginate_by = MEMBERS_PER_PAGE
    breadcrumb_links = ()
    breadcrumb_current = "Membres"

    def get_queryset(self):
        return account_selectors.memberships_of(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        events = account_selectors.events_of(organisation=self.organisation)
        return super().get_context_data(
            invitations=account_selectors.pending_invitations_of(organisation=self.organisation),
            events=events[:EVENTS_ON_MEMBERS_PAGE],
            more_events=events.count() > EVENTS_ON_MEMBERS_PAGE,
            **kwargs,
        )


class MembersLogView(MembersAdminMixin, ListView):
    """Every change to the organisation's members: who, what, when."""

    template_name = "procurement/members_log.html"
    paginate_by = MEMBERS_PER_PAGE
    breadcrumb_current = "Journal des changements"

    def get_queryset(self):
        return account_selectors.events_of(organisation=self.organisation)


class InvitationCreateView(MembersAdminMixin, ServiceFormMixin, FormView):
    form_class = InvitationForm
    template_name = "procurement/member_invite.html"
    breadcrumb_current = "Inviter"
    refusal_field = "email"
    success_url = reverse_lazy("members")

    def perform(self, form) -> str:
        invitation = members_services.invite(
            organisation=self.organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=self.request.user,
            request=self.request,
        )
        return (
            f"Invitation envoyée à {invitation.email} ({invitation.get_role_display()})\u00a0: "
            f"le lien vaut {members_services.INVITATION_VALID_DAYS} jours."
        )


class MembershipMixin(MembersAdminMixin):
    """A membership of the current organisation, by its id in the URL (404 for another organisation's)."""

    def load_scoped_objects(self) -> None:
        self.target = get_object_or_404(
            Membership.objects.select_related("user"), pk=self.kwargs["pk"], organisation=self.organisation
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            target=self.target, is_self=self.target.user_id == self.request.user.pk, **kwargs
        )

    def done(self, message: str):
        """Back to the members page; home when the admin took their own access away."""
        messages.success(self.request, message)
        if self.target.user_id == self.request.user.pk:
            self.target.refresh_from_db()
            if not self.target.is_active or self.target.role not in MANAGE_MEMBERS:
                return redirect("home")
        return redirect("members")


class MemberRoleView(MembershipMixin, ServiceFormMixin, FormView):
    form_class = RoleForm
    template_name = "procurement/member_role.html"
    breadcrumb_current = "Modifier le rôle"
    refusal_field = "role"

    def get_initial(self):
        return {"role": self.target.role}

    def perform(self, form) -> str:
        membership = members_services.change_role(
            membership=self.target, role=form.cleaned_data["role"], actor=self.request.user
        )
        return f"{membership.user.email} a désormais le rôle {membership.get_role_display()}."

    def succeeded(self, message: str):
        return self.done(message)


class MemberDeactivateView(MembershipMixin, TemplateView):
    """A confirmation page, then the deactivation."""

    template_name = "procurement/member_deactivate.html"
    breadcrumb_current = "Désactiver l'accès"

    def post(self, request, *args, **kwargs):
        try:
            members_services.deactivate(membership=self.target, actor=request.user)
        except members_services.MembersError as error:
            messages.error(request, error.message)
            return redirect("members")
        return self.done(
            f"L'accès de {self.target.user.email} est désactivé\u00a0: ses sessions ouvertes sont fermées."
        )


class MemberReactivateView(MembershipMixin, View):
    def post(self, request, *args, **kwargs):
        members_services.reactivate(membership=self.target, actor=request.user)
        return self.done(f"L'accès de {self.target.user.email} est réactivé, avec son rôle précédent.")


class InvitationMixin(MembersAdminMixin):
    """A pending invitation of the current organisation (404 for another organisation's, or one no longer pending)."""

    def load_scoped_objects(self) -> None:
        self.invitation = get_object_or_404(
            Invitation.objects.pending(), pk=self.kwargs["pk"], organisation=self.organisation
        )


class InvitationResendView(InvitationMixin, View):
    def post(self, request, *args, **kwargs):
        members_services.resend_invitation(invitation=self.invitation, actor=request.user, request=request)
        messages.success(
            request,
            f"Invitation renvoyée à {self.invitation.email}\u00a0: le lien précédent ne fonctionne plus, le nouveau "
            f"vaut {members_services.INVITATION_VALID_DAYS} jours.",
        )
        return redirect("members")


class InvitationCancelView(InvitationMixin, TemplateView):
    template_name = "procurement/invitation_cancel.html"
    breadcrumb_current = "Annuler une invitation"

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def post(self, request, *args, **kwargs):
        members_services.cancel_invitation(invitation=self.invitation, actor=request.user)
        messages.success(
            request, f"L'invitation de {self.invitation.email} est annulée\u00a0: son lien ne fonctionne plus."
        )
        return redirect("members")


class InvitationAcceptView(NoStoreMixin, TemplateView):
    """The invitee's link: sets a password (new account), or joins with the account of that address once signed in."""

    template_name = "registration/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitation = members_services.invitation_from_token(token=kwargs["token"])
        except members_services.InvalidInvitation as error:
            return self.render_to_response({"error": error.message}, status=410)
        self.account_exists = User.objects.filter(email__iexact=self.invitation.email).exists()
        self.signed_in_as_invitee = (
            request.user.is_authenticated and request.user.email.lower() == self.invitation.email
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(
            invitation=self.invitation,
            account_exists=self.account_exists,
            signed_in_as_invitee=self.signed_in_as_invitee,
            signed_in_as_other=self.request.user.is_authenticated and not self.signed_in_as_invitee,
            login_url=reverse("login") + "?" + urlencode({"next": self.request.path}),
            **kwargs,
        )
        if not self.account_exists and not self.request.user.is_authenticated:
            context["form"] = form or InvitationSignupForm(email=self.invitation.email)
        return context

    def post(self, request, *args, **kwargs):
        if self.signed_in_as_invitee:
            return self._accept(user=request.user)
        if self.account_exists or request.user.is_authenticated:
            return self.get(request, *args, **kwargs)
        form = InvitationSignupForm(request.POST, email=self.invitation.email)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            user = members_services.register_and_accept(
                invitation=self.invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except members_services.MembersError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return self._welcome()

    def _accept(self, *, user):
        try:
            members_services.accept_invitation(invitation=self.invitation, user=user)
        except members_services.MembersError as error:
            return self.render_to_response({"error": error.message}, status=410)
        return self._welcome()

    def _welcome(self):
        self.request.session[SESSION_KEY] = self.invitation.organisation_id
        messages.success(
            self.request,
            f"Bienvenue\u00a0: vous avez rejoint «\u00a0{self.invitation.organisation.name}\u00a0» "
            f"avec le rôle {self.invitation.get_role_display()}.",
        )
        return redirect("home")


# --- Each person's own account --------------------------------------------------------------------------------------


class AccountMixin(NoStoreMixin, LoginRequiredMixin, BreadcrumbMixin):
    breadcrumb_links = (PROFILE_CRUMB,)


class ProfileView(AccountMixin, UpdateView):
    """Name (shown in the header), with links to the password, the address and the second factor."""

    form_class = NameForm
    template_name = "registration/profile.html"
    success_url = reverse_lazy("profile")
    breadcrumb_links = ()
    breadcrumb_current = "Mon compte"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        profile_services.update_name(
            user=self.request.user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        messages.success(self.request, "Votre nom est enregistré.")
        return redirect(self.success_url)


class PasswordChangeView(AccountMixin, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("profile")
    breadcrumb_current = "Changer de mot de passe"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est changé.")
        return response


class EmailChangeView(AccountMixin, ServiceFormMixin, FormView):
    form_class = EmailChangeForm
    template_name = "registration/email_change_form.html"
    breadcrumb_current = "Changer d'adresse électronique"
    refusal_field = "new_email"
    success_url = reverse_lazy("profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form) -> str:
        new_email = form.cleaned_data["new_email"]
        profile_services.request_email_change(user=self.request.user, new_email=new_email, request=self.request)
        return (
            f"Un lien de confirmation a été envoyé à {new_email.strip().lower()}\u00a0: suivez-le dans les "
            f"{profile_services.EMAIL_CHANGE_VALID_DAYS} jours pour changer d'adresse. D'ici là, votre adresse reste "
            f"{self.request.user.email}."
        )


class EmailChangeConfirmView(AccountMixin, TemplateView):
    template_name = "registration/email_change_confirm.html"
    breadcrumb_current = "Confirmer la nouvelle adresse"

    def post(self, request, *args, **kwargs):
        try:
            new_email = profile_services.confirm_email_change(user=request.user, token=kwargs["token"])
        except profile_services.EmailChangeError as error:
            return self.render_to_response(self.get_context_data(error=error.message))
        messages.success(request, f"Votre adresse est désormais {new_email}\u00a0: utilisez-la pour vous connecter.")
        return redirect("profile")


# --- The platform page ----------------------------------------------------------------------------------------------


class PlatformOrganisationsView(PlatformAdminMixin, ServiceFormMixin, FormView):
    """Platform administrators create an organisation and invite its first administrator, without the Django admin."""

    form_class = OrganisationCreateForm
    template_name = "procurement/platform_organisations.html"
    success_url = reverse_lazy("platform_organisations")
    refusals = (members_services.MembersError, ValidationError)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisations=account_selectors.organisations_for_platform(), **kwargs)

    def perform(self, form) -> str:
        organisation, invitation = members_services.create_organisation_with_admin(
            slug=form.cleaned_data["slug"],
            name=form.cleaned_data["name"],
            siren=form.cleaned_data["siren"] or None,
            admin_email=form.cleaned_data["admin_email"],
            actor=self.request.user,
            request=self.request,
        )
        return (
            f"L'organisation «\u00a0{organisation.name}\u00a0» est créée\u00a0; une invitation d'administrateur·rice "
            f"a été envoyée à {invitation.email}."
        )
