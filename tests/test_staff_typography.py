"""French typography of the staff's main pages, the ones whose figures go into reports: a space before « : »,
« ; », « ? », « ! », « » », after « « » and between a number and its unit (« 45 % », « 12 500 € HT ») is a no-break
space, so that on a 390 px phone a colon never starts a line (« Données modifiées depuis le calcul / : relancez le
calcul ») nor a unit leaves its number, as on the candidate pages (tests/questionnaire/test_candidate_typography.py;
tests/utils.py holds the scanner).

One buyer with data on every page (the authorisation matrix's: markets, responses, a computed and published year,
clauses, titulaires, an API token), browsed by its administrator."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.enums import Role
from tests.clauses.factories import HoursRecordFactory
from tests.procurement.factories import OrganisationFactory, member
from tests.test_authorisation_matrix import World, _build
from tests.utils import typography_faults

# (URL name, `World` method giving its arguments or None, query string)
PAGES = [
    ("analytics:dashboard", None, "?annee=2025"),
    ("procurement:market_detail", "market", ""),
    ("specifications:index", None, ""),
    ("clauses_report:report", None, "?annee=2025"),
    ("titulaires:company", "company", ""),
    ("members", None, ""),
    ("api_tokens:list", None, ""),
    ("analytics:open_data", None, ""),
]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="Communauté urbaine d'Arras", slug="arras")
    buyer = _build(organisation, django_capture_on_commit_callbacks)
    market = buyer.objects["market"]
    market.estimated_amount = market.awarded_amount = Decimal("12500")
    market.save()
    mission = buyer.objects["mission"]
    for month in (1, 2, 3):
        HoursRecordFactory(mission=mission, month=datetime.date(2025, month, 1), hours=Decimal("120.50"))
    return World(buyer)


@pytest.mark.parametrize(("name", "argument", "query"), PAGES, ids=[name for name, _argument, _query in PAGES])
def test_the_staff_pages_keep_their_signs_on_their_line(client, world, name, argument, query):
    client.force_login(member(organisation=world.organisation, role=Role.ADMIN))
    kwargs = {} if argument is None else getattr(world, argument)()

    page = client.get(reverse(name, kwargs=kwargs) + query)

    assert page.status_code == 200
    faults = typography_faults(page.content.decode(), units=True)
    assert not faults, "\n".join(faults)
