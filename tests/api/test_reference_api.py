"""The REST API (/api/v1/) against tests/analytics/reference.py, the independent computation written from
docs/indicateurs.md and docs/formats.md only.

One seed of tests/analytics/reference_data.py goes in through the API where the API takes data: the markets file
by `POST markets/import/` (a buyer's token) and the monthly hours, then their corrections, as JSON by
`POST clauses/hours/` (a facilitator's token); the annexes, the DECP, the Egapro file and the stamped
specifications through the management commands, as tests/analytics/test_reference_indicators.py does. Then, with an
equality officer's token, `GET statistics/indicators/` for each period, a computation requested by
`POST statistics/jobs/` and its snapshot, and `GET clauses/report/` (the buyer's totals, each market's line, the
table by market type) are compared exactly with the reference: every numerator, denominator and value.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from analytics import services as analytics_services
from analytics.models import IndicatorSnapshot
from procurement.enums import Role
from tests.analytics import reference as ref
from tests.analytics.reference_data import FRENCH_HOURS, JOBS, PERIODS, Dataset
from tests.analytics.test_reference_indicators import differences, imported_organisation
from tests.api.factories import bearer, new_token
from tests.procurement.factories import member

D = datetime.date
SEED, STYLE, THRESHOLD = 41, "csv-french", 70
API = "/api/v1"


def caller(client: Client, organisation, role: str):
    """Calls the API with a new token of `organisation` for `role`, created as the API tests create them."""
    _, secret = new_token(organisation=organisation, role=role)
    auth = bearer(secret)

    class Caller:
        def get(self, path, data=None):
            return client.get(f"{API}/{path}", data, **auth)

        def post(self, path, data):
            return client.post(f"{API}/{path}", data, content_type="application/json", **auth)

        def upload(self, path, filename):
            with Path(filename).open("rb") as handle:
                return client.post(f"{API}/{path}", {"file": handle}, **auth)

    return Caller()


def statements(lines: list[dict]) -> list[dict]:
    """The hours lines of the import file as the JSON entries of `POST clauses/hours/` (the same columns, the
    same cells)."""
    return [{column: line.get(column, "") for column in FRENCH_HOURS} for line in lines]


@pytest.fixture
def imported(tmp_path):
    """The seed's buyer, its markets and hours sent through the API, the rest through the commands."""
    client = Client()
    data = Dataset(SEED, STYLE)
    sent = {"markets": [], "hours": []}

    def send_markets(organisation, path):
        response = caller(client, organisation, Role.BUYER).upload("markets/import/", path)
        assert response.status_code == 200, response.content
        sent["markets"].append(response.json())

    def send_hours(organisation, lines, name):
        response = caller(client, organisation, Role.FACILITATOR).post(
            "clauses/hours/", {"statements": statements(lines)}
        )
        assert response.status_code == 200, response.content
        sent["hours"].append(response.json())

    organisation = imported_organisation(data, THRESHOLD, tmp_path, send_markets=send_markets, send_hours=send_hours)
    return data, organisation, client, sent


def test_the_api_computes_what_the_documentation_defines(imported, django_capture_on_commit_callbacks):
    data, organisation, client, sent = imported
    # What the API said it recorded: every market created, every statement, then the corrections replacing 15.
    assert sent["markets"][0]["created"] == len(data.markets)
    assert [answer["rows"] for answer in sent["hours"]] == [len(data.hours_lines), len(data.hours_corrections)]
    officer = caller(client, organisation, Role.EQUALITY_OFFICER)

    found = []
    for start, end in PERIODS:
        response = officer.get("statistics/indicators/", {"start": start.isoformat(), "end": end.isoformat()})
        assert response.status_code == 200, response.content
        printed = response.json()
        assert printed["organisation"] == organisation.slug
        assert printed["period"] == {"start": start.isoformat(), "end": end.isoformat()}
        found += [f"{start}…{end} {line}" for line in differences(data.reference(start, end, THRESHOLD), printed)]
    assert not found, "\n".join(found)

    # `year` is the calendar year; a computation requested by the API, then its snapshot, give the same figures.
    expected = data.reference(D(2025, 1, 1), D(2025, 12, 31), THRESHOLD)
    by_year = officer.get("statistics/indicators/", {"year": 2025}).json()
    assert not differences(expected, by_year)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("statistics/jobs/", {"year": 2025})
    assert response.status_code == 202, response.content
    job = officer.get(response.json()["url"].split(API + "/", 1)[1]).json()
    assert job["status"] == "done" and job["snapshot_url"], job
    snapshot = officer.get(job["snapshot_url"].split(API + "/", 1)[1]).json()
    assert not differences(expected, snapshot), "\n".join(differences(expected, snapshot))
    assert snapshot == by_year

    # Frozen (published), the snapshot is listed by `GET statistics/snapshots/` and still says the same.
    stored = IndicatorSnapshot.objects.get(pk=int(job["snapshot_url"].rstrip("/").rsplit("/", 1)[1]))
    analytics_services.freeze_snapshot(snapshot=stored, frozen_by=member(organisation=organisation, role=Role.ADMIN))
    frozen = officer.get("statistics/snapshots/").json()
    assert [(one["start"], one["end"]) for one in frozen] == [("2025-01-01", "2025-12-31")]
    assert officer.get(frozen[0]["url"].split(API + "/", 1)[1]).json() == by_year


