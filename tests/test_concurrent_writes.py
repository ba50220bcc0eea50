"""The same write sent two to four times at once (a double click, a retry, two tabs, a hostile client), on every
write path of the staff pages, the commands and the API: no server error, no duplicate where the design keeps one
row, and the second request gets a French answer or the same result.

The requests run in threads released together by a barrier, each on its own database connection; PostgreSQL takes
row locks and checks unique constraints between them. SQLite (the default test database) writes one transaction at a
time (`transaction_mode` IMMEDIATE) and shares one in-memory database between the threads badly: these tests need
PostgreSQL."""

import datetime
import io
import sys
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.urls import reverse

from analytics import services as analytics_services
from analytics.models import AnalyticsSettings, IndicatorJob, IndicatorSnapshot, OpenDataPublication
from api.models import ApiToken
from clauses.models import Employer, HoursRecord, InsertionClause, JobReference, Mission, Participant
from procurement.accounts.services import members as members_services
from procurement.awards.services import import_decp
from procurement.enums import Role
from procurement.models import (
    DecpImport,
    Invitation,
    LegalDetails,
    Lot,
    Market,
    MarketAward,
    MarketHistoryEntry,
    Membership,
    Organisation,
    SpecificationText,
    StampedSpecification,
    User,
)
from questionnaire.models import AnnexResponse, QuestionnaireSettings, Reminder
from registers.models import EgaproLoad, PublishedIndex
from tests.analytics.factories import computed_job_2025
from tests.api.factories import bearer, new_token
from tests.clauses.factories import SIRETS, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.awards.factories import BUYER_SIREN, B, hand_built_file
from tests.procurement.factories import MarketFactory, OrganisationFactory, UserFactory, member, validated_encart
from tests.procurement.specifications.documents import minimal
from tests.questionnaire.test_import import SIRET_B
from tests.questionnaire.test_import import csv_bytes as annex_csv
from tests.questionnaire.test_import import row as annex_row
from tests.registers.factories import egapro_row, xlsx_file
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


def test_two_markets_renamed_to_the_same_reference_at_once_on_their_pages(buyers, organisation, server_errors):
    markets = [MarketFactory(organisation=organisation, reference=f"M-{number}") for number in range(2)]

    def rename(client, market):
        url = reverse("procurement:market_update", args=[market.pk])
        return lambda: client.post(url, {**MARKET, "reference": "M-NOUVEAU"})

    responses = at_once(*[rename(client, market) for client, market in zip(buyers, markets, strict=False)])

    assert server_errors == []
    assert statuses(responses) == [200, 302]
    assert Market.objects.filter(organisation=organisation, reference="M-NOUVEAU").count() == 1
    (refused,) = [response for response in responses if response.status_code == 200]
    assert DUPLICATE_REFERENCE in text_of(refused)
    # The page shown again names the market by its stored reference (breadcrumb), not the refused one.
    (kept,) = Market.objects.filter(organisation=organisation).exclude(reference="M-NOUVEAU")
    assert kept.reference in text_of(refused)


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


# --- Insertion clauses: clauses, participants, missions, hours ------------------------------------------------


@pytest.fixture
def facilitators(organisation):
    return [signed_in(member(organisation=organisation, role=Role.FACILITATOR)) for _ in range(3)]


def market_awaiting_its_clause(organisation, reference="2025-TRX-001"):
    """A market that plans insertion hours over its execution dates, without a clause recorded yet."""
    return MarketFactory(
        organisation=organisation,
        reference=reference,
        insertion_hours_planned=Decimal(300),
        execution_start=datetime.date(2025, 1, 1),
        execution_end=datetime.date(2025, 12, 31),
    )


def test_one_clause_from_a_triple_click_on_save(facilitators, organisation, server_errors):
    market = market_awaiting_its_clause(organisation)
    clause = {
        "hours_planned": "300",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "holder_name": "",
        "holder_siret": "",
    }

    responses = posts(facilitators, reverse("clauses:clause_create", args=[market.pk]), clause)

    assert server_errors == []
    assert statuses(responses) == [200, 200, 302]
    assert InsertionClause.objects.filter(market=market).count() == 1
    refused = [response for response in responses if response.status_code == 200]
    assert all("Une clause d'insertion existe déjà pour ce marché." in text_of(response) for response in refused)


