"""Demo: the statistics of the demo years are computed once, so the dashboard shows figures from the first visit
(with Celery eager, as in `make run`, the computation runs right away; with a worker, it is queued). The figures
of 2025 are then frozen and published as open data by the demo administrator, so that the public open data page
shows a year from the first visit too."""

import datetime

from analytics.models import IndicatorSnapshot, OpenDataPublication, scope_key_of
from analytics.open_data import services as open_data_services
from analytics.services import freeze_snapshot, request_computation
from procurement import demo as procurement_demo
from procurement.models import Organisation, User
from procurement.permissions import PUBLISH_OPEN_DATA

YEARS = (2024, 2025, 2026)
PUBLISHED_YEAR = 2025
PUBLISHED_BY = next(
    account.email
    for account in procurement_demo.ACCOUNTS
    if account.role in PUBLISH_OPEN_DATA and account.organisation_slug == procurement_demo.DEMO_SLUG
)


def seed(*, organisation: Organisation) -> None:
    for year in YEARS:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not IndicatorSnapshot.objects.filter(organisation=organisation, start=start, end=end).exists():
            request_computation(organisation=organisation, start=start, end=end, requested_by=None)
    _publish(organisation=organisation, year=PUBLISHED_YEAR)


def _publish(*, organisation: Organisation, year: int) -> None:
    """Freezes and publishes the year once its figures are computed (a queued computation is published by a later
    run of seed_demo); a year someone published, or withdrew, is left as they left it."""
    if OpenDataPublication.objects.filter(organisation=organisation, year=year).exists():
        return
    snapshots = IndicatorSnapshot.objects.for_organisation(organisation).for_period(
        scope_key=scope_key_of([organisation.pk]), start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )
    snapshot = snapshots.frozen().first() or snapshots.order_by("-computed_at").first()
    if snapshot is None:
        return
    administrator = User.objects.get(email=PUBLISHED_BY)
    if not snapshot.is_frozen:
        snapshot = freeze_snapshot(snapshot=snapshot, frozen_by=administrator)
    open_data_services.publish(snapshot=snapshot, published_by=administrator)
