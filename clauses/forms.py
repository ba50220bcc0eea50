import datetime
from decimal import Decimal

from django import forms
from django.utils.text import capfirst

from clauses.enums import ContractType, EligibilityCriterion, EmployerKind, JobDominance, Sex
from clauses.models import ClauseSettings, InsertionClause, Participant
from clauses.selectors import clause_room
from clauses.services.participants import (
    PARTICIPANT_REFERENCE_TAKEN,
    clause_from_market,
    clause_taken,
    missing_clause_reason,
)
from procurement.forms import (
    CheckboxSelectMultiple,
    DsfrForm,
    FrenchDecimalField,
    ImportFileField,
    RadioSelect,
    SiretField,
)
from procurement.models import Lot, Market
from procurement.tabular import CellError, parse_month

HOURS_ERRORS = {
    "invalid": "Saisissez un nombre d'heures, par exemple 35 ou 17,5.",
    "max_decimal_places": "Les heures ont au plus 2 décimales.",
}


class HoursField(FrenchDecimalField):
    """Hours as French users type them: "1 200,5" (spaces between thousands, decimal comma)."""


def _hours_field(label: str, *, required: bool = True, minimum: Decimal = Decimal(0), **kwargs) -> HoursField:
    return HoursField(
        label=label,
        required=required,
        min_value=minimum,
        max_digits=10,
        decimal_places=2,
        localize=True,
        error_messages={**HOURS_ERRORS, "min_value": f"Le nombre d'heures doit être supérieur ou égal à {minimum}."},
        **kwargs,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ClauseForm(DsfrForm):
    lot = forms.ModelChoiceField(
        label="Lot", queryset=Lot.objects.none(), required=False, empty_label="Tout le marché"
    )
    hours_planned = _hours_field("Heures d'insertion prévues")
    start = forms.DateField(label="Début d'exécution de la clause", widget=DateInput())
    end = forms.DateField(label="Fin d'exécution de la clause", widget=DateInput())
    holder_name = forms.CharField(label="Entreprise titulaire", max_length=200, required=False)
    holder_siret = SiretField(label="SIRET de l'entreprise titulaire", required=False)

    def __init__(self, *args, market: Market, clause: InsertionClause | None = None, **kwargs):
        # FormView always passes `initial` (empty unless the view sets one): an empty one is no choice. A new clause
        # starts from the one the market describes (its planned hours over its execution dates), the clause that the
        # first hours reported on the market would record.
        if not kwargs.get("initial"):
            shown = clause if clause is not None else clause_from_market(market)
            kwargs["initial"] = {
                "lot": shown.lot_id,
                "hours_planned": shown.hours_planned,
                "start": shown.start,
                "end": shown.end,
                "holder_name": shown.holder_name,
                "holder_siret": shown.holder_siret,
            }
        super().__init__(*args, **kwargs)
        self.market, self.clause = market, clause
        self.fields["lot"].queryset = market.lots.all()
        if clause is None and self.initial.get("lot") is None:
            # A new clause is for the first place left: « Tout le marché », preselected once the whole market had its
            # clause, was always refused.
            whole_market_free, free_lots = clause_room(market=market)
            if not whole_market_free:
                self.initial["lot"] = free_lots.values_list("pk", flat=True).first()
        if not market.lots.exists():
            del self.fields["lot"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin de la clause ne peut pas précéder son début.")
        lot = cleaned.get("lot")
        others = InsertionClause.objects.filter(market=self.market, lot=lot)
        if self.clause is not None:
            others = others.exclude(pk=self.clause.pk)
        if others.exists():
            self.add_error("lot" if lot else None, clause_taken(lot))
        return cleaned


class ParticipantForm(DsfrForm):
    reference = forms.CharField(
        label="Référence",
        max_length=60,
        help_text="Identifiant pseudonyme, le même que dans les relevés d'heures (pas de nom).",
    )
    # Radio buttons with none chosen: a select preselected its first option (« Femme »), and a forgotten field
    # then counted as a woman in the statistics by sex.
    sex = forms.ChoiceField(
        label="Sexe",
        choices=Sex.choices,
        widget=RadioSelect,
        error_messages={
            "required": "Indiquez le sexe de la personne (« Ne se prononce pas » si elle ne souhaite pas le dire)."
        },
    )
    birth_year = forms.IntegerField(label="Année de naissance", required=False, min_value=1900)
    postcode = forms.RegexField(
        label="Code postal",
        regex=r"^[0-9]{5}$",
        required=False,
        error_messages={"invalid": "Le code postal comporte 5 chiffres."},
    )
    qpv_resident = forms.BooleanField(
        label="Réside dans un quartier prioritaire de la politique de la ville", required=False
    )
    criteria = forms.MultipleChoiceField(
        label="Critères d'éligibilité",
        choices=EligibilityCriterion.choices,
        required=False,
        widget=CheckboxSelectMultiple,
    )
    has_rqth = forms.TypedChoiceField(
        label="Reconnaissance de la qualité de travailleur handicapé (RQTH)",
        help_text="Donnée de santé\u00a0: chiffrée, visible des seuls facilitateur·rices et administrateur·rices.",
        choices=[("", "Non renseigné"), ("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=None,
        required=False,
    )
    first_name = forms.CharField(label="Prénom (facultatif)", max_length=100, required=False)
    last_name = forms.CharField(label="Nom (facultatif)", max_length=100, required=False)
    contact = forms.CharField(label="Téléphone ou adresse électronique (facultatif)", max_length=200, required=False)

    def __init__(self, *args, organisation, participant: Participant | None = None, **kwargs):
        if participant is not None and "initial" not in kwargs:
            rqth = participant.has_rqth
            kwargs["initial"] = {
                "reference": participant.reference,
                "sex": participant.sex,
                "birth_year": participant.birth_year,
                "postcode": participant.postcode,
                "qpv_resident": participant.qpv_resident,
                "criteria": participant.criteria,
                "has_rqth": "" if rqth is None else ("oui" if rqth else "non"),
                "first_name": participant.first_name,
                "last_name": participant.last_name,
                "contact": participant.contact,
            }
        super().__init__(*args, **kwargs)
        self.organisation, self.participant = organisation, participant
        self.fields["birth_year"].max_value = datetime.date.today().year - 14

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and year > datetime.date.today().year - 14:
            raise forms.ValidationError("Vérifiez l'année de naissance : la personne aurait moins de 14 ans.")
        return year

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        others = Participant.objects.filter(organisation=self.organisation, reference=reference)
        if self.participant is not None:
            others = others.exclude(pk=self.participant.pk)
        if others.exists():
            raise forms.ValidationError(PARTICIPANT_REFERENCE_TAKEN)
        return reference


class MissionForm(DsfrForm):
    market = forms.ModelChoiceField(label="Marché", queryset=Market.objects.none(), empty_label="Choisissez un marché")
    employer_siret = SiretField(label="SIRET de l'employeur")
    employer_name = forms.CharField(label="Raison sociale de l'employeur", max_length=200, required=False)
    employer_kind = forms.ChoiceField(
        label="Type d'employeur", choices=[("", "Non renseigné")] + list(EmployerKind.choices), required=False
    )
    contract_type = forms.ChoiceField(label="Type de contrat", choices=ContractType.choices)
    job_label = forms.CharField(label="Métier", max_length=200)
    job_dominance = forms.ChoiceField(
        label="Prédominance du métier",
        # Short enough to show whole in the select on a 390 px phone; the help text says whose list.
        choices=[("", "Selon la liste des métiers")]
        + [(value, label) for value, label in JobDominance.choices if value != JobDominance.UNKNOWN],
        required=False,
        help_text="Sans choix, la prédominance vient de la liste des métiers de votre organisation (paramètres des "
        "clauses).",
    )
    start = forms.DateField(label="Début", required=False, widget=DateInput())
    end = forms.DateField(
        label="Fin", required=False, widget=DateInput(), help_text="Vide si la mission est en cours."
    )

    def __init__(self, *args, markets, mission=None, **kwargs):
        if mission is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "market": mission.market_id,
                "employer_siret": mission.employer.siret,
                "employer_name": mission.employer.name,
                "employer_kind": mission.employer.kind,
                "contract_type": mission.contract_type,
                "job_label": mission.job_label,
                "job_dominance": "" if mission.job_dominance == JobDominance.UNKNOWN else mission.job_dominance,
                "start": mission.start,
                "end": mission.end,
            }
        super().__init__(*args, **kwargs)
        self.fields["market"].queryset = markets
        self.fields["market"].label_from_instance = lambda market: f"{market.reference} — {market.title}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin de la mission ne peut pas précéder son début.")
        market = cleaned.get("market")
        if market is not None and not market.insertion_clauses.exists():
            reason = missing_clause_reason(market)
            if reason is not None:
                self.add_error("market", f"{capfirst(reason)}.")
        return cleaned


class MonthInput(forms.DateInput):
    """A month picker; where the browser has none (older Firefox and Safari), a plain text box whose placeholder
    shows what to type."""

    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", attrs={"placeholder": "AAAA-MM", "inputmode": "numeric"}, **kwargs)


class MonthField(forms.DateField):
    """A month -> its first day. Typed as the month picker sends it (AAAA-MM), or as a person writes it in the text
    box that older browsers show instead (MM/AAAA): the months of the hours import, read by the same parser."""

    widget = MonthInput
    default_error_messages = {
        "invalid": "Saisissez le mois au format AAAA-MM ou MM/AAAA, par exemple 2026-03 ou 03/2026.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        try:
            return parse_month(str(value))
        except CellError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MonthHoursForm(DsfrForm):
    month = MonthField(label="Mois", help_text="Format AAAA-MM ou MM/AAAA, par exemple 2026-03 ou 03/2026.")
    hours = _hours_field("Heures réalisées", required=False, help_text="Vide ou 0 pour effacer les heures de ce mois.")


class HoursImportForm(DsfrForm):
    file = ImportFileField(label="Relevé d'heures mensuel", too_large_advice="découpez-le par mois ou par marché.")


class ParticipantFilterForm(DsfrForm):
    q = forms.CharField(label="Référence", required=False)
    sex = forms.ChoiceField(label="Sexe", required=False, choices=[("", "Tous")] + list(Sex.choices))
    market = forms.TypedChoiceField(label="Marché", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, markets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = [("", "Tous les marchés")] + [
            (market.pk, market.reference) for market in markets
        ]


class ClauseSettingsForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = ClauseSettings
        fields = ["retention_months", "dominance_threshold"]
        localized_fields = ["dominance_threshold"]


class JobReferenceForm(DsfrForm):
    label = forms.CharField(label="Métier", max_length=200)
    women_share = forms.DecimalField(
        label="Part de femmes (%)", min_value=0, max_value=100, max_digits=5, decimal_places=2, localize=True
    )
