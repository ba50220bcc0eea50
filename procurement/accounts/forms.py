"""Account forms: login (throttled), password reset and change, second-factor code; members and invitations;
the person's own name and address; a new organisation on the platform page."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.utils.text import slugify

from procurement.accounts.services.security import LoginThrottle
from procurement.enums import Role
from procurement.forms import DsfrForm
from procurement.http import client_ip
from procurement.models import Organisation, User
from procurement.validators import is_ascii_digits, validate_siren


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
        if not (len(token) == 6 and is_ascii_digits(token)):
            raise forms.ValidationError("Saisissez les 6 chiffres du code, sans lettre.")
        return token


class PasswordChangeForm(DsfrForm, auth_forms.PasswordChangeForm):
    pass


# --- Members --------------------------------------------------------------------------------------------------------

ROLE_HELP = (
    "Administrateur·rice\u00a0: tous les droits, dont les membres. Acheteur·se\u00a0: marchés et cahiers des charges. "
    "Chargé·e de mission égalité\u00a0: annexe, encart et statistiques. Facilitateur·rice\u00a0: clauses d'insertion."
)


def _role_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Rôle",
        choices=[("", "Choisir un rôle")] + list(Role.choices),
        help_text=ROLE_HELP,
        error_messages={"required": "Choisissez un rôle.", "invalid_choice": "Choisissez un rôle dans la liste."},
        **kwargs,
    )


def _email_field(*, label: str, required: str, **kwargs) -> forms.EmailField:
    """An address field whose messages say what to type (`required`: the message when it is left empty)."""
    return forms.EmailField(
        label=label,
        error_messages={
            "required": required,
            "invalid": "Indiquez une adresse électronique valide, par exemple prenom.nom@ville.fr.",
        },
        **kwargs,
    )


def _password_field(*, label: str, autocomplete: str, required: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": required},
        **kwargs,
    )


class InvitationForm(DsfrForm):
    email = _email_field(
        label="Adresse électronique de la personne",
        required="Indiquez l'adresse électronique de la personne à inviter.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = _role_field()


class RoleForm(DsfrForm):
    role = _role_field()


class InvitationSignupForm(DsfrForm):
    """The invitee without an account: their name and the password they choose."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = _password_field(
        label="Mot de passe",
        autocomplete="new-password",
        required="Choisissez un mot de passe.",
        help_text=password_validators_help_text_html(),
    )
    password2 = _password_field(
        label="Confirmation du mot de passe",
        autocomplete="new-password",
        required="Saisissez de nouveau le mot de passe.",
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["first_name"].error_messages["required"] = "Indiquez votre prénom."
        self.fields["last_name"].error_messages["required"] = "Indiquez votre nom."

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", "Les deux mots de passe ne sont pas identiques\u00a0: saisissez-les de nouveau."
            )
        elif password1:
            candidate = User(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- The person's own account ---------------------------------------------------------------------------------------


class NameForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": "Prénom", "last_name": "Nom"}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }


class EmailChangeForm(DsfrForm):
    new_email = _email_field(
        label="Nouvelle adresse électronique",
        required="Indiquez la nouvelle adresse.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = _password_field(
        label="Mot de passe actuel",
        autocomplete="current-password",
        required="Saisissez votre mot de passe actuel.",
        help_text="Pour confirmer que c'est bien vous.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Ce mot de passe n'est pas le bon\u00a0: saisissez votre mot de passe actuel.")
        return password


# --- The platform page ----------------------------------------------------------------------------------------------


class OrganisationCreateForm(DsfrForm):
    name = forms.CharField(
        label="Nom de l'organisation",
        max_length=200,
        help_text="Tel qu'il s'écrit seul, par exemple Ville de Denain.",
        error_messages={"required": "Indiquez le nom de l'organisation."},
    )
    slug = forms.SlugField(
        label="Identifiant court",
        max_length=60,
        required=False,
        help_text="En minuscules, sans espace\u00a0; il apparaît dans le lien générique de l'annexe. "
        "Laissé vide, il est tiré du nom.",
        error_messages={
            "invalid": "Utilisez seulement des lettres minuscules sans accent, des chiffres et des tirets."
        },
    )
    siren = forms.CharField(
        label="SIREN",
        max_length=11,
        required=False,
        help_text="9 chiffres, facultatif.",
    )
    admin_email = _email_field(
        label="Adresse électronique de son administrateur·rice",
        required="Indiquez l'adresse de la personne qui administrera l'organisation.",
        help_text="Cette personne reçoit une invitation\u00a0; elle invitera ensuite ses collègues.",
    )

    def clean_siren(self):
        siren = self.cleaned_data["siren"].replace(" ", "")
        if siren:
            validate_siren(siren)
        return siren

    def clean(self):
        cleaned = super().clean()
        if "slug" in cleaned and cleaned.get("name"):
            slug = cleaned["slug"] or slugify(cleaned["name"])[:60]
            if not slug:
                self.add_error("slug", "Indiquez un identifiant court, par exemple ville-de-denain.")
            elif Organisation.objects.filter(slug=slug).exists():
                self.add_error(
                    "slug",
                    f"Une organisation a déjà l'identifiant «\u00a0{slug}\u00a0»\u00a0: choisissez-en un autre.",
                )
            cleaned["slug"] = slug
        return cleaned
