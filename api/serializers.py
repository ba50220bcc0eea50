"""The JSON the API reads and writes, with English field names (those of the imports: docs/formats.md) and French
descriptions. Serializers parse types only; the rules stay in each app's forms and services."""

from rest_framework import serializers

from analytics.enums import JobStatus
from clauses.services.hours_import import COLUMNS as HOURS_COLUMNS
from procurement.enums import MarketType, Procedure
from procurement.models import Market
from questionnaire.enums import ResponseSource
from questionnaire.exports import COLUMNS as RESPONSE_COLUMNS
from questionnaire.exports import Format

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

MARKET_FIELDS = [
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


class MarketSerializer(serializers.ModelSerializer):
    """A market. In writing, the types are checked here, then the rules of the market form (reference unique in the
    organisation, dates in order, CPV code known…) as on the site."""

    market_type = serializers.ChoiceField(choices=MarketType.choices, help_text="travaux, services ou fournitures.")
    procedure = serializers.ChoiceField(choices=Procedure.choices, required=False, allow_blank=True)
    insertion_hours_planned = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Heures d'insertion prévues ; null : pas de clause d'insertion.",
    )  # fmt: skip
    estimated_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Montant estimé, en euros hors taxes.",
    )  # fmt: skip
    cpv_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Code CPV principal, par exemple 45000000-7."
    )
    bid_deadline = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Date limite de remise des offres (ISO 8601 ; sans décalage : heure de Paris).",
    )

    class Meta:
        model = Market
        fields = ["id", *MARKET_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "reference": {"help_text": "Référence du marché, unique dans l'organisation.", "validators": []},
            "title": {"help_text": "Objet du marché."},
            "published_on": {"help_text": "Date de publication (AAAA-MM-JJ)."},
        }


class MarketFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Recherche dans la référence ou l'objet.")
    market_type = serializers.ChoiceField(choices=MarketType.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999, help_text="Année de publication.")
    clause = serializers.ChoiceField(
        choices=[("oui", "avec clause d'insertion"), ("non", "sans clause d'insertion")], required=False
    )


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Le fichier (CSV ou XLSX pour un import, .docx pour un cahier des charges)."
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


class ResponseFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Nom de la structure ou début du SIRET.")
    market = serializers.IntegerField(required=False, min_value=1, help_text="Identifiant du marché.")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999, help_text="Année d'envoi.")
    source = serializers.ChoiceField(choices=ResponseSource.choices, required=False)


# --- Statistics --------------------------------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    """A calendar year, or a period from `start` to `end` (both included)."""

    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999, help_text="Année civile.")
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

    market_reference = serializers.CharField(allow_blank=True, help_text="Référence du marché.")
    participant_ref = serializers.CharField(allow_blank=True, help_text="Identifiant pseudonyme, stable.")
    sex = serializers.CharField(allow_blank=True, help_text="F, H, NB ou NSP.")
    birth_year = serializers.CharField(required=False, allow_blank=True, help_text="Année de naissance (AAAA).")
    employer_siret = serializers.CharField(allow_blank=True, help_text="SIRET de l'employeur.")
    job_label = serializers.CharField(allow_blank=True, help_text="Intitulé du poste.")
    job_dominance = serializers.CharField(required=False, allow_blank=True, help_text="female, male, mixed ou vide.")
    contract_type = serializers.CharField(
        allow_blank=True, help_text="CDI, CDD, CDDI, interim, contrat_pro, apprentissage, autre."
    )
    month = serializers.CharField(allow_blank=True, help_text="Mois (AAAA-MM).")
    hours = serializers.CharField(allow_blank=True, help_text="Heures du mois (décimal, > 0, 2 décimales au plus).")

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


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(
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
