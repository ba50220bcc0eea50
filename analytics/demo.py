"""Demo: the statistics of the demo years are computed once, so the dashboard shows figures from the first visit
(with Celery eager, as in `make run`, the computation runs right away; with a worker, it is queued)."""

import datetime

from analytics.models import IndicatorSnapshot
from analytics.services import request_computation
from procurement.models import Organisation

YEARS = (2024, 2025, 2026)


def seed(*, organisation: Organisation) -> None:
    for year in YEARS:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not IndicatorSnapshot.objects.filter(organisation=organisation, start=start, end=end).exists():
            request_computation(organisation=organisation, start=start, end=end, requested_by=None)
