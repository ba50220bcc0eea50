from django import forms
from dsfr.forms import DsfrBaseForm

from procurement import tabular
from procurement.cpv import normalise_cpv
from procurement.enums import MarketType, Procedure
from procurement.french import file_size
from procurement.models import Lot, Market, Organisation
from procurement.services.markets import LOT_NUMBER_TAKEN, REFERENCE_TAKEN
from procurement.validators import normalise_company_number, validate_siret


class RadioSelect(forms.RadioSelect):
    """DSFR radio buttons (`fr-radio-group`): django.forms' own option template comes first in this project's
    template search, so the option template is named explicitly. The class names keep django-dsfr's
    `radioselect` / `inlineradioselect` field templates (chosen from the widget's class name)."""

    option_template_name = "includes/widgets/radio_option.html"
    inline = False


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """DSFR checkboxes (`fr-checkbox-group`): django.forms' own option template comes first in this project's
    template search, so the option template is named explicitly; the class name keeps django-dsfr's
    `checkboxselectmultiple` field template (a fieldset with its legend and errors)."""

    option_template_name = "includes/widgets/checkbox_option.html"
    inline = False


class DsfrForm(DsfrBaseForm):
    """`DsfrBaseForm` without the warning it raises at every render about marking required fields.

    django-dsfr 3.6 warns on each `{{ form }}` (a DeprecationWarning, or a UserWarning once the transitional
    setting is set): in tests, where warnings are errors, every form page would fail. The markup is unchanged:
    required fields keep their asterisk until django-dsfr's next major version.
    """

    def get_context(self) -> dict:
        context = super(DsfrBaseForm, self).get_context()
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", False)
        return context


class ImportFileField(forms.FileField):
    """The file of an import page (markets, annex responses, clause hours). Its help text and the browser's file
    filter (`accept`) are written from the formats the imports read and their size limit (`IMPORT_FORMATS`,
    `MAX_IMPORT_BYTES` of procurement/tabular.py); a larger file is refused on its declared size, before it is
    read, with `too_large_advice` after the reason (what to do instead)."""

    def __init__(
        self,
        *,
        too_large_advice: str = "découpez-le en plusieurs fichiers et importez-les l'un après l'autre.",
        **kwargs,
    ):
        names = list(tabular.IMPORT_FORMATS.values())
        kwargs.setdefault(
            "help_text",
            f"{', '.join(names[:-1])} ou {names[-1]}, {file_size(tabular.MAX_IMPORT_BYTES)} au plus.",
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ",".join(tabular.IMPORT_FORMATS)}))
        kwargs.setdefault("error_messages", {"required": "Choisissez un fichier à importer."})
        super().__init__(**kwargs)
        self.too_large_advice = too_large_advice

    def validate(self, value) -> None:
        super().validate(value)
        # The limit is read here, not copied at start-up: the one procurement/tabular.py applies.
        if value and value.size > tabular.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {file_size(tabular.MAX_IMPORT_BYTES)}\u00a0: {self.too_large_advice}",
                code="too_large",
            )


class SiretField(forms.CharField):
    """A SIRET typed as people write it ("732 829 320 00074"): cleaned to its 14 digits, then validated."""

    default_validators = [validate_siret]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return normalise_company_number(super().to_python(value))