def breakdown_by_market_type(data: Dataset, start: D, end: D) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """Participants (more than 0 hours, each once) and hours by market type and sex over the period: « les mêmes
    définitions restreintes » to the markets of a type (docs/indicateurs.md, B)."""
    market_type = {m.reference: m.market_type for m in data.markets}
    sex = {row.participant_ref: row.sex for row in data.hours}
    hours = defaultdict(Decimal)
    for row in data.hours:
        if ref.in_period(row.month, start, end):
            hours[(market_type[row.market_reference], row.participant_ref)] += row.hours
    table: dict = defaultdict(lambda: (0, Decimal(0)))
    for (group, person), total in hours.items():
        people, done = table[(group, sex[person])]
        table[(group, sex[person])] = (people + (total > 0), done + total)
    return dict(table)


def test_the_clause_report_of_the_api_computes_each_market_as_the_documentation_defines(imported):
    """« Chaque indicateur de clause se calcule aussi par marché et par acheteur (donneur d'ordre), avec les mêmes
    définitions restreintes à ce marché ou à cet acheteur » (docs/indicateurs.md, B)."""
    data, organisation, client, _ = imported
    jobs = {ref.normalised_label(k): v for k, v in JOBS.items()}
    threshold = Decimal(THRESHOLD)
    member = caller(client, organisation, Role.FACILITATOR)  # « le bilan des clauses » : every role
    found = []
    for year in (2024, 2025):
        start, end = D(year, 1, 1), D(year, 12, 31)
        response = member.get("clauses/report/", {"year": year})
        assert response.status_code == 200, response.content
        report = response.json()
        assert (report["organisation"], report["year"]) == (organisation.slug, year)
        buyer = ref.clause_indicators(data.markets, data.hours, start, end, jobs=jobs, threshold=threshold)
        found += [
            f"{year} buyer {line}" for line in differences({"clauses": buyer}, {"clauses": report["indicators"]})
        ]

        lines = {line["reference"]: line for line in report["markets"]}
        assert len(lines) >= 5, year
        expected_lines = {}
        for market in data.markets:
            hours = [row for row in data.hours if row.market_reference == market.reference]
            one = ref.clause_indicators([market], hours, start, end, jobs=jobs, threshold=threshold)
            if one["participants"].value or one["markets_with_clause"].value:
                expected_lines[market.reference] = (market, one)
        if set(lines) != set(expected_lines):
            found.append(f"{year} market lines: {sorted(set(lines) ^ set(expected_lines))}")
        for reference, (market, one) in expected_lines.items():
            line = lines.get(reference)
            if line is None:
                continue
            assert (line["title"], line["market_type"]) == (f"Marché {reference}", market.market_type)
            found += [
                f"{year} {reference} {difference}"
                for difference in differences({"clauses": one}, {"clauses": line["indicators"]})
            ]
        # Markets with hours in the year (a participant on two markets counts in each) add up to the buyer's hours.
        assert (
            sum(
                (
                    Decimal(str(e["value"]))
                    for line in report["markets"]
                    for e in line["indicators"]
                    if e["key"] == "hours_total"
                ),
                Decimal(0),
            )
            == buyer["hours_total"].value
        )

        table = {
            (row["group"], row["sex"]): (row["participants"], Decimal(str(row["hours"])))
            for row in report["by_market_type"]
            if row["participants"] or Decimal(str(row["hours"]))
        }
        wanted = {key: value for key, value in breakdown_by_market_type(data, start, end).items() if any(value)}
        assert len(wanted) >= 4, year
        if table != wanted:
            found.append(f"{year} by market type: reference {wanted}, API {table}")
    assert not found, "\n".join(found)


def test_the_responses_of_the_api_are_those_the_indicators_count(imported):
    """`GET responses/?year=…`: the responses sent in that calendar year (Paris date), as many as `responses`; those
    not `superseded` are the latest of each structure, the ones `respondents` counts (docs/indicateurs.md, A)."""
    data, organisation, client, _ = imported
    officer = caller(client, organisation, Role.EQUALITY_OFFICER)
    for year in (2024, 2025):
        listed, path, query = [], "responses/", {"year": year, "page_size": 200}
        while path:
            page = officer.get(path, query).json()
            listed += page["results"]
            path, query = (page["next"].split(API + "/", 1)[1], None) if page["next"] else (None, None)

        def key(name, siret, moment):
            return ref.structure_key(ref.AnnexRow(name=name, siret=siret, submitted_at=moment, staff={})), moment

        got = [
            (key(one["name"], one["siret"], datetime.datetime.fromisoformat(one["submitted_at"])), one["superseded"])
            for one in listed
        ]
        sent = [row for row in data.annex if ref.paris_date(row.submitted_at).year == year]
        latest = ref.latest_by(sent, ref.structure_key).values()
        assert (
            len(got)
            == len(sent)
            == data.reference(D(year, 1, 1), D(year, 12, 31), THRESHOLD)["annex"]["responses"].value
        )
        assert sorted(k for k, _ in got) == sorted(key(r.name, r.siret, r.submitted_at) for r in sent)
        assert sorted(k for k, superseded in got if not superseded) == sorted(
            key(r.name, r.siret, r.submitted_at) for r in latest
        )
