"""Forms of the public registers' platform page."""

from django import forms

from procurement.forms import DsfrForm


class EgaproImportForm(DsfrForm):
    file = forms.FileField(
        label="Fichier des index publiés",
        help_text="Le fichier «\u00a0index-egalite-fh\u00a0» tel que publié\u00a0: XLSX (feuille «\u00a0Données "
        "publiques Index Egapro\u00a0») ou ancien CSV à «\u00a0;\u00a0», 20\u00a0Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": "Choisissez le fichier à charger."},
    )