def test_one_participant_from_a_triple_click_on_save(facilitators, organisation, server_errors):
    responses = posts(facilitators, reverse("clauses:participant_create"), {"reference": "P-NEW", "sex": "F"})

    assert server_errors == []
    assert statuses(responses) == [200, 200, 302]
    assert Participant.objects.filter(organisation=organisation).count() == 1
    refused = [response for response in responses if response.status_code == 200]
    assert all("Cette référence est déjà celle d'un·e autre participant·e." in text_of(r) for r in refused)


MISSION = {
    "employer_siret": SIRETS[0],
    "employer_name": "Aide et Services",
    "employer_kind": "siae",
    "contract_type": "CDDI",
    "job_label": "Aide à domicile",
    "job_dominance": "",
    "start": "2025-03-01",
    "end": "",
}
MISSION_TAKEN = "Cette personne a déjà une mission sur ce marché chez cet employeur\u00a0: modifiez-la."


def test_one_mission_from_a_triple_click_on_save(facilitators, organisation, server_errors):
    market = InsertionClauseFactory(market__organisation=organisation).market
    participant = ParticipantFactory(organisation=organisation)

    url = reverse("clauses:mission_create", args=[participant.pk])
    responses = posts(facilitators, url, {**MISSION, "market": market.pk})

    assert server_errors == []
    assert statuses(responses) == [200, 200, 302]
    assert Mission.objects.filter(participant=participant).count() == 1
    assert Employer.objects.filter(organisation=organisation).count() == 1
    refused = [response for response in responses if response.status_code == 200]
    assert all(MISSION_TAKEN in text_of(response) for response in refused)


def test_a_mission_saved_again_as_new_is_refused_in_french(organisation, server_errors):
    mission = MissionFactory(participant__organisation=organisation, employer__siret=SIRETS[0])
    InsertionClauseFactory(market=mission.market)
    client = signed_in(member(organisation=organisation, role=Role.FACILITATOR))

    url = reverse("clauses:mission_create", args=[mission.participant.pk])
    response = client.post(url, {**MISSION, "market": mission.market.pk})

    assert server_errors == []
    assert response.status_code == 200
    assert MISSION_TAKEN in text_of(response)
    assert Mission.objects.count() == 1


def test_missions_of_three_people_on_a_market_awaiting_its_clause_record_one_clause(
    facilitators, organisation, server_errors
):
    market = market_awaiting_its_clause(organisation)
    participants = [ParticipantFactory(organisation=organisation) for _ in facilitators]
    # Three employers: the missions do not wait for one another on a new employer's row.

    def save(client, participant, siret):
        url = reverse("clauses:mission_create", args=[participant.pk])
        return lambda: client.post(url, {**MISSION, "market": market.pk, "employer_siret": siret})

    people = zip(facilitators, participants, SIRETS, strict=False)
    responses = at_once(*[save(client, person, siret) for client, person, siret in people])

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert InsertionClause.objects.filter(market=market).count() == 1
    assert Mission.objects.filter(market=market).count() == 3


HOURS_HEADER = (
    "market_reference;participant_ref;sex;birth_year;employer_siret;job_label;job_dominance;contract_type;month;hours"
)
HOURS_FILE = (
    f"{HOURS_HEADER}\n"
    f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35\n"
    f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-02;40,5\n"
    f"2025-TRX-002;P-2;H;1985;{SIRETS[1]};Aide à domicile;female;interim;2025-01;12.25\n"
).encode()


def assert_hours_stored_once(organisation):
    assert Participant.objects.filter(organisation=organisation).count() == 2
    assert Mission.objects.filter(participant__organisation=organisation).count() == 2
    assert HoursRecord.objects.filter(mission__participant__organisation=organisation).count() == 3
    assert InsertionClause.objects.filter(market__organisation=organisation).count() == 2


