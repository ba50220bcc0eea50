"""Annex responses: the list (filters) and one response, with what the staff pages show to the same roles."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.pagination import NewestFirst
from api.serializers import ResponseDetailSerializer, ResponseFilterSerializer, ResponseSummarySerializer
from api.views.base import ApiView, ScopedObjectView
from procurement.permissions import READ_ANNEX_RESPONSES
from questionnaire import selectors
from questionnaire.exports import COLUMNS, Format
from questionnaire.models import AnnexResponse

TAG = "Annexe égalité"


def summary(response: AnnexResponse) -> dict:
    return {
        "id": response.pk,
        "receipt_number": response.receipt_number,
        "siret": response.siret,
        "name": response.structure_name,
        "submitted_at": response.submitted_at,
        "market_id": response.market_id,
        "source": response.source,
        "withdrawn_at": response.withdrawn_at,
        "superseded": bool(getattr(response, "superseded", False)),
    }


def detail(response: AnnexResponse) -> dict:
    """The export's columns (questionnaire.exports), as on the response's staff page, and the contact address."""
    data = summary(response)
    for column in COLUMNS:
        if column.key in data:
            continue
        value = column.value(response)
        if column.format in (Format.TEXT, Format.YES_NO):
            value = "" if value is None else str(value)
        data[column.key] = value
    data["contact_email"] = response.contact_email
    return data


@extend_schema(tags=[TAG])
class ResponseListView(ApiView):
    capabilities = {"GET": READ_ANNEX_RESPONSES}
    serializer_class = ResponseSummarySerializer
    pagination_class = NewestFirst
    query_serializer = ResponseFilterSerializer

    @extend_schema(
        operation_id="responses_list",
        summary="Lister les réponses à l'annexe égalité",
        responses={200: ResponseSummarySerializer(many=True)},
        description="Les réponses reçues par l'organisation, de la plus récente à la plus ancienne (curseur).",
    )
    def get(self, request):
        data = self.query()
        responses = selectors.filtered_responses(
            organisation=self.organisation,
            filters=selectors.ResponseFilters(
                search=data.get("q", ""),
                market_id=data.get("market"),
                year=data.get("year"),
                source=data.get("source", ""),
            ),
        )
        return self.paginated(responses, serializer_class=ResponseSummarySerializer, present=summary)


@extend_schema(tags=[TAG])
class ResponseDetailView(ScopedObjectView):
    capabilities = {"GET": READ_ANNEX_RESPONSES}
    serializer_class = ResponseDetailSerializer
    not_found = "Cette réponse n'existe pas dans votre organisation."

    def find(self, *, pk: int) -> AnnexResponse | None:
        return selectors.response_detail(organisation=self.organisation, pk=pk)

    @extend_schema(operation_id="responses_read", summary="Lire une réponse à l'annexe égalité")
    def get(self, request, pk):
        return Response(ResponseDetailSerializer(detail(self.object)).data)
