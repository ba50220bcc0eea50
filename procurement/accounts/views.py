"""Account pages: login with its throttle, password reset, second factor, the organisation switch and its members."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from procurement import links
from procurement.access import OrganisationMemberMixin
from procurement.accounts import services as account_services
from procurement.accounts.forms import (
    PasswordResetForm,
    SecondFactorCodeForm,
    SetPasswordForm,
    ThrottledAuthenticationForm,
)
from procurement.http import client_ip
from procurement.middleware import SESSION_KEY
from procurement.models import Membership
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
        throttle = account_services.PasswordResetThrottle(email=form.cleaned_data["email"], ip=client_ip(self.request))
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
    "Trop de codes erronés : patientez quelques instants avant de réessayer (le délai double à chaque erreur)."
)


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SecondFactorVerifyView(LoginRequiredMixin, FormView):
    form_class = SecondFactorCodeForm
    template_name = "registration/second_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = account_services.confirmed_device(user=request.user)
            if self.device is None:
                return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if account_services.is_throttled(device=self.device):
            form.add_error("token", THROTTLED_MESSAGE)
            return self.form_invalid(form)
        if not account_services.verify(device=self.device, token=form.cleaned_data["token"]):
            form.add_error("token", "Ce code n'est pas le bon, ou il a expiré : saisissez le code affiché maintenant.")
            return self.form_invalid(form)
        otp_login(self.request, self.device)
        return redirect(_next_url(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request, default=""), **kwargs)


class SecondFactorSetupView(LoginRequiredMixin, FormView):
    """Status of the second factor; enrolment with a QR code; removal when not required."""

    form_class = SecondFactorCodeForm
    template_name = "registration/second_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = account_services.confirmed_device(user=request.user)
            # Changing the factor of a signed-in account needs that factor first.
            if self.device is not None and not request.user.is_verified():
                return redirect("second_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "disable":
            if account_services.disable(user=request.user):
                messages.success(request, "La double authentification est désactivée pour votre compte.")
            else:
                messages.error(request, "Votre rôle d'administrateur·rice impose la double authentification.")
            return redirect("second_factor_setup")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        device = account_services.pending_device(user=self.request.user)
        if account_services.is_throttled(device=device):
            form.add_error("token", THROTTLED_MESSAGE)
            return self.form_invalid(form)
        if not account_services.confirm_enrolment(device=device, token=form.cleaned_data["token"]):
            form.add_error("token", "Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez.")
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(self.request, "La double authentification est activée pour votre compte.")
        return redirect(_next_url(self.request, default="second_factor_setup"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            device=self.device,
            required=account_services.is_required(user=self.request.user),
            next=_next_url(self.request, default=""),
            **kwargs,
        )
        if self.device is None:
            pending = account_services.pending_device(user=self.request.user)
            context["qr_svg"] = links.qr_svg_inline(
                pending.config_url, title="QR code à scanner avec votre application d'authentification"
            )
            context["manual_key"] = account_services.manual_key(pending)
        return context


class MembersView(OrganisationMemberMixin, TemplateView):
    """Administration: who has which role in the current organisation."""

    allowed_roles = MANAGE_MEMBERS
    template_name = "procurement/members.html"

    def get_context_data(self, **kwargs):
        memberships = (
            Membership.objects.filter(organisation=self.organisation).select_related("user").order_by("user__email")
        )
        return super().get_context_data(memberships=memberships, **kwargs)