def test_the_hours_import_page_sent_three_times_at_once_stores_the_hours_once(
    facilitators, organisation, server_errors
):
    InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001")
    market_awaiting_its_clause(organisation, "2025-TRX-002")

    responses = posts(facilitators, reverse("clauses:hours_import"), lambda: {"file": upload("h.csv", HOURS_FILE)})

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert_hours_stored_once(organisation)


def test_the_hours_import_command_run_three_times_at_once_stores_the_hours_once(organisation, tmp_path):
    InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001")
    market_awaiting_its_clause(organisation, "2025-TRX-002")
    path = tmp_path / "heures.csv"
    path.write_bytes(HOURS_FILE)

    def run():
        call_command("import_clause_hours", str(path), organisation=organisation.slug, stdout=io.StringIO())

    outcomes = at_once(run, run, run)

    assert outcomes == [None, None, None]
    assert_hours_stored_once(organisation)


def test_the_same_hours_posted_three_times_at_once_to_the_api_are_stored_once(organisation, server_errors):
    InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001")
    market_awaiting_its_clause(organisation, "2025-TRX-002")
    header = HOURS_HEADER.split(";")
    statements = [dict(zip(header, line.split(";"), strict=True)) for line in HOURS_FILE.decode().splitlines()[1:]]

    def send(credentials):
        return lambda: Client(raise_request_exception=False).post(
            reverse("api:clause_hours"), {"statements": statements}, content_type="application/json", **credentials
        )

    responses = at_once(*[send(credentials) for credentials in api_callers(organisation, role=Role.FACILITATOR)])

    assert server_errors == []
    assert statuses(responses) == [200, 200, 200]
    assert sorted(response.json()["clauses_created"] for response in responses) == [0, 0, 1]
    assert_hours_stored_once(organisation)


def test_the_hours_of_a_month_saved_from_three_tabs_at_once(facilitators, organisation, server_errors):
    mission = MissionFactory(participant__organisation=organisation)
    url = reverse("clauses:mission_hours", args=[mission.participant.pk, mission.pk])

    responses = posts(facilitators, url, {"month": "2025-03", "hours": "35"})

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert list(HoursRecord.objects.values_list("hours", flat=True)) == [Decimal(35)]


def test_clause_settings_and_a_job_saved_from_three_tabs_at_once(organisation, server_errors):
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(3)]
    url = reverse("clauses:settings")

    settings_saved = posts(admins, url, {"retention_months": "24", "dominance_threshold": "70"})
    job_saved = posts(admins, url, {"action": "job", "label": "Maçonne", "women_share": "12"})

    assert server_errors == []
    assert statuses(settings_saved) == statuses(job_saved) == [302, 302, 302]
    assert organisation.clause_settings.retention_months == 24
    assert JobReference.objects.filter(organisation=organisation).count() == 1


# --- Statistics: computations, frozen figures, open data, settings --------------------------------------------


@pytest.fixture
def queued_jobs(monkeypatch):
    """The ids of the jobs sent to the worker; the jobs stay queued, as they do until a worker takes them."""
    sent: list[int] = []
    monkeypatch.setattr(analytics_services, "enqueue", lambda *, job_id: sent.append(job_id))
    return sent


def test_a_triple_click_on_compute_queues_one_computation(organisation, queued_jobs, server_errors):
    officers = [signed_in(member(organisation=organisation, role=Role.EQUALITY_OFFICER)) for _ in range(3)]

    responses = posts(officers, reverse("analytics:compute"), {"annee": "2025"})

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert len({response.url for response in responses}) == 1
    assert IndicatorJob.objects.filter(organisation=organisation).count() == 1
    assert len(queued_jobs) == 1


def test_the_same_api_job_posted_three_times_queues_one_computation(organisation, queued_jobs, server_errors):
    def send(credentials):
        return lambda: Client(raise_request_exception=False).post(
            reverse("api:jobs"),
            {"start": "2025-01-01", "end": "2025-12-31"},
            content_type="application/json",
            **credentials,
        )

    responses = at_once(*[send(credentials) for credentials in api_callers(organisation)])

    assert server_errors == []
    assert statuses(responses) == [202, 202, 202]
    assert len({response.json()["id"] for response in responses}) == 1
    assert IndicatorJob.objects.filter(organisation=organisation).count() == 1


