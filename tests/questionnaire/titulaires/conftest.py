"""A buyer whose 2025 markets come from the hand-built DECP file (tests/procurement/awards/factories.py):
titulaires A, B, C, D, F (E is a declared subcontractor); A answered the annex in 2025."""

import datetime
import io

import pytest

from procurement.awards.services import import_decp
from procurement.enums import Role
from tests.procurement.awards.factories import BUYER_SIREN, A, hand_built_file
from tests.procurement.factories import OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory


@pytest.fixture
def buyer():
    organisation = OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)
    import_decp(organisation=organisation, stream=io.BytesIO(hand_built_file()), filename="decp-2025.json")
    return organisation


@pytest.fixture
def answer_of_a(buyer):
    return AnnexResponseFactory(
        organisation=buyer,
        siret=A[1],
        structure_name="Alpha Bâtiment",
        contact_email="rh@alpha.example",
        submitted_at=datetime.datetime(2025, 4, 2, 10, 0, tzinfo=datetime.UTC),
        cadres_f=3,
        cadres_h=1,
        non_cadres_f=6,
        non_cadres_h=10,
        has_board=True,
        board_women_pct=40,
    )


@pytest.fixture
def buyer_account(buyer):
    user = member(organisation=buyer, role=Role.BUYER)
    user.first_name, user.last_name = "Camille", "Durand"
    user.save()
    return user


@pytest.fixture
def buyer_client(client, buyer_account):
    client.force_login(buyer_account)
    return client
