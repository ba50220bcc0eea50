"""One small form per step of the annex (wording of the paper questionnaire, docs/sources.md).

Fields carry no prefix: each step's values are stored in the draft under the step's name, as typed.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from dsfr.utils import dsfr_input_class_attr

from procurement.forms import DsfrForm, RadioSelect
from procurement.french import file_size, number
from procurement.models import Lot, Market
from procurement.validators import normalise_company_number, validate_siret
from questionnaire.enums import (
    EQUALITY_INDEX_MIN_STAFF,
    HEADCOUNT_CATEGORIES,
    HEADCOUNT_FIELDS,
    HEADCOUNT_SCOPES,
    OFFICER_FIELDS,
    Commitment,
    EqualityIndexStatus,
    OfficerGender,
)
from questionnaire.models import COMMITMENT_DETAIL_MAX_LENGTH, POLICY_TEXT_MAX_LENGTH
from questionnaire.services import attachments as attachment_service

YES_NO = [("oui", "Oui"), ("non", "Non")]
INDEX_STATUS_LABEL = "Quelle note avez-vous obtenue à l'index de l'égalité professionnelle\u00a0?"
COMMITMENT_DETAIL_LABEL = "Si oui, détailler"
HONEYPOT_FIELD = "site_internet_structure"


class ResumeLinkForm(DsfrForm):
    """« Recevoir ce lien par courriel », under each step of a candidate's questionnaire: the label, the hint and the
    errors of the field are this form's, rendered by the DSFR field template (questionnaire/wizard/_resume_link.html).
    Not marked as required: a form of one field needs no asterisk; `clean_email` refuses an empty address."""

    email = forms.EmailField(
        label="Recevoir ce lien par courriel",
        help_text="Format attendu\u00a0: nom@domaine.fr",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Indiquez l'adresse électronique à laquelle envoyer le lien.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@domaine.fr.",
        },
    )

    def __init__(self, *args, **kwargs):
        # Its own ids on a page whose step may have an e-mail field too (`id_resume_email`).
        kwargs.setdefault("auto_id", "id_resume_%s")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if not email:
            raise ValidationError(self.fields["email"].error_messages["required"], code="required")
        return email


class InlineRadioSelect(RadioSelect):
    inline = True


class AnnexStepForm(DsfrForm):
    """Every step carries the honeypot: a field people never see, that simple robots fill in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label="Ne pas remplir ce champ",
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "fr-input"}),
        )

    def apply_dsfr_classes(self) -> None:
        """DSFR classes for fields added in `__init__` (DsfrBaseForm only styles the class's own fields)."""
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    @property
    def visible_answer_fields(self):
        return [field for field in self if field.name != HONEYPOT_FIELD]

    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())


def _percentage_field(label: str, help_text: str = "") -> forms.CharField:
    # A CharField so that "35,5" (decimal comma) is read like "35.5"; parsed in `_clean_percentage`.
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text or "Nombre entre 0 et 100, par exemple 42 ou 42,5.",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "fr-input annex-short-input"}
        ),
    )


def _clean_percentage(value: str, *, what: str) -> Decimal | None:
    value = (value or "").strip().replace(",", ".").removesuffix("%").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(f"Indiquez {what} sous la forme d'un nombre entre 0 et 100, par exemple 42,5.") from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise ValidationError(f"{capfirst(what)} doit être comprise entre 0 et 100\u00a0%.")
    if number.as_tuple().exponent < -2:
        raise ValidationError(f"Indiquez {what} avec deux décimales au plus.")
    return number


