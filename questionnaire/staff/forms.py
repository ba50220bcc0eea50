"""Forms of the staff pages of the annex (list filters, import, settings, removal of a response)."""

from django import forms

from procurement.forms import DsfrForm, ImportFileField, RadioSelect
from questionnaire import texts
from questionnaire.enums import Commitment, RemovalReason, ResponseSource
from questionnaire.selectors import ResponseFilters
from registers.enums import IndexCheck

INTRODUCTION_MAX_LENGTH = 4000


class ResponseFilterForm(DsfrForm):
    q = forms.CharField(label="Rechercher", required=False, help_text="Nom de la structure ou SIRET", max_length=200)
    market = forms.TypedChoiceField(label="Marché", required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label="Année d'envoi", required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(
        label="Saisie", required=False, choices=[("", "Toutes les origines"), *ResponseSource.choices]
    )
    commitment = forms.ChoiceField(
        label="Engagement déclaré", required=False, choices=[("", "Tous les engagements"), *Commitment.choices]
    )

    index_check = forms.ChoiceField(
        label="Index publié",
        required=False,
        choices=[
            ("", "Toutes les réponses"),
            (IndexCheck.VERIFIED, "Index vérifié"),
            (IndexCheck.DIFFERENT, "Index différent"),
            (IndexCheck.NOT_PUBLISHED, "Index non publié"),
        ],
        help_text="Index déclaré comparé à l'index publié (Egapro)",
    )

    FIELD_NAMES = ("q", "market", "year", "source", "commitment", "index_check")

    def __init__(self, *args, markets: list[tuple[int, str]], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = [("", "Tous les marchés"), *markets]
        self.fields["year"].choices = [("", "Toutes les années")] + [(year, str(year)) for year in years]

    def filters(self) -> ResponseFilters:
        """The valid filters; an invalid value (a market of another buyer, a made-up year) is ignored."""
        if not self.is_bound:
            return ResponseFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ResponseFilters(
            search=data.get("q", "") or "",
            market_id=data.get("market"),
            year=data.get("year"),
            source=data.get("source", "") or "",
            commitment=data.get("commitment", "") or "",
            index_check=data.get("index_check", "") or "",
        )


class AnnexImportForm(DsfrForm):
    file = ImportFileField(label="Fichier des réponses")


class IntroductionForm(DsfrForm):
    introduction = forms.CharField(
        label="Texte d'introduction",
        required=False,
        max_length=INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Affiché en tête du questionnaire, sous le rappel de son caractère facultatif. Laissez le champ "
        "vide pour reprendre le texte par défaut. Séparez les paragraphes par une ligne vide.",
        error_messages={
            "max_length": f"Le texte d'introduction doit tenir en {INTRODUCTION_MAX_LENGTH} caractères au plus "
            "(%(show_value)d actuellement)\u00a0: raccourcissez-le."
        },
    )

    def effective_text(self) -> str:
        """What candidates would read with the value typed (the default when blank)."""
        typed = (self.cleaned_data.get("introduction") if hasattr(self, "cleaned_data") else "") or ""
        return typed.strip() or texts.DEFAULT_INTRODUCTION


class RemovalForm(DsfrForm):
    # A choice, not a free text: the reason goes to the log, which must not name anyone.
    reason = forms.ChoiceField(
        label="Pourquoi supprimer cette réponse\u00a0?",
        choices=RemovalReason.choices,
        widget=RadioSelect,
        error_messages={
            "required": "Choisissez la raison de la suppression.",
            "invalid_choice": "Choisissez une raison de la liste.",
        },
    )