class FrenchDecimalField(forms.DecimalField):
    """A number as French users type it: "1 200,5" (spaces between thousands, decimal comma; use localize=True)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "")
        return super().to_python(value)


class MarketForm(DsfrForm, forms.ModelForm):
    # Wider than the stored NNNNNNNN-N: a code is often copied with spaces, normalised in clean_cpv_code.
    cpv_code = forms.CharField(
        label="Code CPV principal",
        required=False,
        max_length=20,
        help_text=Market._meta.get_field("cpv_code").help_text,
        widget=forms.TextInput(attrs={"placeholder": "45000000-7", "autocomplete": "off"}),
    )

    class Meta:
        model = Market
        field_classes = {"estimated_amount": FrenchDecimalField}
        fields = [
            "reference",
            "title",
            "market_type",
            "published_on",
            "execution_start",
            "execution_end",
            "has_base_vie",
            "insertion_hours_planned",
            "bid_deadline",
            "procedure",
            "estimated_amount",
            "cpv_code",
        ]
        widgets = {
            "bid_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "estimated_amount": forms.TextInput(attrs={"inputmode": "decimal"}),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "execution_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "execution_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.TextInput(),
            "insertion_hours_planned": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
        # French users type "12,5": read the hours with the locale's decimal comma (a dot is accepted too).
        localized_fields = ["insertion_hours_planned", "estimated_amount"]
        help_texts = {
            "bid_deadline": "Date et heure de Paris. Après cette date, le lien de l'annexe égalité affiche que la "
            "date limite est passée et n'enregistre plus rien\u00a0; vous pourrez le rouvrir depuis la page du "
            "marché.",
            "estimated_amount": "En euros hors taxes, par exemple 250000 ou 12 500,50.",
            "reference": "Unique pour votre organisation, par exemple 2026-TRX-014.",
            "has_base_vie": "Pour un marché de travaux\u00a0: l'article sur les installations sanitaires séparées "
            "sera ajouté au cahier des charges.",
        }
        error_messages = {
            "reference": {"required": "Indiquez la référence du marché."},
            "title": {"required": "Indiquez l'objet du marché."},
            "market_type": {"required": "Choisissez le type de marché."},
            "published_on": {
                "required": "Indiquez la date de publication.",
                "invalid": "Indiquez une date valide, par exemple 15/03/2026.",
            },
            "execution_start": {"invalid": "Indiquez une date valide, par exemple 01/06/2026."},
            "execution_end": {"invalid": "Indiquez une date valide, par exemple 31/05/2027."},
            "bid_deadline": {"invalid": "Indiquez une date et une heure valides, par exemple 15/03/2026 12:00."},
            "estimated_amount": {
                "invalid": "Indiquez un montant en euros, par exemple 250000 ou 12500,50.",
                "max_decimal_places": "Indiquez au plus 2 décimales (les centimes).",
                "max_digits": "Indiquez un montant inférieur à 1 000 milliards d'euros.",
                "max_whole_digits": "Indiquez un montant inférieur à 1 000 milliards d'euros.",
            },
            "insertion_hours_planned": {
                "invalid": "Indiquez un nombre d'heures, par exemple 350 ou 12,5.",
                "max_decimal_places": "Indiquez au plus 2 décimales.",
                "max_digits": "Indiquez un nombre d'heures inférieur à 100 millions.",
                "max_whole_digits": "Indiquez un nombre d'heures inférieur à 100 millions.",
            },
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["market_type"].choices = [("", "Choisir un type")] + list(MarketType.choices)
        # Blank in the model only for markets created from DECP without a CPV code: staff always choose one.
        self.fields["market_type"].required = True
        self.fields["procedure"].choices = [("", "Non renseignée")] + list(Procedure.choices)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        others = Market.objects.filter(organisation=self.organisation, reference=reference)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(REFERENCE_TAKEN)
        return reference

    def clean_insertion_hours_planned(self):
        hours = self.cleaned_data.get("insertion_hours_planned")
        if hours is not None and hours < 0:
            raise forms.ValidationError("Le nombre d'heures d'insertion prévues doit être positif.")
        return hours

    def clean_estimated_amount(self):
        amount = self.cleaned_data.get("estimated_amount")
        if amount is not None and amount < 0:
            raise forms.ValidationError("Le montant estimé doit être positif ou nul.")
        return amount

    def clean_cpv_code(self):
        # Checked against the CPV reference by the model field's validator, on the normalised code.
        return normalise_cpv(self.cleaned_data.get("cpv_code") or "")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("execution_start"), cleaned.get("execution_end")
        if start and end and end < start:
            self.add_error("execution_end", "La fin d'exécution doit être postérieure au début d'exécution.")
        return cleaned

    def _post_clean(self):
        # The organisation is not a form field: set it so model validation sees the whole object.
        self.instance.organisation = self.organisation
        super()._post_clean()


class LotForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["number", "title", "bid_deadline"]
        widgets = {
            "title": forms.TextInput(),
            "bid_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "bid_deadline": "Facultative, date et heure de Paris\u00a0: celle du marché régit le lien de l'annexe."
        }
        error_messages = {
            "bid_deadline": {"invalid": "Indiquez une date et une heure valides, par exemple 15/03/2026 12:00."},
            "number": {
                "required": "Indiquez le numéro du lot.",
                "invalid": "Indiquez le numéro du lot en chiffres, par exemple 2.",
                "min_value": "Le numéro de lot commence à 1.",
                "max_value": "Le numéro de lot doit être inférieur ou égal à %(limit_value)s.",
            },
            "title": {"required": "Indiquez l'intitulé du lot."},
        }

    def __init__(self, *args, market: Market, **kwargs):
        super().__init__(*args, **kwargs)
        self.market = market

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number < 1:
            raise forms.ValidationError("Le numéro de lot commence à 1.")
        if Lot.objects.filter(market=self.market, number=number).exists():
            raise forms.ValidationError(LOT_NUMBER_TAKEN)
        return number


class MarketFilterForm(DsfrForm):
    q = forms.CharField(label="Rechercher", required=False, help_text="Référence ou objet")
    market_type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous les types")] + list(MarketType.choices)
    )
    year = forms.TypedChoiceField(label="Année de publication", required=False, coerce=int, empty_value=None)
    clause = forms.ChoiceField(
        label="Clause d'insertion",
        required=False,
        choices=[("", "Tous"), ("oui", "Avec clause"), ("non", "Sans clause")],
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        # « Toutes », like « Tous » beside it: whole in the select's narrow column on a desktop.
        self.fields["year"].choices = [("", "Toutes")] + [(year, str(year)) for year in years]


class MarketImportForm(DsfrForm):
    file = ImportFileField(label="Fichier des marchés")
