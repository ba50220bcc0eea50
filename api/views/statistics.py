"""Statistics: the indicators of a period (the JSON of the `indicators` command), computation jobs, snapshots."""

import datetime

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from analytics import selectors, services
from analytics.indicators import compute_indicators
from analytics.models import IndicatorJob, IndicatorSnapshot
from analytics.serialisation import to_json
from api.errors import Invalid, error
from api.parsers import JSONParser
from api.serializers import (
    IndicatorsSerializer,
    JobSerializer,
    PeriodBodySerializer,
    PeriodSerializer,
    SnapshotSerializer,
)
from api.views.base import ApiView, ScopedObjectView
from procurement.permissions import READ_STATISTICS

TAG = "Statistiques"


def period_of(data, *, serializer_class=PeriodSerializer) -> tuple[datetime.date, datetime.date]:
    """The period asked for: `year`, or `start` and `end`."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    year, start, end = (serializer.validated_data.get(name) for name in ("year", "start", "end"))
    if year is not None and (start or end):
        raise Invalid([error(line=None, field="year", reason="indiquez soit year, soit start et end, pas les deux")])
    if year is not None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    missing = [name for name, value in (("start", start), ("end", end)) if value is None]
    if missing:
        raise Invalid(
            [
                error(line=None, field=name, reason="indiquez la période : year, ou start et end (AAAA-MM-JJ)")
                for name in missing
            ]
        )
    if start > end:
        raise Invalid(
            [
                error(
                    line=None,
                    field="end",
                    reason=f"la date de fin ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y})",
                )
            ]
        )
    return start, end


def job_data(request, job: IndicatorJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "progress": job.progress,
        "start": job.start,
        "end": job.end,
        "error": job.error,
        "url": request.build_absolute_uri(reverse("api:job", kwargs={"pk": job.pk})),
        "snapshot_url": (
            request.build_absolute_uri(reverse("api:snapshot", kwargs={"pk": job.snapshot_id}))
            if job.snapshot_id
            else None
        ),
    }


def snapshot_data(request, snapshot: IndicatorSnapshot) -> dict:
    return {
        "id": snapshot.pk,
        "start": snapshot.start,
        "end": snapshot.end,
        "computed_at": snapshot.computed_at,
        "frozen_at": snapshot.frozen_at,
        "url": request.build_absolute_uri(reverse("api:snapshot", kwargs={"pk": snapshot.pk})),
    }


@extend_schema(tags=[TAG])
class IndicatorsView(ApiView):
    capabilities = {"GET": READ_STATISTICS}
    serializer_class = IndicatorsSerializer
    query_serializer = PeriodSerializer

    @extend_schema(
        operation_id="statistics_indicators",
        summary="Indicateurs d'une année ou d'une période",
        description=(
            "Tous les indicateurs (docs/indicateurs.md), calculés à la demande : exactement le JSON de la commande "
            "`indicators` (docs/formats.md), chiffres bruts (le secret statistique s'applique aux tableaux publiés, "
            "pas à cet enregistrement reproductible). Pour une longue période, préférez un calcul (POST "
            "/api/v1/statistics/jobs/)."
        ),
    )
    def get(self, request):
        start, end = period_of(request.query_params)
        indicator_set = compute_indicators(organisations=self.organisation, start=start, end=end)
        return Response(to_json(indicator_set, organisation_slug=self.organisation.slug))


@extend_schema(tags=[TAG])
class JobCreateView(ApiView):
    capabilities = {"POST": READ_STATISTICS}
    serializer_class = JobSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="statistics_jobs_create",
        summary="Demander un calcul des indicateurs",
        description=(
            "Met en file le calcul de la période (comme le bouton du tableau de bord) et répond 202 avec l'état "
            "du calcul et l'adresse où le suivre ; un calcul de la même période déjà en cours est renvoyé."
        ),
        request=PeriodBodySerializer,
        responses={202: JobSerializer},
    )
    def post(self, request):
        start, end = period_of(request.data, serializer_class=PeriodBodySerializer)
        try:
            job = services.request_computation(organisation=self.organisation, start=start, end=end, requested_by=None)
        except services.AnalyticsError as refusal:
            raise Invalid([error(line=None, field=None, reason=str(refusal))], detail=str(refusal)) from None
        job.refresh_from_db()
        return Response(job_data(request, job), status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=[TAG])
class JobDetailView(ScopedObjectView):
    capabilities = {"GET": READ_STATISTICS}
    serializer_class = JobSerializer
    not_found = "Ce calcul n'existe pas dans votre organisation."

    def find(self, *, pk: int) -> IndicatorJob | None:
        return selectors.job_of(organisation=self.organisation, user=None, pk=pk)

    @extend_schema(operation_id="statistics_jobs_read", summary="État d'un calcul")
    def get(self, request, pk):
        return Response(job_data(request, self.object))


@extend_schema(tags=[TAG])
class SnapshotListView(ApiView):
    capabilities = {"GET": READ_STATISTICS}
    serializer_class = SnapshotSerializer

    @extend_schema(
        operation_id="statistics_snapshots_list",
        summary="Résultats figés",
        description="Les périodes dont les chiffres ont été figés (publiés), la plus récente d'abord.",
        responses={200: SnapshotSerializer(many=True)},
    )
    def get(self, request):
        snapshots = (
            selectors.visible_snapshots(organisation=self.organisation, user=None).frozen().order_by("-start", "-end")
        )
        return Response([snapshot_data(request, snapshot) for snapshot in snapshots])


@extend_schema(tags=[TAG])
class SnapshotDetailView(ScopedObjectView):
    capabilities = {"GET": READ_STATISTICS}
    serializer_class = IndicatorsSerializer
    not_found = "Ce résultat n'existe pas dans votre organisation."

    def find(self, *, pk: int) -> IndicatorSnapshot | None:
        return selectors.snapshot_of(organisation=self.organisation, user=None, pk=pk)

    @extend_schema(
        operation_id="statistics_snapshots_read",
        summary="Indicateurs d'un résultat enregistré",
        description="Les valeurs enregistrées par un calcul (figées ou non), au JSON de la commande `indicators`.",
    )
    def get(self, request, pk):
        return Response(to_json(self.object.indicator_set(), organisation_slug=self.organisation.slug))
