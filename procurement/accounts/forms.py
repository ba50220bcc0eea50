"""Account forms: login (throttled), password reset, second-factor code."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm

from procurement.accounts.services import LoginThrottle
from procurement.forms import DsfrForm
from procurement.http import client_ip


class LoginThrottleMixin:
    """Reads the email in any case; refuses further tries after repeated failures (per email and per IP)."""

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        email = (self.data.get("username") or "").strip().lower()
        throttle = LoginThrottle(email=email, ip=client_ip(self.request))
        if throttle.is_locked():
            raise forms.ValidationError(
                f"Trop de tentatives de connexion échouées. Réessayez dans {settings.LOGIN_LOCKOUT_SECONDS // 60} "
                "minutes ou réinitialisez votre mot de passe.",
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            throttle.record_failure()
            raise
        finally:
            if self.user_cache is not None:
                throttle.reset()


class ThrottledAuthenticationForm(LoginThrottleMixin, DsfrForm, AuthenticationForm):
    """Login by email on the staff login page."""

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.fields["password"].label = "Mot de passe"


class ThrottledAdminAuthenticationForm(LoginThrottleMixin, AdminAuthenticationForm):
    """The Django admin's login, throttled like the staff login page."""


class PasswordResetForm(DsfrForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DsfrForm, auth_forms.SetPasswordForm):
    pass


class SecondFactorCodeForm(DsfrForm):
    token = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Le code affiché par votre application d'authentification (il change toutes les 30 secondes).",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not (len(token) == 6 and token.isascii() and token.isdigit()):
            raise forms.ValidationError("Saisissez les 6 chiffres du code, sans lettre.")
        return token
