"""Insertion clauses: monthly hours statements pushed as JSON (the `import_clause_hours` code), the yearly report."""

import datetime

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from analytics.clause_report import selectors as clause_report
from analytics.serialisation import indicator_json
from api.errors import Invalid
from api.parsers import JSONParser
from api.serializers import (
    ClauseReportSerializer,
    HoursImportResultSerializer,
    HoursStatementsSerializer,
    YearSerializer,
)
from api.views.base import ApiView
from clauses.services.hours_import import import_clause_hours_rows
from procurement.permissions import ANY_MEMBER, MANAGE_PARTICIPANTS
from procurement.tabular import ImportRejected

TAG = "Clauses d'insertion"


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


@extend_schema(tags=[TAG])
class HoursView(ApiView):
    capabilities = {"POST": MANAGE_PARTICIPANTS}
    serializer_class = HoursStatementsSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="clauses_hours",
        summary="Envoyer des relevés d'heures mensuels",
        description=(
            "Les colonnes de l'import des heures (docs/formats.md), une entrée par relevé, lues par le même code "
            "que `import_clause_hours` : tout ou rien, chaque relevé fautif nommé par son rang (`ligne`, à partir "
            "de 1). Renvoyer le même (participant·e, marché, employeur, mois) remplace ses heures : un envoi répété "
            "ne compte pas deux fois."
        ),
        responses={200: HoursImportResultSerializer},
    )
    def post(self, request):
        serializer = HoursStatementsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = [
            (position, {name: _cell(value) for name, value in statement.items()})
            for position, statement in enumerate(serializer.validated_data["statements"], start=1)
        ]
        try:
            result = import_clause_hours_rows(organisation=self.organisation, rows=rows)
        except ImportRejected as rejected:
            raise Invalid.from_import(rejected, detail="Aucun relevé enregistré : corrigez les relevés.") from None
        return Response(HoursImportResultSerializer(result).data)


def _breakdown(rows) -> list[dict]:
    return [{"group": row.group, "sex": row.sex, "participants": row.participants, "hours": row.hours} for row in rows]


@extend_schema(tags=[TAG])
class ClauseReportView(ApiView):
    capabilities = {"GET": ANY_MEMBER}
    serializer_class = ClauseReportSerializer
    query_serializer = YearSerializer

    @extend_schema(
        operation_id="clauses_report",
        summary="Bilan annuel des clauses d'insertion",
        description="Le bilan par sexe de la page « Bilan » (docs/indicateurs.md, B) : agrégats seulement.",
    )
    def get(self, request):
        year = self.query().get("year") or datetime.date.today().year
        report = clause_report.build_report(organisation=self.organisation, year=year)
        data = {
            "organisation": self.organisation.slug,
            "year": report.year,
            "indicators": [indicator_json(indicator) for indicator in report.indicators],
            "markets": [
                {
                    "reference": line.reference,
                    "title": line.title,
                    "market_type": line.market_type,
                    "indicators": [indicator_json(indicator) for indicator in line.indicators.values()],
                }
                for line in report.markets
            ],
            "by_market_type": _breakdown(report.by_market_type),
            "by_employer_kind": _breakdown(report.by_employer_kind),
        }
        # As built: the indicators keep their ints (the serializer above describes the shape for the schema).
        return Response(data)
