"""Loads the load test's buyer, markets and staff account into the database of DATABASE_URL; prints them as JSON."""

import datetime
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from analytics.services import request_computation, run_job  # noqa: E402
from procurement.enums import MarketType, Role  # noqa: E402
from procurement.models import Market, Membership, Organisation, User  # noqa: E402

MARKETS = 20


def main() -> None:
    organisation, _ = Organisation.objects.get_or_create(slug="charge", defaults={"name": "Agglomération de charge"})
    markets = [
        Market.objects.get_or_create(
            organisation=organisation,
            reference=f"2026-CH-{index:03d}",
            defaults={
                "title": f"Marché de charge {index}",
                "market_type": [MarketType.TRAVAUX, MarketType.SERVICES][index % 2],
                "published_on": datetime.date(2026, 10, 1),
                "execution_start": datetime.date(2027, 1, 1),
                "execution_end": datetime.date(2027, 12, 31),
            },
        )[0]
        for index in range(1, MARKETS + 1)
    ]
    password = secrets.token_urlsafe(16)
    staff, _ = User.objects.get_or_create(email="acheteuse@charge.example")
    staff.set_password(password)
    staff.save()
    Membership.objects.get_or_create(user=staff, organisation=organisation, defaults={"role": Role.BUYER})
    # The statistics of the year, computed once here: during the rush the staff user downloads their workbook.
    year = datetime.date.today().year
    job = request_computation(
        organisation=organisation,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        requested_by=staff,
    )
    job = run_job(job_id=job.pk)
    print(
        json.dumps(
            {
                "organisation": organisation.slug,
                "tokens": [market.candidate_token for market in markets],
                "staff_email": staff.email,
                "staff_password": password,
                "statistics_workbook": f"/statistiques/resultats/{job.snapshot_id}/telecharger/xlsx/",
            }
        )
    )


if __name__ == "__main__":
    main()
