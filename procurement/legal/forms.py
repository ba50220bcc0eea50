from django import forms

from procurement.forms import DsfrForm
from procurement.models import LegalDetails


class LegalDetailsForm(DsfrForm):
    controller_name = forms.CharField(
        label="Responsable du traitement",
        max_length=LegalDetails._meta.get_field("controller_name").max_length,
        required=False,
        help_text="Tel qu'il doit figurer dans les mentions, par exemple «\u00a0Ville de Denain\u00a0». Vide\u00a0: "
        "le nom de l'organisation.",
    )
    controller_address = forms.CharField(
        label="Adresse postale du responsable du traitement",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple\u00a0: 1 place de la Mairie, 59220 Denain.",
        error_messages={"required": "Indiquez l'adresse postale de l'organisation, exigée par le RGPD."},
    )
    dpo_contact = forms.CharField(
        label="Contact du ou de la délégué·e à la protection des données",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Adresse électronique ou postale à laquelle les candidats exercent leurs droits, par exemple "
        "dpo@ville-denain.fr.",
        error_messages={"required": "Indiquez comment joindre votre délégué·e à la protection des données."},
    )
