"""The one writer of a contract in the format 2.0 (`market_record` of procurement/awards/demo.py), shared by the demo
file, the DECP benchmark and the tests' files: what it writes is read without any deviation."""

import io

from procurement.awards import demo
from procurement.awards.enums import HolderRole
from procurement.awards.services import import_decp
from procurement.models import Market, MarketHolder
from tests.procurement.awards.factories import BUYER_SIREN, BUYER_SIRET, A, B, C, D, decp_file
from tests.procurement.factories import OrganisationFactory


def test_the_demo_file_imports_every_contract_without_a_deviation():
    organisation = OrganisationFactory(siren=BUYER_SIREN)

    run = demo.seed(organisation=organisation, respondent_sirens=[A[0], B[0]])

    assert run.report == []
    assert run.deviations == 0
    assert run.markets_created == demo.CONTRACT_COUNT
    assert set(MarketHolder.objects.filter(market__organisation=organisation).values_list("siren", flat=True)) >= {
        A[0],
        B[0],
    }


def test_a_contract_with_every_option_of_the_writer_imports_without_a_deviation():
    organisation = OrganisationFactory(siren=BUYER_SIREN)
    record = demo.market_record(
        "W-1",
        buyer=BUYER_SIRET,
        cpv="90910000-9",
        procedure="Procédure adaptée",
        notified_on="2025-03-01",
        amount=50000,
        duration=12,
        holders=[A[1], B[1]],
        social=["Clause sociale"],
        subcontractors=[(C[1], 8000)],
        modifications=[
            demo.modification_record(notified_on="2025-06-01", published_on="2025-06-03", amount=60000, duration=18),
            demo.modification_record(2, notified_on="2025-09-01", holders=[A[1], B[1], D[1]]),
        ],
    )

    run = import_decp(organisation=organisation, stream=io.BytesIO(decp_file(record)), filename="decp.json")

    assert run.report == []
    market = Market.objects.get(organisation=organisation)
    assert (market.title, market.awarded_amount, market.duration_months) == ("Marché W-1", 60000, 18)
    current = {(holder.siren, holder.role) for holder in market.holders.filter(is_current=True)}
    assert current == {
        (A[0], HolderRole.GROUPEMENT_MEMBER),
        (B[0], HolderRole.GROUPEMENT_MEMBER),
        (D[0], HolderRole.GROUPEMENT_MEMBER),
        (C[0], HolderRole.SUBCONTRACTOR),
    }
