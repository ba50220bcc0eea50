from django import forms

from procurement.forms import DsfrForm


class DecpImportForm(DsfrForm):
    file = forms.FileField(
        label="Fichier des données essentielles",
        help_text="JSON ou XML tel que publié (format 2.0 depuis 2024, ou 1.x pour les contrats notifiés jusqu'en "
        "2023), 20\u00a0Mo au plus. Un fichier consolidé de plusieurs acheteurs convient\u00a0: seuls vos "
        "contrats sont importés.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xml,application/json,application/xml,text/xml"}),
        error_messages={"required": "Choisissez un fichier à importer."},
    )
