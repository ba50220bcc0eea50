"""Markets: list, read, create, update, import (the `import_markets` code), candidate link and QR code, and the
stamping of a cahier des charges."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from api.errors import Conflict, Invalid, error, refused
from api.pagination import NewestFirst
from api.parsers import JSONParser
from api.serializers import (
    MARKET_FIELDS,
    CandidateLinkSerializer,
    FileUploadSerializer,
    ImportResultSerializer,
    MarketFilterSerializer,
    MarketSerializer,
)
from api.views.base import ApiView, FileUploadMixin, ScopedObjectView
from procurement import links, selectors, spreadsheets
from procurement.forms import MarketForm
from procurement.models import Market, Organisation
from procurement.permissions import ANY_MEMBER, EDIT_MARKETS, STAMP_SPECIFICATIONS
from procurement.services import markets as market_services
from procurement.services.market_import import import_markets
from procurement.specifications import services as specification_services
from procurement.specifications.docx.safety import UnsafeDocument
from procurement.specifications.enums import StampingSource
from procurement.tabular import ImportRejected, read_upload

TAG = "Marchés"


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def validated_market(*, organisation: Organisation, data, market: Market | None = None) -> dict:
    """The market's fields from a JSON body: types checked by the serializer, then every rule of the site's market
    form (MarketForm). A change of some fields keeps the others as stored."""
    serializer = MarketSerializer(instance=market, data=data, partial=market is not None)
    serializer.is_valid(raise_exception=True)
    stored = {name: getattr(market, name) for name in MARKET_FIELDS} if market is not None else {}
    values = {**stored, **serializer.validated_data}
    form = MarketForm(
        data={name: _form_value(value) for name, value in values.items()}, organisation=organisation, instance=market
    )
    if not form.is_valid():
        raise Invalid(
            [
                error(line=None, field=None if name == "__all__" else name, reason=message)
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    return form.cleaned_data


class MarketScopedView(ScopedObjectView):
    # Django's get_object_or_404 would answer in English ("No Market matches the given query.").
    not_found = "Ce marché n'existe pas dans votre organisation."

    def find(self, *, pk: int) -> Market | None:
        return selectors.markets_of(organisation=self.organisation).filter(pk=pk).first()

    @property
    def market(self) -> Market:
        return self.object


@extend_schema(tags=[TAG])
class MarketListView(ApiView):
    capabilities = {"GET": ANY_MEMBER, "POST": EDIT_MARKETS}
    serializer_class = MarketSerializer
    pagination_class = NewestFirst
    parser_classes = [JSONParser]
    query_serializer = MarketFilterSerializer

    @extend_schema(
        operation_id="markets_list",
        summary="Lister les marchés",
        responses={200: MarketSerializer(many=True)},
        description="Les marchés de l'organisation, du plus récent au plus ancien, par pages (curseur).",
    )
    def get(self, request):
        markets = selectors.filtered_markets(organisation=self.organisation, **_market_filters(self.query()))
        return self.paginated(markets, serializer_class=MarketSerializer)

    @extend_schema(
        operation_id="markets_create",
        summary="Créer un marché",
        description="Mêmes règles que la page « Nouveau marché » : la référence est unique dans l'organisation.",
        responses={201: MarketSerializer},
    )
    def post(self, request):
        values = validated_market(organisation=self.organisation, data=request.data)
        try:
            market = market_services.create_market(organisation=self.organisation, data=values)
        except ValidationError as refusal:  # the reference taken meanwhile by another request
            raise refused(refusal) from None
        return Response(MarketSerializer(market).data, status=status.HTTP_201_CREATED)


def _market_filters(data: dict) -> dict:
    return {
        "search": data.get("q", ""),
        "market_type": data.get("market_type", ""),
        "year": data.get("year"),
        "clause": data.get("clause", ""),
    }


@extend_schema(tags=[TAG])
class MarketDetailView(MarketScopedView):
    capabilities = {"GET": ANY_MEMBER, "PATCH": EDIT_MARKETS}
    serializer_class = MarketSerializer
    parser_classes = [JSONParser]

    @extend_schema(operation_id="markets_read", summary="Lire un marché")
    def get(self, request, pk):
        return Response(MarketSerializer(self.market).data)

    @extend_schema(
        operation_id="markets_update",
        summary="Modifier un marché",
        description="Seuls les champs envoyés changent ; mêmes règles que la page « Modifier ».",
    )
    def patch(self, request, pk):
        values = validated_market(organisation=self.organisation, data=request.data, market=self.market)
        try:
            market = market_services.update_market(market=self.market, data=values)
        except ValidationError as refusal:  # the reference taken meanwhile by another request
            raise refused(refusal) from None
        return Response(MarketSerializer(market).data)


@extend_schema(tags=[TAG])
class MarketImportView(FileUploadMixin, ApiView):
    capabilities = {"POST": EDIT_MARKETS}

    @extend_schema(
        operation_id="markets_import",
        summary="Importer des marchés (CSV, XLSX ou ODS)",
        description=(
            "Le fichier de l'import des marchés (colonnes : docs/formats.md), lu par le même code que la commande "
            "`import_markets` et la page d'import : tout ou rien. Une référence déjà connue met à jour son marché. "
            "Un fichier avec des erreurs n'importe rien et chaque ligne fautive est nommée dans `errors`."
        ),
        request={"multipart/form-data": FileUploadSerializer},
        responses={200: ImportResultSerializer},
    )
    def post(self, request):
        upload = self.uploaded_file()
        try:
            result = import_markets(organisation=self.organisation, content=read_upload(upload), filename=upload.name)
        except ImportRejected as rejected:
            raise Invalid.from_import(rejected, detail="Aucun marché importé : corrigez le fichier.") from None
        return Response(ImportResultSerializer(result).data)


@extend_schema(tags=[TAG])
class CandidateLinkView(MarketScopedView):
    capabilities = {"GET": ANY_MEMBER}
    serializer_class = CandidateLinkSerializer

    @extend_schema(
        operation_id="markets_candidate_link",
        summary="Lien candidat d'un marché",
        description="Le lien de l'annexe égalité et son QR code.",
    )
    def get(self, request, pk):
        return Response(
            {
                "url": links.market_candidate_url(self.market, request=request),
                "qr_code": request.build_absolute_uri(reverse("api:market_qrcode", kwargs={"pk": self.market.pk})),
            }
        )


@extend_schema(tags=[TAG])
class QRCodeView(MarketScopedView):
    capabilities = {"GET": ANY_MEMBER}

    @extend_schema(
        operation_id="markets_qr_code",
        summary="QR code du lien candidat (SVG)",
        responses={(200, spreadsheets.SVG.split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY, "Le QR code.")},
    )
    def get(self, request, pk):
        svg = links.qr_svg(
            links.market_candidate_url(self.market, request=request),
            title=f"Lien de l'annexe égalité du marché {self.market.reference}",
        )
        return HttpResponse(svg, content_type=spreadsheets.SVG)


@extend_schema(tags=["Cahiers des charges"])
class SpecificationStampView(FileUploadMixin, MarketScopedView):
    capabilities = {"POST": STAMP_SPECIFICATIONS}

    @extend_schema(
        operation_id="markets_specification",
        summary="Insérer l'encart égalité dans un cahier des charges",
        description=(
            "Envoie un .docx, reçoit le .docx complété (encart égalité au repère [[ENCART_EGALITE]] ou en fin de "
            "document, article base vie pour un marché de travaux qui en a une). Mêmes contrôles que la page du "
            "marché : un fichier refusé l'est avec la raison en français (400) ; tant que l'encart n'est pas validé, "
            "409."
        ),
        request={"multipart/form-data": FileUploadSerializer},
        responses={(200, spreadsheets.DOCX): OpenApiResponse(OpenApiTypes.BINARY, "Le cahier des charges complété.")},
    )
    def post(self, request, pk):
        upload = self.uploaded_file()
        try:
            record = specification_services.stamp_specification(
                market=self.market,
                content=upload.read(),
                filename=upload.name,
                annex_url=links.market_candidate_url(self.market, request=request),
                user=None,
                source=StampingSource.API,
            )
        except UnsafeDocument as refusal:
            raise Invalid([error(line=None, field="file", reason=refusal.message)], detail=refusal.message) from None
        except specification_services.TextNotValidated as refusal:
            raise Conflict(refusal.message) from None
        with record.output.open("rb") as handle:
            content = handle.read()
        response = HttpResponse(content, content_type=spreadsheets.DOCX)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=record.download_name)
        return response