def computed_2025(organisation, user, django_capture_on_commit_callbacks) -> IndicatorSnapshot:
    return computed_job_2025(django_capture_on_commit_callbacks, organisation=organisation, requested_by=user).snapshot


def test_two_computations_of_one_year_frozen_at_once_freeze_one(
    organisation, django_capture_on_commit_callbacks, server_errors
):
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(2)]
    user = member(organisation=organisation, role=Role.ADMIN)
    # Two computations of 2025 stored side by side: the first one was frozen meanwhile, so the second one stays.
    first = computed_2025(organisation, user, django_capture_on_commit_callbacks)
    IndicatorSnapshot.objects.filter(pk=first.pk).update(frozen_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    second = computed_2025(organisation, user, django_capture_on_commit_callbacks)
    IndicatorSnapshot.objects.filter(pk=first.pk).update(frozen_at=None)

    def freeze(client, snapshot):
        return lambda: client.post(reverse("analytics:freeze", args=[snapshot.pk]), follow=True)

    responses = at_once(*[freeze(client, snapshot) for client, snapshot in zip(admins, [first, second], strict=True)])

    assert server_errors == []
    assert statuses(responses) == [200, 200]
    assert IndicatorSnapshot.objects.filter(organisation=organisation).frozen().count() == 1
    pages = " ".join(text_of(response) for response in responses)
    assert "Cette période est déjà figée" in pages


def test_a_year_published_from_three_tabs_at_once_is_published_once(
    organisation, django_capture_on_commit_callbacks, server_errors
):
    user = member(organisation=organisation, role=Role.ADMIN)
    snapshot = analytics_services.freeze_snapshot(
        snapshot=computed_2025(organisation, user, django_capture_on_commit_callbacks), frozen_by=user
    )
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(3)]

    responses = posts(admins, reverse("analytics:open_data_publish", args=[snapshot.pk]), {}, follow=True)

    assert server_errors == []
    assert statuses(responses) == [200, 200, 200]
    assert OpenDataPublication.objects.filter(organisation=organisation).count() == 1


def test_statistics_settings_saved_from_three_tabs_at_once(organisation, server_errors):
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(3)]

    responses = posts(admins, reverse("analytics:settings"), {"secrecy_enabled": "on", "secrecy_threshold": "5"})

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert AnalyticsSettings.objects.get(organisation=organisation).secrecy_threshold == 5


# --- Members, API tokens ----------------------------------------------------------------------------------------


def test_one_invitation_from_a_triple_click_on_invite(organisation, server_errors):
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(3)]

    responses = posts(admins, reverse("member_invite"), {"email": "camille@ville.example", "role": Role.BUYER})

    assert server_errors == []
    assert statuses(responses) == [200, 200, 302]
    assert Invitation.objects.filter(organisation=organisation).count() == 1
    refused = [response for response in responses if response.status_code == 200]
    assert all("Une invitation attend déjà camille@ville.example" in text_of(response) for response in refused)


def test_an_invitation_accepted_from_three_tabs_at_once_makes_one_account(organisation, server_errors):
    invitation = members_services.invite(
        organisation=organisation, email="camille@ville.example", role=Role.BUYER, invited_by=None
    )
    url = reverse("invitation_accept", args=[members_services.invitation_token(invitation)])
    password = "Un-mot-de-passe-solide-9"
    signup = {"first_name": "Camille", "last_name": "Martin", "password1": password, "password2": password}
    tabs = [Client(raise_request_exception=False) for _ in range(3)]

    responses = posts(tabs, url, signup)

    assert server_errors == []
    # A tab that arrives once the account is made finds the link used up (410).
    codes = statuses(responses)
    assert codes.count(302) == 1 and set(codes) <= {200, 302, 410}
    assert User.objects.filter(email="camille@ville.example").count() == 1
    assert Membership.objects.filter(organisation=organisation, user__email="camille@ville.example").count() == 1
    refused = [text_of(response) for response in responses if response.status_code == 200]
    assert all("L'invitation de camille@ville.example n'est plus en attente." in text for text in refused)


