"""Benchmark: downloads of the generated documents that do not change between downloads (docs/formats.md,
« Documents générés ») — the fiche de renseignements (PDF and DOCX) of a market and the receipt of an answer.

Run from the project root, against PostgreSQL, with Redis as the cache as in production (`--redis`; without it,
the process's memory cache):
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/questionnaire/bench_downloads.py \
        [--redis redis://127.0.0.1:6379/0] [--cold N] [--warm M]

It creates a throw-away organisation (with a PNG logo and a validated encart), a buyer, a market and an answer
submitted through the online questionnaire, then downloads each document through Django's full request stack
(test client: middleware, session, authorisation, view):
- cold: N downloads, the cache emptied before each one (every download renders the document: the baseline);
- warm: M downloads of the same document (the first renders it, the others read it).
Prints p50/p95/max of both and the ratio cold p95 / warm p95 (target: warm p95 < 300 ms). The organisation and
everything it owns are removed at the end; the rest of the database is not touched.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

harness.setup_django()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from procurement.enums import MarketType, Role  # noqa: E402
from procurement.models import Market, Membership, Organisation, User  # noqa: E402
from procurement.specifications.enums import SpecificationTextKind  # noqa: E402
from procurement.specifications.services import save_text_version, validate_text_version  # noqa: E402
from questionnaire.enums import Commitment  # noqa: E402
from questionnaire.models import AnnexResponse, Draft  # noqa: E402
from questionnaire.services.drafts import create_draft  # noqa: E402
from questionnaire.wizard import STEP_COMMITMENTS, STEP_HEADCOUNT, STEP_POLICY  # noqa: E402
from tests.questionnaire.conftest import fill_all, valid_steps  # noqa: E402

SLUG = "benchmark-downloads"
TARGET_SECONDS = 0.300
SIRET = "73282932000074"
# The tests' complete answer, with fuller figures and texts so that the documents have all they can show.
ANSWERS = valid_steps(siret=SIRET) | {
    STEP_HEADCOUNT: {
        "cadres_f": "12",
        "cadres_h": "20",
        "cadres_nb": "0",
        "cadres_nsp": "1",
        "non_cadres_f": "40",
        "non_cadres_h": "55",
        "non_cadres_nb": "1",
        "non_cadres_nsp": "0",
    },
    STEP_POLICY: valid_steps()[STEP_POLICY]
    | {"policy_text": "Un accord égalité signé en 2023, renouvelé chaque année. " * 12},
    STEP_COMMITMENTS: {
        **{f"commitment_{commitment}": "oui" for commitment in Commitment},
        **{f"commitment_{commitment}_detail": "Engagement suivi par la direction." for commitment in Commitment},
    },
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def png_logo() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (600, 200), "#000091").save(output, format="PNG")
    return output.getvalue()


def cleanup() -> None:
    """Removes the benchmark's organisation and all it owns (markets are protected: they go first)."""
    for organisation in Organisation.objects.filter(slug=SLUG):
        organisation.logo.delete(save=False)
        AnnexResponse.objects.filter(organisation=organisation).delete()
        Draft.objects.filter(organisation=organisation).delete()
        Market.objects.filter(organisation=organisation).delete()
        organisation.delete()
    User.objects.filter(email=f"acheteur@{SLUG}.example").delete()


@transaction.atomic
def setup() -> tuple[Organisation, User, Market, str]:
    cleanup()
    organisation = Organisation.objects.create(name="Agglomération du banc d'essai", slug=SLUG)
    organisation.logo.save("logo-banc.png", ContentFile(png_logo()))
    user = User.objects.create_user(email=f"acheteur@{SLUG}.example", password=None)
    Membership.objects.create(user=user, organisation=organisation, role=Role.BUYER)
    text = save_text_version(
        organisation=organisation,
        kind=SpecificationTextKind.ENCART,
        title="Politique d'égalité entre les femmes et les hommes",
        body="Signataire de la charte européenne, l'Agglomération encourage ses partenaires à agir. " * 4,
        user=user,
    )
    validate_text_version(text=text, user=user)
    market = Market.objects.create(
        organisation=organisation,
        reference="BANC-2026-001",
        title="Rénovation de la médiathèque",
        market_type=MarketType.TRAVAUX,
        published_on=timezone.localdate(),
    )
    draft = create_draft(organisation=organisation, market=market)
    fill_all(Client(), draft, ANSWERS)
    assert AnnexResponse.objects.filter(organisation=organisation).count() == 1
    return organisation, user, market, draft.resume_token


def measure(client: Client, url: str, *, count: int, empty_cache: bool) -> list[float]:
    times = []
    for _ in range(count):
        if empty_cache:
            cache.clear()
        begin = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - begin)
        assert response.status_code == 200, (url, response.status_code)
        assert len(response.content) > 1000
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold", type=int, default=10, help="downloads with the cache emptied before each")
    parser.add_argument("--warm", type=int, default=200, help="downloads of the same document")
    parser.add_argument("--redis", default="", help="Redis URL of the cache (a database the benchmark may empty)")
    arguments = parser.parse_args()
    caches = (
        {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": arguments.redis}}
        if arguments.redis
        else settings.CACHES
    )
    quiet = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with override_settings(CACHES=caches, ALLOWED_HOSTS=["testserver"], **quiet):
        organisation, user, market, token = setup()
        try:
            staff = Client()
            staff.force_login(user)
            public = Client()
            documents = [
                ("Fiche PDF", staff, reverse("questionnaire:market_fiche_pdf", args=[market.pk])),
                ("Fiche DOCX", staff, reverse("questionnaire:market_fiche_docx", args=[market.pk])),
                ("Accusé de réception PDF", public, reverse("questionnaire:receipt_pdf", args=[token])),
            ]
            cache_name = caches["default"]["BACKEND"].rsplit(".", 1)[-1]
            print(f"Cache : {cache_name} ; {arguments.cold} téléchargements à froid, {arguments.warm} à chaud")
            for _label, client, url in documents:  # loads WeasyPrint, fonts and templates once
                measure(client, url, count=1, empty_cache=True)
            header = f"{'Document':26} {'froid p50':>10} {'froid p95':>10} {'chaud p50':>10} {'chaud p95':>10}"
            print(header + f" {'chaud max':>10} {'froid/chaud':>12}  objectif < 300 ms")
            for label, client, url in documents:
                cold = measure(client, url, count=arguments.cold, empty_cache=True)
                cache.clear()
                warm = measure(client, url, count=arguments.warm, empty_cache=False)
                cold_p95, warm_p95 = percentile(cold, 0.95), percentile(warm, 0.95)
                print(
                    f"{label:26} {statistics.median(cold) * 1000:8.1f} ms {cold_p95 * 1000:7.1f} ms "
                    f"{statistics.median(warm) * 1000:7.1f} ms {warm_p95 * 1000:7.1f} ms {max(warm) * 1000:7.1f} ms "
                    f"{cold_p95 / warm_p95:10.1f} ×  {'atteint' if warm_p95 < TARGET_SECONDS else 'NON ATTEINT'}",
                    flush=True,
                )
        finally:
            cleanup()
            cache.clear()


if __name__ == "__main__":
    main()
