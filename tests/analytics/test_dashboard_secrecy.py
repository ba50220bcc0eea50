"""The dashboard hides what the exports hide: with 2 structures and a threshold of 3, headcount shares too."""

from analytics.secrecy import SECRET_LABEL
from procurement.enums import Role
from tests.analytics.conftest import JUNE, START
from tests.questionnaire.factories import AnnexResponseFactory
from tests.utils import text_of


def test_headcount_shares_of_two_structures_are_secret_on_the_dashboard(client_with_role, organisation, compute):
    for _ in range(2):
        AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    compute(organisation)

    page = text_of(client_with_role(Role.EQUALITY_OFFICER).get(f"/statistiques/?annee={START.year}"))

    women = page.split("Part des femmes (effectifs)", 1)[1][:120]
    assert SECRET_LABEL in women
    assert "%" not in women.split(SECRET_LABEL, 1)[0]
