"""Forms of the titulaires pages: the list's filters and a reminder."""

from django import forms

from procurement.awards.enums import SocialConsideration
from procurement.enums import MarketType
from procurement.forms import DsfrForm, RadioSelect
from questionnaire.titulaires.selectors import TitulaireFilters

ANSWERED_CHOICES = [("", "Toutes les entreprises"), ("non", "N'ont pas répondu"), ("oui", "Ont répondu")]


class TitulaireFilterForm(DsfrForm):
    annee = forms.TypedChoiceField(label="Année de notification", required=False, coerce=int, empty_value=None)
    reponse = forms.ChoiceField(label="Réponse à l'annexe", required=False, choices=ANSWERED_CHOICES)
    type = forms.ChoiceField(label="Type de marché", required=False, choices=[("", "Tous"), *MarketType.choices])
    consideration = forms.ChoiceField(
        label="Considération sociale", required=False, choices=[("", "Toutes"), *SocialConsideration.choices]
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(year, str(year)) for year in years]

    def year(self, default: int) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("annee"):
            return self.cleaned_data["annee"]
        return default

    def filters(self) -> TitulaireFilters:
        """The valid filters; an invalid value is ignored."""
        if not self.is_bound:
            return TitulaireFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        answered = {"oui": True, "non": False}.get(data.get("reponse") or "")
        return TitulaireFilters(
            answered=answered,
            market_type=data.get("type", "") or "",
            social_consideration=data.get("consideration", "") or "",
        )


class ReminderForm(DsfrForm):
    # Radio buttons, not a select: a market is named by its reference and title, longer than a select shows on a
    # phone (and often on a desktop); a radio button's label wraps and shows it whole.
    market = forms.TypedChoiceField(label="Marché", coerce=int, widget=RadioSelect)
    email = forms.EmailField(
        label="Adresse électronique de l'entreprise (facultatif)",
        required=False,
        help_text="Reprise de sa dernière réponse quand elle en a donné une. Sans adresse, seule la lettre est "
        "préparée, à imprimer ou à envoyer vous-même.",
    )

    def __init__(self, *args, markets: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = markets
