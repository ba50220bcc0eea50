"""Second factor pages: typing the code after the password, and enrolling an authenticator app."""

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView
from django_otp import login as otp_login

from procurement.forms import SecondFactorCodeForm
from procurement.services import second_factor

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
            self.device = second_factor.confirmed_device(user=request.user)
            if self.device is None:
                return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if second_factor.is_throttled(device=self.device):
            form.add_error("token", THROTTLED_MESSAGE)
            return self.form_invalid(form)
        if not second_factor.verify(device=self.device, token=form.cleaned_data["token"]):
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
            self.device = second_factor.confirmed_device(user=request.user)
            # Changing the factor of a signed-in account needs that factor first.
            if self.device is not None and not request.user.is_verified():
                return redirect("second_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "disable":
            if second_factor.disable(user=request.user):
                messages.success(request, "La double authentification est désactivée pour votre compte.")
            else:
                messages.error(request, "Votre rôle d'administrateur·rice impose la double authentification.")
            return redirect("second_factor_setup")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        device = second_factor.pending_device(user=self.request.user)
        if second_factor.is_throttled(device=device):
            form.add_error("token", THROTTLED_MESSAGE)
            return self.form_invalid(form)
        if not second_factor.confirm_enrolment(device=device, token=form.cleaned_data["token"]):
            form.add_error("token", "Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez.")
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(self.request, "La double authentification est activée pour votre compte.")
        return redirect(_next_url(self.request, default="second_factor_setup"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            device=self.device,
            required=second_factor.is_required(user=self.request.user),
            next=_next_url(self.request, default=""),
            **kwargs,
        )
        if self.device is None:
            pending = second_factor.pending_device(user=self.request.user)
            context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(
                scale=5, title="QR code à scanner avec votre application d'authentification"
            )
            context["manual_key"] = second_factor.manual_key(pending)
        return context
