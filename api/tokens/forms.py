from django import forms
from django.utils import timezone

from api.models import ApiToken
from procurement.enums import Role
from procurement.forms import DsfrForm

DEFAULT_VALIDITY_DAYS = 365
MAX_VALIDITY_DAYS = 2 * 365
ROLE_HELP = (
    "Le jeton agit avec les droits de ce rôle\u00a0: choisissez le plus restreint qui suffit (par exemple "
    "Acheteur·se pour envoyer des marchés, Facilitateur·rice pour envoyer des heures)."
)


class TokenForm(DsfrForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=(
            "Le logiciel qui l'utilise, par exemple «\u00a0Profil d'acheteur\u00a0» ou «\u00a0Outil des "
            "facilitateurs\u00a0»."
        ),
        error_messages={"required": "Donnez un nom au jeton."},
    )
    role = forms.ChoiceField(
        label="Rôle",
        choices=[("", "Choisir un rôle")] + list(Role.choices),
        help_text=ROLE_HELP,
        error_messages={"required": "Choisissez un rôle.", "invalid_choice": "Choisissez un rôle dans la liste."},
    )
    expires_on = forms.DateField(
        label="Date d'expiration",
        help_text=(
            "Dernier jour où le jeton fonctionne\u00a0: il expire à la fin de ce jour, "
            f"le lendemain à 0\u00a0h\u00a000 (au plus {MAX_VALIDITY_DAYS // 365}\u00a0ans)."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez une date d'expiration.",
            "invalid": "Indiquez une date valide, par exemple 31/12/2027.",
        },
    )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise forms.ValidationError("Choisissez une date d'expiration après aujourd'hui.")
        if (expires_on - today).days > MAX_VALIDITY_DAYS:
            raise forms.ValidationError(
                f"Choisissez une date d'expiration dans les {MAX_VALIDITY_DAYS // 365} ans\u00a0: un jeton se "
                "renouvelle."
            )
        return expires_on
