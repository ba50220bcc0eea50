"""The same write sent two to four times at once (a double click, a retry, two tabs, a hostile client), on every
write path of the staff pages, the commands and the API: no server error, no duplicate where the design keeps one
row, and the second request gets a French answer or the same result.

The requests run in threads released together by a barrier, each on its own database connection; PostgreSQL takes
row locks and checks unique constraints between them. SQLite (the default test database) writes one transaction at a
time (`transaction_mode` IMMEDIATE) and shares one in-memory database between the threads badly: these tests need
PostgreSQL."""

import io
import sys
import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.urls import reverse

from procurement.enums import Role
from procurement.models import Lot, Market
from tests.api.factories import bearer, new_token
from tests.procurement.factories import MarketFactory, member
from tests.utils import text_of

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Les écritures simultanées demandent PostgreSQL."),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls: Callable[[], object]) -> list:
    """Runs the calls in threads released together; returns each call's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # returned to the test, which says what it expects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def server_errors():
    """The exceptions that reached Django's handler (a 500) during the test, from any thread."""
    caught: list[BaseException] = []

    def record(sender, **kwargs):
        caught.append(sys.exc_info()[1])

    got_request_exception.connect(record, weak=False, dispatch_uid="concurrent-writes")
    yield caught
    got_request_exception.disconnect(dispatch_uid="concurrent-writes")


def signed_in(user) -> Client:
    """A browser of its own (session, cookies) for `user`; a 500 is returned, not raised (see `server_errors`)."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def posts(clients: list[Client], url: str, data: dict | Callable[[], dict], **extra) -> list:
    """The same POST from every client at once; `data` may build a fresh body (an upload) for each."""

    def send(client):
        return lambda: client.post(url, data() if callable(data) else data, **extra)

    return at_once(*[send(client) for client in clients])


def statuses(responses: list) -> list:
    return sorted(getattr(response, "status_code", repr(response)) for response in responses)


@pytest.fixture
def buyers(organisation):
    return [signed_in(member(organisation=organisation, role=Role.BUYER)) for _ in range(3)]


def api_callers(organisation, *, role=Role.BUYER, count=3) -> list[dict]:
    return [bearer(new_token(organisation=organisation, role=role)[1]) for _ in range(count)]


def upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


# --- Markets and lots ------------------------------------------------------------------------------------------

MARKET = {
    "reference": "2026-TRX-014",
    "title": "Rénovation énergétique d'un groupe scolaire",
    "market_type": "travaux",
    "published_on": "2026-03-15",
}
DUPLICATE_REFERENCE = "Un autre marché de votre organisation porte déjà cette référence."


def test_one_market_from_a_triple_click_on_create(buyers, organisation, server_errors):
    responses = posts(buyers, reverse("procurement:market_create"), MARKET)

    assert server_errors == []
    assert statuses(responses) == [200, 200, 302]
    assert Market.objects.filter(organisation=organisation).count() == 1
    refused = [response for response in responses if response.status_code == 200]
    assert all(DUPLICATE_REFERENCE in text_of(response) for response in refused)


def test_one_market_from_the_same_api_create_sent_three_times(client, organisation, server_errors):
    def create(credentials):
        return lambda: Client(raise_request_exception=False).post(
            reverse("api:markets"), MARKET, content_type="application/json", **credentials
        )

    responses = at_once(*[create(credentials) for credentials in api_callers(organisation)])

    assert server_errors == []
    assert statuses(responses) == [201, 400, 400]
    assert Market.objects.filter(organisation=organisation).count() == 1
    refused = [response.json() for response in responses if response.status_code == 400]
    assert all(
        body["errors"] == [{"ligne": None, "champ": "reference", "raison": DUPLICATE_REFERENCE}] for body in refused
    )


def test_two_markets_renamed_to_the_same_reference_at_once_through_the_api(organisation, server_errors):
    markets = [MarketFactory(organisation=organisation, reference=f"M-{number}") for number in range(2)]

    def rename(market, credentials):
        return lambda: Client(raise_request_exception=False).patch(
            reverse("api:market", kwargs={"pk": market.pk}),
            {"reference": "M-NOUVEAU"},
            content_type="application/json",
            **credentials,
        )

    callers = api_callers(organisation, count=2)
    responses = at_once(*[rename(market, credentials) for market, credentials in zip(markets, callers, strict=True)])

    assert server_errors == []
    assert statuses(responses) == [200, 400]
    assert Market.objects.filter(organisation=organisation, reference="M-NOUVEAU").count() == 1


def test_one_lot_from_a_triple_click_on_add(buyers, organisation, server_errors):
    market = MarketFactory(organisation=organisation)

    responses = posts(buyers, reverse("procurement:market_detail", args=[market.pk]), {"number": "2", "title": "Lot"})

    assert server_errors == []
    assert statuses(responses) == [302, 400, 400]
    assert market.lots.count() == 1
    refused = [response for response in responses if response.status_code == 400]
    assert all("Ce marché a déjà un lot portant ce numéro." in text_of(response) for response in refused)


def test_a_lot_deleted_from_three_tabs_at_once(buyers, organisation, server_errors):
    market = MarketFactory(organisation=organisation)
    lot = Lot.objects.create(market=market, number=1, title="Lot")

    responses = posts(buyers, reverse("procurement:lot_delete", args=[market.pk, lot.pk]), {})

    assert server_errors == []
    assert set(statuses(responses)) <= {302, 404}
    assert not market.lots.exists()


MARKETS_FILE = (
    "reference;title;market_type;published_on\n"
    "2026-TRX-001;Réhabilitation du centre aquatique;travaux;2026-01-15\n"
    "2026-SRV-002;Entretien des espaces verts;services;2026-02-01\n"
).encode()


def test_one_market_per_reference_from_the_import_page_sent_three_times(buyers, organisation, server_errors):
    responses = posts(buyers, reverse("procurement:market_import"), lambda: {"file": upload("m.csv", MARKETS_FILE)})

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert Market.objects.filter(organisation=organisation).count() == 2


def test_one_market_per_reference_from_the_api_import_sent_three_times(organisation, server_errors):
    def send(credentials):
        return lambda: Client(raise_request_exception=False).post(
            reverse("api:market_import"), {"file": upload("m.csv", MARKETS_FILE)}, **credentials
        )

    responses = at_once(*[send(credentials) for credentials in api_callers(organisation)])

    assert server_errors == []
    assert statuses(responses) == [200, 200, 200]
    assert sorted(response.json()["created"] for response in responses) == [0, 0, 2]
    assert Market.objects.filter(organisation=organisation).count() == 2


def test_one_market_per_reference_from_the_command_run_three_times(organisation, tmp_path):
    path = tmp_path / "marches.csv"
    path.write_bytes(MARKETS_FILE)

    def run():
        output = io.StringIO()
        call_command("import_markets", str(path), organisation=organisation.slug, stdout=output)
        return output.getvalue()

    outcomes = at_once(run, run, run)

    assert [outcome for outcome in outcomes if isinstance(outcome, BaseException)] == []
    assert sorted(outcome.strip() for outcome in outcomes) == [
        "0 marché(s) créé(s), 0 mis à jour, 2 inchangé(s).",
        "0 marché(s) créé(s), 0 mis à jour, 2 inchangé(s).",
        "2 marché(s) créé(s), 0 mis à jour, 0 inchangé(s).",
    ]
    assert Market.objects.filter(organisation=organisation).count() == 2
