"""The JSON the API reads and writes, with English field names (those of the imports: docs/formats.md) and French
descriptions. Serializers parse types only; the rules stay in each app's forms and services."""

import re

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.enums import JobStatus
from clauses.services.hours_import import COLUMNS as HOURS_COLUMNS
from procurement.enums import MarketType, Procedure
from procurement.forms import MarketForm
from procurement.models import Market
from questionnaire.enums import ResponseSource
from questionnaire.exports import COLUMNS as RESPONSE_COLUMNS
from questionnaire.exports import Format

# --- Strict types ---------------------------------------------------------------------------------------------------
# JSON says what type a value has: a text is a string, a number a number, a yes/no a boolean. DRF would also take
# 12 for "12", "true" for true or "350" for 350: what the document does not describe is refused.


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class NumberDecimalField(serializers.DecimalField):
    """A decimal amount written as a JSON number (350, 12.5), exact to its `decimal_places`, read and written."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(str(data))


@extend_schema_field({"anyOf": [{"type": "string"}, {"type": "number"}]})
class CellField(serializers.CharField):
    """A value of a statement as a cell of the import's file holds it: a string, or a number (120.5, 1994); read as
    the import reads that cell's text."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerField(serializers.IntegerField):
    """An integer in the address: digits only (DRF would also take « 2025.0 »)."""

    def to_internal_value(self, data):
        if not re.fullmatch(r"-?[0-9]+", str(data)):
            self.fail("invalid")
        return super().to_internal_value(data)


class QuerySerializer(serializers.Serializer):
    """Query parameters: an empty value (`?year=`) is refused like any invalid one (DRF would drop it silently)."""

    def to_internal_value(self, data):
        blank = [
            name
            for name, field in self.fields.items()
            if data.get(name) == "" and not getattr(field, "allow_blank", False)
        ]
        if blank:
            raise serializers.ValidationError(
                dict.fromkeys(blank, "valeur vide : indiquez une valeur ou retirez ce paramètre")
            )
        return super().to_internal_value(data)


