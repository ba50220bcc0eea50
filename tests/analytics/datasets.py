"""A small year of data for one buyer, shared by the export and command tests (figures worked out where used)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from clauses.enums import Sex
from questionnaire.enums import EqualityIndexStatus
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import MarketFactory
from tests.questionnaire.factories import AnnexResponseFactory

PARIS = ZoneInfo("Europe/Paris")
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
NO_STAFF = {f"{scope}_{category}": 0 for scope in ("cadres", "non_cadres") for category in ("f", "h", "nb", "nsp")}
MAY_10 = datetime.datetime(2025, 5, 10, 9, 0, tzinfo=PARIS)
# Paris time, unlike tests/analytics/conftest.py's JUNE (10:00 UTC).
JUNE_15 = datetime.datetime(2025, 6, 15, 10, 0, tzinfo=PARIS)


def respond(organisation, *, at=MAY_10, **fields):
    """A response submitted `at`, with no staff but the headcounts given in `fields`."""
    return AnnexResponseFactory(organisation=organisation, submitted_at=at, **{**NO_STAFF, **fields})


def year_of_data(organisation) -> None:
    """4 structures (27 + 60 + 5 + 100 = 192 people, 62 women); 2 clause participants (1 woman: 20 h of 50 h)."""
    respond(organisation, cadres_f=2, cadres_h=3, non_cadres_f=10, non_cadres_h=12, has_board=True,
            board_women_pct=Decimal("40"), president="F", secretary="H", treasurer="F",
            commitment_training=True, policy_text="Charte égalité")  # fmt: skip
    respond(organisation, non_cadres_f=20, non_cadres_h=40, has_board=True, board_women_pct=Decimal("50"),
            president="H", secretary="F", treasurer="H",
            equality_index_status=EqualityIndexStatus.SCORE, equality_index_score=88)  # fmt: skip
    respond(organisation, cadres_nb=1, non_cadres_nsp=4, has_board=False)
    respond(organisation, cadres_f=30, cadres_h=70, has_board=True, board_women_pct=Decimal("20"), president="F",
            equality_index_status=EqualityIndexStatus.SCORE, equality_index_score=70)  # fmt: skip
    market = MarketFactory(organisation=organisation, published_on=datetime.date(2025, 3, 1))
    InsertionClauseFactory(market=market)
    for sex, hours in ((Sex.F, "20.00"), (Sex.H, "30.00")):
        participant = ParticipantFactory(organisation=organisation, sex=sex)
        mission = MissionFactory(participant=participant, market=market)
        HoursRecordFactory(mission=mission, month=datetime.date(2025, 3, 1), hours=Decimal(hours))