def test_an_invitation_accepted_by_its_signed_in_invitee_from_three_tabs_at_once(organisation, server_errors):
    user = User.objects.create_user(email="camille@ville.example", password="Un-mot-de-passe-solide-9")
    invitation = members_services.invite(organisation=organisation, email=user.email, role=Role.BUYER, invited_by=None)
    tabs = [signed_in(user) for _ in range(3)]

    responses = posts(tabs, reverse("invitation_accept", args=[members_services.invitation_token(invitation)]), {})

    assert server_errors == []
    assert set(statuses(responses)) <= {302, 410}
    assert Membership.objects.filter(organisation=organisation, user=user).count() == 1


def test_one_organisation_from_a_triple_click_on_create(server_errors):
    platform_admins = [signed_in(UserFactory(is_superuser=True, is_staff=True)) for _ in range(3)]
    data = {"name": "Ville de Denain", "slug": "", "siren": "", "admin_email": "dgs@denain.example"}

    responses = posts(platform_admins, reverse("platform_organisations"), data)

    assert server_errors == []
    assert statuses(responses) == [200, 200, 302]
    assert Organisation.objects.filter(slug="ville-de-denain").count() == 1
    assert Invitation.objects.filter(email="dgs@denain.example").count() == 1
    refused = [text_of(response) for response in responses if response.status_code == 200]
    assert all("Une organisation a déjà l'identifiant «\u00a0ville-de-denain\u00a0»" in text for text in refused)


def test_api_tokens_created_from_three_tabs_at_once(organisation, server_errors):
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(3)]
    expires_on = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()
    data = {"name": "Profil d'acheteur", "role": Role.BUYER, "expires_on": expires_on}

    responses = posts(admins, reverse("api_tokens:create"), data)

    assert server_errors == []
    assert statuses(responses) == [200, 200, 200]
    # No rule keeps one token per name: each page shows its own secret, once.
    assert ApiToken.objects.filter(organisation=organisation).count() == 3


# --- Imports: annexes, DECP, Egapro ---------------------------------------------------------------------------


def test_the_same_annexes_imported_from_three_tabs_at_once_are_stored_once(buyers, organisation, server_errors):
    content = annex_csv([annex_row(), annex_row(siret=SIRET_B, name="Autre", submitted_at="2025-04-01")])

    responses = posts(buyers, reverse("responses:import"), lambda: {"file": upload("annexes.csv", content)})

    assert server_errors == []
    assert statuses(responses) == [302, 302, 302]
    assert AnnexResponse.objects.filter(organisation=organisation).count() == 2
    assert AnnexResponse.objects.filter(organisation=organisation, is_latest=True).count() == 2


def test_the_same_decp_file_imported_from_three_tabs_at_once_creates_its_markets_once(server_errors):
    organisation = OrganisationFactory(siren=BUYER_SIREN)
    clients = [signed_in(member(organisation=organisation, role=Role.BUYER)) for _ in range(3)]
    content = hand_built_file()

    responses = posts(clients, reverse("procurement:decp_import"), lambda: {"file": upload("decp.json", content)})

    assert server_errors == []
    assert set(statuses(responses)) == {302}
    runs = DecpImport.objects.filter(organisation=organisation)
    assert runs.count() == 3
    created = sorted(run.markets_created for run in runs)
    assert created[:2] == [0, 0] and created[2] > 0
    assert Market.objects.filter(organisation=organisation).count() == created[2]
    assert MarketAward.objects.filter(organisation=organisation).count() == created[2]
    assert MarketHistoryEntry.objects.filter(market__organisation=organisation).count() == created[2]


