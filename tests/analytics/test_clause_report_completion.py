"""The clause report's « Réalisé / prévu » of a market without planned hours: « — », never a bar at 0 %
(docs/indicateurs.md: « Un dénominateur égal à 0 donne une valeur vide, affichée « — » : jamais 0 % »)."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from analytics.models import AnalyticsSettings
from clauses.enums import Sex
from procurement.enums import Role
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import MarketFactory
from tests.utils import text_of


def completion_cell(page: str, reference: str) -> str:
    row = re.search(rf'<span class="reference">{reference}</span>.*?</tr>', page, re.S)
    assert row, reference
    return re.findall(r"<td>(.*?)</td>", row[0], re.S)[-1]


def test_a_market_without_planned_hours_shows_no_completion_bar(client_with_role, organisation):
    AnalyticsSettings.objects.create(organisation=organisation, secrecy_enabled=False)
    without_clause = MarketFactory(organisation=organisation, reference="SANS-CLAUSE")
    with_clause = InsertionClauseFactory(market__organisation=organisation, market__reference="AVEC-CLAUSE").market
    for market in (without_clause, with_clause):
        mission = MissionFactory(participant=ParticipantFactory(organisation=organisation, sex=Sex.F), market=market)
        HoursRecordFactory(mission=mission, month=datetime.date(2025, 3, 1), hours=Decimal("12.50"))
    client = client_with_role(Role.FACILITATOR)

    page = text_of(client.get(reverse("clauses_report:report"), {"annee": 2025}))

    assert completion_cell(page, "SANS-CLAUSE").strip() == "—"
    assert "<progress" in completion_cell(page, "AVEC-CLAUSE")
