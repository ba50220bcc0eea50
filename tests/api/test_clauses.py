import datetime

import pytest
from django.urls import reverse

from analytics.indicators import compute_indicators
from analytics.serialisation import to_json
from clauses.models import HoursRecord
from clauses.services.hours_import import import_clause_hours
from procurement.enums import Role
from tests.clauses.factories import SIRETS, InsertionClauseFactory
from tests.procurement.factories import OrganisationFactory
from tests.utils import CLAUSE_HOURS_COLUMNS

ROWS = [
    ["2025-TRX-001", "P-1", "F", "1990", SIRETS[0], "Maçonne", "", "CDDI", "2025-01", "35"],
    ["2025-TRX-001", "P-1", "F", "1990", SIRETS[0], "Maçonne", "", "CDDI", "2025-02", "40.5"],
    ["2025-TRX-001", "P-2", "H", "1985", SIRETS[1], "Aide à domicile", "female", "interim", "2025-01", "12.25"],
]
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def statements() -> list[dict]:
    """The rows as a tool sends them: numbers as JSON numbers where natural."""
    items = [dict(zip(CLAUSE_HOURS_COLUMNS, row, strict=True)) for row in ROWS]
    for item in items:
        item["birth_year"] = int(item["birth_year"])
        item["hours"] = float(item["hours"])
    return items


def clause_indicators(organisation) -> list[dict]:
    return to_json(compute_indicators(organisations=organisation, start=YEAR[0], end=YEAR[1]), organisation_slug="x")[
        "clauses"
    ]


@pytest.fixture
def facilitator_api(api, organisation):
    InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001")
    return api(Role.FACILITATOR)


def test_posting_the_same_statements_twice_gives_the_indicators_of_one_file_import(facilitator_api, organisation):
    first = facilitator_api.post(reverse("api:clause_hours"), {"statements": statements()})
    second = facilitator_api.post(reverse("api:clause_hours"), {"statements": statements()})

    assert first.status_code == second.status_code == 200, first.json()
    assert first.json() == {
        "rows": 3,
        "participants": 2,
        "missions": 2,
        "hours": "87.75",
        "clauses_created": 0,
        "summary": "3 ligne(s) importée(s) : 87,75 heures pour 2 participant·e(s) et 2 mission(s).",
    }
    assert second.json()["hours"] == "87.75"
    assert HoursRecord.objects.count() == 3
    # The same statements imported once, as a file, by another organisation with the same market.
    other = OrganisationFactory(slug="autre")
    InsertionClauseFactory(market__organisation=other, market__reference="2025-TRX-001")
    content = "\n".join(";".join(row) for row in [CLAUSE_HOURS_COLUMNS, *ROWS]).encode()
    import_clause_hours(organisation=other, content=content, filename="releve.csv")
    assert clause_indicators(organisation) == clause_indicators(other)
    assert next(item for item in clause_indicators(organisation) if item["key"] == "hours_total")["value"] == 87.75


def test_bad_statements_save_nothing_and_are_named_by_their_position(facilitator_api):
    bad = statements()
    bad[0]["sex"] = "X"
    bad[2]["market_reference"] = "INCONNU"
    bad[2]["month"] = "2025-13"

    response = facilitator_api.post(reverse("api:clause_hours"), {"statements": bad})

    assert response.status_code == 400
    assert [(error["ligne"], error["champ"]) for error in response.json()["errors"]] == [
        (1, "sex"),
        (3, "market_reference"),
        (3, "month"),
    ]
    assert "aucun marché de votre organisation" in response.json()["errors"][1]["raison"]
    assert not HoursRecord.objects.exists()


def test_an_unknown_field_or_a_wrong_type_is_refused_by_name(facilitator_api):
    bad = statements()
    bad[1]["heures"] = 3
    bad[2]["hours"] = True

    response = facilitator_api.post(reverse("api:clause_hours"), {"statements": bad})

    assert response.status_code == 400
    assert {(error["ligne"], error["champ"]) for error in response.json()["errors"]} == {
        (2, "heures"),
        (3, "hours"),
    }
    assert not HoursRecord.objects.exists()


def test_the_clause_report_is_read_by_every_role(api, organisation):
    InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001")
    facilitator = api(Role.FACILITATOR)
    facilitator.post(reverse("api:clause_hours"), {"statements": statements()})

    report = api(Role.BUYER).get(reverse("api:clause_report"), {"year": 2025}).json()

    assert report["year"] == 2025
    by_key = {item["key"]: item for item in report["indicators"]}
    assert by_key["participants"]["value"] == 2
    assert [market["reference"] for market in report["markets"]] == ["2025-TRX-001"]
