"""Where a candidate's request spends its time: every step of the rush's walk, in process, one at a time.

    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/load/profile_steps.py \
        [--walks 20] [--profiled-walks 5] [--top 8]

Through Django's test client (the full middleware stack, no network, no gunicorn), on a throw-away test database
(`test_<name>` next to DATABASE_URL's, created and dropped here): `--walks` companies each walk the annex as
benchmarks/load/locustfile.py does (market link, draft, every step GET and POST with an attachment, receipt page,
receipt PDF), timed and with their SQL queries counted; then `--profiled-walks` more under cProfile. Prints per
step the median and maximum time, the queries, and the functions that hold the most time of their own.
Settings: config.settings.test (no DEBUG, in-memory files, local memory cache), so the figures are those of the
code, not of the network, gunicorn or Redis. tests/questionnaire/test_query_counts.py pins the same counts.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def walk(market, number: int, on_request) -> None:
    """One company, from the market's link to its receipt PDF; `on_request(label, call)` runs each request."""
    from procurement.links import market_candidate_url
    from questionnaire.models import Draft
    from questionnaire.wizard import STEP_ATTACHMENTS
    from tests.questionnaire.conftest import step_url, valid_steps
    from tests.questionnaire.factories import siret_with_luhn

    # Each company from its own address, as in the rush (the rate limits count per address).
    client = Client(REMOTE_ADDR=f"10.{number // 250}.{number % 250}.7")
    entry = market_candidate_url(market, base_url="http://testserver")
    on_request("entrée GET", lambda: client.get(entry))
    on_request("entrée POST", lambda: client.post(entry))
    draft = Draft.objects.filter(market=market).latest("pk")
    response = None
    for step, answers in valid_steps(siret=siret_with_luhn(f"5{number:08d}")).items():
        url = step_url(draft, step)
        data = {"annexe-current_step": step, **answers}
        if step == STEP_ATTACHMENTS:
            data["files"] = [SimpleUploadedFile("politique.pdf", PDF_BYTES, content_type="application/pdf")]
        on_request(f"{step} GET", lambda url=url: client.get(url))
        response = on_request(f"{step} POST", lambda url=url, data=data: client.post(url, data))
        if response.status_code != 302:
            raise SystemExit(f"{step} POST : {response.status_code}, attendu 302")
    confirmation = response["Location"]
    on_request("accusé de réception GET", lambda: client.get(confirmation))
    receipt = reverse("questionnaire:receipt_pdf", args=[draft.resume_token])
    on_request("accusé de réception PDF GET", lambda: client.get(receipt))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--walks", type=int, default=20)
    parser.add_argument("--profiled-walks", type=int, default=5)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        market = _market()
        times: dict[str, list[float]] = {}
        queries: dict[str, list[int]] = {}

        def timed(label, call):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = call()
                elapsed = time.perf_counter() - started
            if response.status_code >= 400:
                raise SystemExit(f"{label} : {response.status_code}")
            times.setdefault(label, []).append(elapsed * 1000)
            queries.setdefault(label, []).append(len(captured))
            return response

        profiles: dict[str, cProfile.Profile] = {}

        def profiled(label, call):
            profile = profiles.setdefault(label, cProfile.Profile())
            profile.enable()
            try:
                return call()
            finally:
                profile.disable()

        # The first walk warms the process (imports, templates, URL resolver): it is left out of the times.
        walk(market, 0, lambda _label, call: call())
        for number in range(1, args.walks + 1):
            walk(market, number, timed)
        for number in range(args.walks + 1, args.walks + args.profiled_walks + 1):
            walk(market, number, profiled)

        print(f"{'Étape':30} {'médiane':>8} {'max':>8} {'requêtes SQL':>13}   ({args.walks} parcours, ms)")
        for label, values in times.items():
            counts = sorted(set(queries[label]))
            print(
                f"{label:30} {statistics.median(values):8.1f} {max(values):8.1f} "
                f"{'/'.join(str(count) for count in counts):>13}"
            )
        total = sum(statistics.median(values) for values in times.values())
        print(f"{'parcours entier (somme)':30} {total:8.1f}")
        for label, profile in profiles.items():
            output = io.StringIO()
            stats = pstats.Stats(profile, stream=output)
            stats.strip_dirs().sort_stats("tottime").print_stats(args.top)
            print(f"\n--- {label} : fonctions au plus long temps propre ({args.profiled_walks} parcours)")
            print("\n".join(line for line in output.getvalue().splitlines()[-args.top - 2 :] if line.strip()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def _market():
    import datetime

    from procurement.enums import MarketType
    from procurement.models import Lot, Market, Organisation

    organisation = Organisation.objects.create(slug="profil", name="Agglomération du profil")
    market = Market.objects.create(
        organisation=organisation,
        reference="2026-PR-001",
        title="Marché du profil",
        market_type=MarketType.SERVICES,
        published_on=datetime.date(2026, 10, 1),
        execution_start=datetime.date(2027, 1, 1),
        execution_end=datetime.date(2027, 12, 31),
    )
    for number in (1, 2, 3):
        Lot.objects.create(market=market, number=number, title=f"Lot {number}")
    return market


if __name__ == "__main__":
    sys.exit(main())