def test_a_titulaire_reminded_from_three_tabs_at_once_is_reminded_once(server_errors):
    organisation = OrganisationFactory(siren=BUYER_SIREN)
    import_decp(organisation=organisation, stream=io.BytesIO(hand_built_file()), filename="decp-2025.json")
    market = Market.objects.get(organisation=organisation, holders__siren=B[0])
    clients = [signed_in(member(organisation=organisation, role=Role.BUYER)) for _ in range(3)]
    form = {"market": market.pk, "email": "", "next": reverse("titulaires:list")}

    responses = posts(clients, reverse("titulaires:remind", args=[B[0]]), form, follow=True)

    assert server_errors == []
    assert statuses(responses) == [200, 200, 200]
    assert Reminder.objects.filter(organisation=organisation, siren=B[0]).count() == 1
    assert sum("déjà été relancée le" in text_of(response) for response in responses) == 2


def test_two_egapro_files_loaded_at_once_leave_one_of_them_whole(server_errors):
    admins = [signed_in(UserFactory(is_superuser=True, is_staff=True)) for _ in range(2)]
    files = [
        xlsx_file([egapro_row(siren="552100554", index="91"), egapro_row(siren="732829320", index="80")]),
        xlsx_file([egapro_row(siren="356000000", index="75")]),
    ]

    def load(client, content):
        return lambda: client.post(reverse("registers:egapro_import"), {"file": upload("index.xlsx", content)})

    responses = at_once(*[load(client, content) for client, content in zip(admins, files, strict=True)])

    assert server_errors == []
    assert statuses(responses) == [302, 302]
    stored = sorted(PublishedIndex.objects.values_list("siren", "index"))
    assert stored in ([("552100554", 91), ("732829320", 80)], [("356000000", 75)])
    assert EgaproLoad.objects.get().rows == len(stored)


# --- Cahiers des charges, organisation settings ------------------------------------------------------------------


def test_a_cahier_des_charges_stamped_from_three_tabs_and_the_api_at_once(buyers, organisation, server_errors):
    market = MarketFactory(organisation=organisation)
    validated_encart(organisation=organisation)
    (credentials,) = api_callers(organisation, count=1)

    def page(client):
        url = reverse("procurement:market_specification", args=[market.pk])
        return lambda: client.post(url, {"file": upload("CCTP.docx", minimal())})

    def api():
        url = reverse("api:market_specification", kwargs={"pk": market.pk})
        return Client(raise_request_exception=False).post(url, {"file": upload("CCTP.docx", minimal())}, **credentials)

    responses = at_once(*[page(client) for client in buyers], api)

    assert server_errors == []
    assert statuses(responses) == [200, 302, 302, 302]
    # Each stamping is a document of its own (the list of the market's documents shows the four).
    assert StampedSpecification.objects.filter(market=market).count() == 4


def test_the_encart_saved_and_validated_from_three_tabs_at_once(organisation, server_errors):
    officers = [signed_in(member(organisation=organisation, role=Role.EQUALITY_OFFICER)) for _ in range(3)]
    text = {"title": "Égalité femmes-hommes", "body": "Nous promouvons l'égalité.", "action": "save"}

    saved = posts(officers, reverse("specifications:text_edit", args=["encart"]), text)
    validated = posts(officers, reverse("specifications:text_validate", args=["encart"]), {"version": 1})

    assert server_errors == []
    assert statuses(saved) == statuses(validated) == [302, 302, 302]
    assert SpecificationText.objects.filter(organisation=organisation, kind="encart").count() == 1
    assert SpecificationText.objects.get(organisation=organisation, kind="encart").is_validated


def test_legal_details_and_questionnaire_settings_saved_from_three_tabs_at_once(organisation, server_errors):
    admins = [signed_in(member(organisation=organisation, role=Role.ADMIN)) for _ in range(3)]
    details = {"controller_name": "", "controller_address": "Hôtel de ville", "dpo_contact": "dpo@a.example"}

    legal = posts(admins, reverse("legal_details"), details)
    questionnaire = posts(admins, reverse("responses:settings"), {"introduction": "Merci.", "save": "1"})

    assert server_errors == []
    assert statuses(legal) == statuses(questionnaire) == [302, 302, 302]
    assert LegalDetails.objects.filter(organisation=organisation).count() == 1
    assert QuestionnaireSettings.objects.get(organisation=organisation).introduction == "Merci."
