"""Forms of the public registers' platform page."""

from django import forms

from procurement.forms import DsfrForm


class EgaproImportForm(DsfrForm):
    file = forms.FileField(
        label="Fichier des index publiés",
        help_text="Le fichier « index-egalite-fh » tel que publié : XLSX (feuille « Données publiques Index "
        "Egapro ») ou ancien CSV à « ; », 20 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": "Choisissez le fichier à charger."},
    )