class StructureForm(AnnexStepForm):
    structure_name = forms.CharField(
        label="Nom de la structure", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    siret = forms.CharField(
        label="Numéro SIRET",
        help_text="14 chiffres, sans espace\u00a0; il figure sur l'avis de situation au répertoire SIRENE.",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label="Adresse électronique",
        help_text="L'accusé de réception de vos réponses y sera envoyé. Format attendu\u00a0: nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Saisissez une adresse électronique valide, par exemple nom@domaine.fr."},
    )

    def __init__(
        self,
        *args,
        market: Market | None = None,
        market_choices=None,
        staff_entry: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["structure_name"].error_messages["required"] = "Indiquez le nom de votre structure."
        self.fields["siret"].error_messages["required"] = "Indiquez le numéro SIRET de votre structure (14 chiffres)."
        self.fields["contact_email"].error_messages["required"] = (
            "Indiquez une adresse électronique\u00a0: l'accusé de réception y sera envoyé."
        )
        if staff_entry:
            # A paper form may carry neither a SIRET nor an email.
            self.fields["siret"].required = False
            self.fields["siret"].help_text = "Facultatif pour une fiche papier qui ne l'indique pas."
            self.fields["contact_email"].required = False
            self.fields[
                "contact_email"
            ].help_text = "Facultatif\u00a0: aucun courriel n'est envoyé pour une saisie papier."
        if market is None and market_choices is not None:
            self.fields["market"] = forms.ModelChoiceField(
                label="Marché concerné",
                queryset=market_choices,
                required=False,
                empty_label="Aucun marché en particulier",
                help_text="Marchés publiés au cours des douze derniers mois.",
            )
            lots = Lot.objects.filter(market__in=market_choices).select_related("market")
            if lots.exists():
                self.fields["lot"] = forms.ModelChoiceField(
                    label="Lot", queryset=lots, required=False, empty_label="Sans objet ou plusieurs lots"
                )
                self.fields["lot"].label_from_instance = lambda lot: f"{lot.market.reference} — {lot}"
        elif market is not None and market.lots.exists():
            self.fields["lot"] = forms.ModelChoiceField(
                label="Lot", queryset=market.lots.all(), required=False, empty_label="Sans objet ou plusieurs lots"
            )
        self.fixed_market = market
        # The honeypot stays last.
        self.order_fields(["structure_name", "siret", "contact_email", "market", "lot"])
        self.apply_dsfr_classes()

    def clean_structure_name(self) -> str:
        return " ".join(self.cleaned_data["structure_name"].split())

    def clean_siret(self) -> str:
        siret = normalise_company_number(self.cleaned_data["siret"])
        if siret:
            validate_siret(siret)
        return siret

    def clean(self):
        cleaned = super().clean()
        lot = cleaned.get("lot")
        if lot is not None:
            market = self.fixed_market or cleaned.get("market")
            if market is None or lot.market_id != market.pk:
                self.add_error(
                    "lot", "Ce lot n'appartient pas au marché choisi\u00a0: choisissez le marché puis son lot."
                )
        return cleaned


class HeadcountForm(AnnexStepForm):
    """Effectifs au sein de la structure: Femmes / Hommes / Non binaire / Ne se prononce pas × Cadres / Non cadres."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in HEADCOUNT_FIELDS:
            scope, category = name.rsplit("_", 1)
            self.fields[name] = forms.IntegerField(
                label=f"{HEADCOUNT_SCOPES[scope]}, {HEADCOUNT_CATEGORIES[category].lower()}",
                required=False,
                min_value=0,
                max_value=10_000_000,
                error_messages={
                    "invalid": "Saisissez un nombre entier positif ou nul (sans espace ni virgule).",
                    "min_value": "L'effectif doit être un nombre entier positif ou nul.",
                    "max_value": "Cet effectif paraît trop grand\u00a0: vérifiez le nombre saisi.",
                },
                widget=forms.NumberInput(
                    attrs={
                        "min": "0",
                        "step": "1",
                        "inputmode": "numeric",
                        "data-annex-scope": scope,
                        "data-annex-category": category,
                        "class": "fr-input",
                    }
                ),
            )
        self.order_fields(HEADCOUNT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        for name in HEADCOUNT_FIELDS:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
        return cleaned

    def _value(self, name: str) -> int:
        """The figure as the server reads it, valid or not (an invalid cell counts 0 in the totals)."""
        if self.is_bound and hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name] or 0
        raw = self.data.get(name) if self.is_bound else None
        try:
            return max(int(str(raw).strip()), 0) if raw not in (None, "") else 0
        except ValueError:
            return 0

    def grid(self) -> dict:
        """Rows, cells, row and column totals, for the template (the browser recomputes them live)."""
        for name in HEADCOUNT_FIELDS:
            if self.is_bound and self[name].errors:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-desc-error"}
                )
        rows = []
        for scope, scope_label in HEADCOUNT_SCOPES.items():
            cells = [self[f"{scope}_{category}"] for category in HEADCOUNT_CATEGORIES]
            total = sum(self._value(f"{scope}_{category}") for category in HEADCOUNT_CATEGORIES)
            rows.append({"scope": scope, "label": scope_label, "cells": cells, "total": total})
        column_totals = [
            {
                "category": category,
                "total": sum(self._value(f"{scope}_{category}") for scope in HEADCOUNT_SCOPES),
            }
            for category in HEADCOUNT_CATEGORIES
        ]
        return {
            "categories": HEADCOUNT_CATEGORIES,
            "rows": rows,
            "column_totals": column_totals,
            "total": sum(row["total"] for row in rows),
        }


def _officer_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=OfficerGender.choices,
        required=False,
        widget=InlineRadioSelect,
    )


class GovernanceForm(AnnexStepForm):
    has_board = forms.ChoiceField(
        label="Avez-vous un conseil d'administration\u00a0?",
        choices=YES_NO,
        widget=InlineRadioSelect,
        error_messages={"required": "Indiquez si votre structure a un conseil d'administration (oui ou non)."},
    )
    board_women_pct = _percentage_field(
        "Si oui, quelle est la part de femmes dans le conseil d'administration (%)\u00a0?"
    )
    president = _officer_field(OFFICER_FIELDS["president"])
    secretary = _officer_field(OFFICER_FIELDS["secretary"])
    treasurer = _officer_field(OFFICER_FIELDS["treasurer"])
    volunteers_women_pct = _percentage_field(
        "Part des femmes parmi les bénévoles (%)",
        help_text="Nombre entre 0 et 100\u00a0; laissez vide si votre structure n'a pas de bénévoles.",
    )

    def clean_board_women_pct(self):
        return _clean_percentage(self.cleaned_data["board_women_pct"], what="la part de femmes dans le CA")

    def clean_volunteers_women_pct(self):
        return _clean_percentage(self.cleaned_data["volunteers_women_pct"], what="la part des femmes bénévoles")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_board") == "non":
            cleaned["board_women_pct"] = None
        elif (
            cleaned.get("has_board") == "oui"
            and cleaned.get("board_women_pct") is None
            and "board_women_pct" not in self.errors
        ):
            self.add_error(
                "board_women_pct",
                "Indiquez la part de femmes dans votre conseil d'administration (entre 0 et 100\u00a0%).",
            )
        return cleaned


def _index_years() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", "Choisir une année")] + [(str(year), str(year)) for year in range(this_year, 2018, -1)]


class PolicyForm(AnnexStepForm):
    policy_text = forms.CharField(
        label="Détaillez ci-dessous votre politique interne en matière d'égalité professionnelle",
        help_text=f"{number(POLICY_TEXT_MAX_LENGTH)} caractères maximum.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-annex-counter": str(POLICY_TEXT_MAX_LENGTH)}),
    )

    def __init__(self, *args, ask_index: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.ask_index = ask_index
        if ask_index:
            self.fields["equality_index_status"] = forms.ChoiceField(
                label=INDEX_STATUS_LABEL,
                help_text=(
                    f"Question posée aux structures de {EQUALITY_INDEX_MIN_STAFF} salariées et salariés ou plus."
                ),
                choices=[*EqualityIndexStatus.choices, ("", "Je ne sais pas ou ne souhaite pas répondre")],
                required=False,
                widget=RadioSelect,
            )
            self.fields["equality_index_score"] = forms.IntegerField(
                label="Note obtenue (sur 100)",
                required=False,
                error_messages={"invalid": "Saisissez la note sous la forme d'un nombre entier entre 0 et 100."},
                widget=forms.NumberInput(
                    attrs={"min": "0", "max": "100", "inputmode": "numeric", "class": "fr-input annex-short-input"}
                ),
            )
            self.fields["equality_index_year"] = forms.ChoiceField(
                label="Année de publication de cette note", choices=_index_years(), required=False
            )
            self.order_fields(["policy_text", "equality_index_status", "equality_index_score", "equality_index_year"])
            self.apply_dsfr_classes()

    def clean_policy_text(self) -> str:
        text = self.cleaned_data["policy_text"].strip().replace("\r\n", "\n")
        if len(text) > POLICY_TEXT_MAX_LENGTH:
            raise ValidationError(
                f"Le texte ne doit pas dépasser {number(POLICY_TEXT_MAX_LENGTH)} caractères (vous en avez saisi "
                f"{number(len(text))})\u00a0: raccourcissez-le ou joignez un document à l'étape "
                "«\u00a0Pièces jointes\u00a0»."
            )
        return text

    def clean_equality_index_score(self):
        score = self.cleaned_data.get("equality_index_score")
        if score is not None and not 0 <= score <= 100:
            raise ValidationError("La note de l'index doit être comprise entre 0 et 100.")
        return score

    def clean(self):
        cleaned = super().clean()
        if not self.ask_index:
            return cleaned
        status = cleaned.get("equality_index_status")
        if status == EqualityIndexStatus.SCORE:
            if cleaned.get("equality_index_score") is None and "equality_index_score" not in self.errors:
                self.add_error("equality_index_score", "Indiquez la note obtenue, entre 0 et 100.")
            if not cleaned.get("equality_index_year"):
                self.add_error("equality_index_year", "Indiquez l'année de publication de la note.")
        else:
            # "Non calculable" or no answer: a typed score is not kept.
            cleaned["equality_index_score"] = None
            self.errors.pop("equality_index_score", None)
            if status != EqualityIndexStatus.NOT_COMPUTABLE:
                cleaned["equality_index_year"] = ""
        year = cleaned.get("equality_index_year")
        cleaned["equality_index_year"] = int(year) if year else None
        return cleaned


class CommitmentsForm(AnnexStepForm):
    """Engagements spécifiques de la structure: oui/non and "si oui, détailler" for each of the eight."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for commitment in Commitment:
            self.fields[f"commitment_{commitment}"] = forms.ChoiceField(
                label=commitment.label,
                choices=YES_NO,
                widget=InlineRadioSelect,
                error_messages={"required": f"Répondez oui ou non pour «\u00a0{commitment.label}\u00a0»."},
            )
            self.fields[f"commitment_{commitment}_detail"] = forms.CharField(
                label=COMMITMENT_DETAIL_LABEL,
                required=False,
                max_length=COMMITMENT_DETAIL_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"Le détail ne doit pas dépasser {number(COMMITMENT_DETAIL_MAX_LENGTH)} caractères."
                },
            )
        self.order_fields([name for commitment in Commitment for name in self.commitment_field_names(commitment)])
        self.apply_dsfr_classes()

    @staticmethod
    def commitment_field_names(commitment: Commitment) -> tuple[str, str]:
        return f"commitment_{commitment}", f"commitment_{commitment}_detail"

    def pairs(self):
        return [(self[answer], self[detail]) for answer, detail in map(self.commitment_field_names, Commitment)]

    def clean(self):
        cleaned = super().clean()
        for commitment in Commitment:
            answer, detail = self.commitment_field_names(commitment)
            if cleaned.get(answer) == "oui":
                if not (cleaned.get(detail) or "").strip() and detail not in self.errors:
                    self.add_error(
                        detail,
                        f"Vous avez répondu oui\u00a0: détaillez «\u00a0{commitment.label}\u00a0» en quelques mots.",
                    )
            elif cleaned.get(answer) == "non":
                cleaned[detail] = ""
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    """The DSFR's upload component: django-dsfr's input snippet draws its group (`fr-upload-group`, and
    `fr-upload-group--error` with an error), the label and its hint (`fr-label`, `fr-hint-text`); the input is
    `fr-upload`, which the DSFR styles (django-dsfr leaves a file input without a class)."""

    allow_multiple_selected = True
    group_class = "fr-upload-group"


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": attachment_service.ACCEPT_ATTRIBUTE, "class": "fr-upload"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AttachmentsForm(AnnexStepForm):
    files = MultipleFileField(
        label="Ajouter des fichiers",
        required=False,
        # The DSFR's hint of an upload: the size, then the formats, then how many.
        help_text=(
            f"Taille maximale\u00a0: {file_size(settings.ANNEX_MAX_ATTACHMENT_BYTES)} par fichier. "
            "Formats acceptés\u00a0: PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG. "
            f"Jusqu'à {settings.ANNEX_MAX_ATTACHMENTS} fichiers, choisis ensemble ou en plusieurs fois."
        ),
    )

    def __init__(self, *args, already_attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.already_attached = already_attached

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        # Checked again when the files are stored (attachment_service.attach_files), under a lock.
        attachment_service.check_room(already_attached=self.already_attached, adding=len(files))
        errors = []
        checked = []
        for upload in files:
            try:
                checked.append((upload, attachment_service.check_upload(upload)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class SummaryForm(AnnexStepForm):
    """The last step: all answers are shown above; the button sends them."""


def year_ago(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)
