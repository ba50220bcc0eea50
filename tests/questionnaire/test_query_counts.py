"""SQL queries of every candidate step of the rush (benchmarks/load/locustfile.py walks the same pages).

Each step's count is pinned (a maximum: the count measured when it was written), and a second company answering
a market with more lots and more attachments must not cost more queries on any step: a query per lot or per
attachment (an N+1) fails here before it fails the load test.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questionnaire.models import AnnexResponse, Draft
from questionnaire.wizard import STEP_ATTACHMENTS, STEP_STRUCTURE
from tests.procurement.factories import LotFactory, MarketFactory
from tests.questionnaire.conftest import step_url, valid_steps
from tests.questionnaire.factories import siret_with_luhn

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Measured on the first walk (one lot, one attachment), the larger of SQLite's and PostgreSQL's; the second walk
# (four of each) may not exceed it, but for the one row written per uploaded file (five files at most).
PINNED = {
    "entrée GET": 2,
    "entrée POST": 6,
    "structure GET": 9,
    "structure POST": 13,
    "effectifs GET": 6,
    "effectifs POST": 11,
    "gouvernance GET": 6,
    "gouvernance POST": 11,
    "politique-interne GET": 6,
    "politique-interne POST": 11,
    "engagements GET": 6,
    "engagements POST": 11,
    "pieces-jointes GET": 8,
    "pieces-jointes POST": 17,
    "recapitulatif GET": 10,
    "recapitulatif POST": 28,  # 26 on SQLite
    "accusé de réception GET": 5,
    "accusé de réception PDF GET": 7,
}


def _walk(market, *, lots: int, attachments: int, siret: str) -> dict[str, int]:
    """One company's walk with a fresh browser, from the market's link to the receipt PDF: queries per request."""
    for number in range(1, lots + 1):
        LotFactory(market=market, number=number)
    client, counts = Client(), {}

    def measure(label: str, method: str, url: str, data: dict | None = None, *, expected: int = 200):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data or {})
        assert response.status_code == expected, f"{label}: {response.status_code}"
        counts[label] = len(queries)
        return response

    entry = reverse("questionnaire:market_entry", args=[market.candidate_token])
    measure("entrée GET", "get", entry)
    measure("entrée POST", "post", entry, expected=302)
    draft = Draft.objects.get(market=market)
    response = None
    for step, answers in valid_steps(siret=siret).items():
        url = step_url(draft, step)
        measure(f"{step} GET", "get", url)
        data = {"annexe-current_step": step, **answers}
        if step == STEP_STRUCTURE:
            data["lot"] = str(market.lots.order_by("number").last().pk)
        if step == STEP_ATTACHMENTS:
            data["files"] = [
                SimpleUploadedFile(f"piece-{index}.pdf", PDF_BYTES, content_type="application/pdf")
                for index in range(attachments)
            ]
        response = measure(f"{step} POST", "post", url, data, expected=302)
    measure("accusé de réception GET", "get", response["Location"])
    measure("accusé de réception PDF GET", "get", reverse("questionnaire:receipt_pdf", args=[draft.resume_token]))
    stored = AnnexResponse.objects.get(market=market)
    assert (stored.lot.number, stored.attachments.count()) == (lots, attachments)
    return counts


def test_every_candidate_step_has_a_pinned_query_count_that_does_not_grow_with_lots_or_attachments(organisation):
    first = _walk(
        MarketFactory(organisation=organisation), lots=1, attachments=1, siret=siret_with_luhn("7324567891234")
    )
    second = _walk(
        MarketFactory(organisation=organisation), lots=4, attachments=4, siret=siret_with_luhn("8324567891234")
    )

    assert list(first) == list(PINNED), first
    over = {step: (count, PINNED[step]) for step, count in first.items() if count > PINNED[step]}
    assert not over, f"queries (measured, pinned) over the pin: {over}; all: {first}"
    allowed = {step: (3 if step == f"{STEP_ATTACHMENTS} POST" else 0) for step in first}
    grown = {step: (first[step], second[step]) for step in first if second[step] > first[step] + allowed[step]}
    assert not grown, f"queries growing with lots or attachments (1 of each, 4 of each): {grown}"