# --- Errors ------------------------------------------------------------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    ligne = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Ligne du fichier (l'en-tête est la ligne 1) ou rang dans la liste envoyée (à partir de 1) ; null pour "
            "un objet seul."
        ),
    )
    champ = serializers.CharField(
        allow_null=True, help_text="Colonne ou champ en cause ; null pour le fichier entier."
    )
    raison = serializers.CharField(help_text="Ce qui ne va pas, en français.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 (`application/problem+json`)."""

    type = serializers.CharField(help_text="« about:blank » : le statut HTTP dit la nature de l'erreur.")
    title = serializers.CharField(help_text="Intitulé de l'erreur, en français.")
    status = serializers.IntegerField(help_text="Statut HTTP.")
    detail = serializers.CharField(help_text="Ce qui s'est passé et ce qu'il faut faire, en français.")
    instance = serializers.CharField(help_text="Adresse appelée.")
    errors = ErrorItemSerializer(many=True, required=False, help_text="Données invalides : chaque erreur.")


# --- Markets -----------------------------------------------------------------------------------------------------

# The fields of the market form, whose rules the API applies (one list for both).
MARKET_FIELDS = list(MarketForm.Meta.fields)


class MarketSerializer(serializers.ModelSerializer):
    """A market. In writing, the types are checked here, then the rules of the market form (reference unique in the
    organisation, dates in order, CPV code known…) as on the site."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.BooleanField: StrictBooleanField,
    }

    market_type = serializers.ChoiceField(choices=MarketType.choices, help_text="travaux, services ou fournitures.")
    procedure = serializers.ChoiceField(choices=Procedure.choices, required=False, allow_blank=True)
    # An organisation may type a CPV code with spaces: the market form normalises it (45000000-7).
    insertion_hours_planned = NumberDecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Heures d'insertion prévues ; null : pas de clause d'insertion.",
    )  # fmt: skip
    estimated_amount = NumberDecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Montant estimé, en euros hors taxes.",
    )  # fmt: skip
    cpv_code = StrictCharField(
        max_length=20, required=False, allow_blank=True, help_text="Code CPV principal, par exemple 45000000-7."
    )
    bid_deadline = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Date limite de remise des offres (ISO 8601 ; sans décalage : heure de Paris).",
    )

    def validate_bid_deadline(self, value):
        # Paris had no fixed offset before 1911: an earlier date would read with an offset no client parses.
        if value is not None and not 1950 <= value.year <= 2999:
            raise serializers.ValidationError("indiquez une date entre 1950 et 2999")
        return value

    class Meta:
        model = Market
        fields = ["id", *MARKET_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "reference": {"help_text": "Référence du marché, unique dans l'organisation.", "validators": []},
            "title": {"help_text": "Objet du marché."},
            "published_on": {"help_text": "Date de publication (AAAA-MM-JJ)."},
        }


class MarketFilterSerializer(QuerySerializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Recherche dans la référence ou l'objet.")
    market_type = serializers.ChoiceField(choices=MarketType.choices, required=False)
    year = QueryIntegerField(required=False, min_value=1900, max_value=2999, help_text="Année de publication.")
    clause = serializers.ChoiceField(
        choices=[("oui", "avec clause d'insertion"), ("non", "sans clause d'insertion")], required=False
    )


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Le fichier (CSV, XLSX ou ODS pour un import, .docx pour un cahier des charges)."
    )


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Marchés créés.")
    updated = serializers.IntegerField(help_text="Marchés mis à jour.")
    unchanged = serializers.IntegerField(help_text="Marchés inchangés.")
    summary = serializers.CharField(help_text="Le bilan en une phrase.")


class CandidateLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Lien de l'annexe égalité du marché, à donner aux candidats.")
    qr_code = serializers.URLField(help_text="Adresse du QR code de ce lien (SVG).")


# --- Annex responses ---------------------------------------------------------------------------------------------

_COLUMN_FIELDS = {
    Format.INTEGER: lambda help_text: serializers.IntegerField(help_text=help_text),
    Format.PERCENT: lambda help_text: serializers.FloatField(allow_null=True, help_text=help_text),
    Format.YES_NO: lambda help_text: serializers.CharField(allow_blank=True, help_text=help_text),
    Format.TEXT: lambda help_text: serializers.CharField(allow_blank=True, help_text=help_text),
}


class ResponseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    receipt_number = serializers.CharField(help_text="Numéro d'accusé de réception.")
    siret = serializers.CharField(allow_blank=True, help_text="SIRET, vide si la structure n'en a pas.")
    name = serializers.CharField(help_text="Nom de la structure.")
    submitted_at = serializers.DateTimeField(help_text="Date et heure d'envoi.")
    market_id = serializers.IntegerField(allow_null=True, help_text="Marché de la réponse, s'il y en a un.")
    source = serializers.ChoiceField(choices=ResponseSource.choices, help_text="Origine de la réponse.")
    withdrawn_at = serializers.DateTimeField(allow_null=True, help_text="Date de retrait, s'il y a lieu.")
    superseded = serializers.BooleanField(
        help_text="Une réponse plus récente de la même structure la remplace dans les statistiques de l'année."
    )


def _response_detail_fields() -> dict:
    fields = {
        column.key: _COLUMN_FIELDS[column.format](column.label)
        for column in RESPONSE_COLUMNS
        if column.key not in ResponseSummarySerializer._declared_fields
    }
    fields["contact_email"] = serializers.CharField(allow_blank=True, help_text="Adresse électronique de contact.")
    return fields


ResponseDetailSerializer = type(
    "ResponseDetailSerializer",
    (ResponseSummarySerializer,),
    {
        **_response_detail_fields(),
        "__doc__": "Une réponse à l'annexe égalité : les colonnes de l'export des réponses (docs/formats.md).",
    },
)


class ResponseFilterSerializer(QuerySerializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Nom de la structure ou début du SIRET.")
    market = QueryIntegerField(required=False, min_value=1, help_text="Identifiant du marché.")
    year = QueryIntegerField(required=False, min_value=1900, max_value=2999, help_text="Année d'envoi.")
    source = serializers.ChoiceField(choices=ResponseSource.choices, required=False)


# --- Statistics --------------------------------------------------------------------------------------------------


class PeriodSerializer(QuerySerializer):
    """A calendar year, or a period from `start` to `end` (both included)."""

    year = QueryIntegerField(required=False, min_value=1900, max_value=2999, help_text="Année civile.")
    start = serializers.DateField(required=False, help_text="Premier jour (AAAA-MM-JJ).")
    end = serializers.DateField(required=False, help_text="Dernier jour (AAAA-MM-JJ).")


class PeriodBodySerializer(serializers.Serializer):
    """A calendar year, or a period from `start` to `end` (both included), in a JSON body."""

    year = StrictIntegerField(required=False, min_value=1900, max_value=2999, help_text="Année civile.")
    start = serializers.DateField(required=False, help_text="Premier jour (AAAA-MM-JJ).")
    end = serializers.DateField(required=False, help_text="Dernier jour (AAAA-MM-JJ).")


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Clé de l'indicateur (docs/indicateurs.md).")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True, help_text="Valeur (nombre) ou null.")


class PeriodBoundsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class IndicatorsSerializer(serializers.Serializer):
    """Exactly the JSON of the `indicators` command (docs/formats.md)."""

    organisation = serializers.CharField(help_text="Identifiant (slug) de l'organisation.")
    period = PeriodBoundsSerializer()
    annex = IndicatorSerializer(many=True)
    clauses = IndicatorSerializer(many=True)
    specifications = IndicatorSerializer(many=True)
    titulaires = IndicatorSerializer(many=True)


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=JobStatus.choices, help_text="État du calcul.")
    progress = serializers.IntegerField(help_text="Avancement, en pourcentage.")
    start = serializers.DateField()
    end = serializers.DateField()
    error = serializers.CharField(allow_blank=True, help_text="Raison de l'échec, en français.")
    url = serializers.URLField(help_text="Adresse où suivre l'état du calcul.")
    snapshot_url = serializers.URLField(allow_null=True, help_text="Résultat, une fois le calcul terminé.")


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    computed_at = serializers.DateTimeField()
    frozen_at = serializers.DateTimeField(allow_null=True, help_text="Date à laquelle les chiffres ont été figés.")
    url = serializers.URLField(help_text="Les indicateurs de ce résultat.")


# --- Clauses -----------------------------------------------------------------------------------------------------


class HoursStatementSerializer(serializers.Serializer):
    """One monthly statement, with the columns of `import_clause_hours` (docs/formats.md). Values are read as the
    import reads the cells of a file."""

    market_reference = CellField(allow_blank=True, help_text="Référence du marché.")
    participant_ref = CellField(allow_blank=True, help_text="Identifiant pseudonyme, stable.")
    sex = CellField(allow_blank=True, help_text="F, H, NB ou NSP.")
    birth_year = CellField(required=False, allow_blank=True, help_text="Année de naissance (AAAA).")
    employer_siret = CellField(allow_blank=True, help_text="SIRET de l'employeur.")
    job_label = CellField(allow_blank=True, help_text="Intitulé du poste.")
    job_dominance = CellField(required=False, allow_blank=True, help_text="female, male, mixed ou vide.")
    contract_type = CellField(
        allow_blank=True, help_text="CDI, CDD, CDDI, interim, contrat_pro, apprentissage, autre."
    )
    month = CellField(allow_blank=True, help_text="Mois (AAAA-MM).")
    hours = CellField(allow_blank=True, help_text="Heures du mois (décimal, > 0, 2 décimales au plus).")

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(HOURS_COLUMNS))
            if unknown:
                raise serializers.ValidationError(dict.fromkeys(unknown, "champ inconnu"))
        return super().to_internal_value(data)


class HoursStatementsSerializer(serializers.Serializer):
    statements = HoursStatementSerializer(many=True, allow_empty=False, help_text="Les relevés mensuels.")


class HoursImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Relevés enregistrés.")
    participants = serializers.IntegerField()
    missions = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    clauses_created = serializers.IntegerField()
    summary = serializers.CharField()


class YearSerializer(QuerySerializer):
    year = QueryIntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Année (par défaut : l'année en cours)."
    )


class BreakdownSerializer(serializers.Serializer):
    group = serializers.CharField()
    sex = serializers.CharField()
    participants = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)


class ClauseMarketSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    market_type = serializers.CharField()
    indicators = IndicatorSerializer(many=True)


class ClauseReportSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    year = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)
    markets = ClauseMarketSerializer(many=True)
    by_market_type = BreakdownSerializer(many=True)
    by_employer_kind = BreakdownSerializer(many=True)
