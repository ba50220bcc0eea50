"""The interface other parts code against: compute_indicators, the contract JSON, the exact snapshot, display."""

import datetime
import json
from decimal import Decimal
from fractions import Fraction

from analytics.formatting import display
from analytics.indicators import KEYS, SECTIONS, compute_indicators
from analytics.indicators.base import Indicator, IndicatorSet, Kind, Section
from analytics.indicators.labels import DEFINITIONS, LABELS
from analytics.serialisation import from_json, from_snapshot, to_json, to_snapshot
from tests.questionnaire.factories import AnnexResponseFactory

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
JUNE = datetime.datetime(2025, 6, 1, 10, 0, tzinfo=datetime.UTC)


def test_every_key_of_every_section_in_a_stable_order_with_a_french_label(organisation):
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)

    result = compute_indicators(organisations=organisation, start=START, end=END)

    assert [indicator.key for indicator in result.indicators] == KEYS
    assert [indicator.section for indicator in result.indicators] == [
        section for section, keys in SECTIONS.items() for _ in keys
    ]
    assert set(KEYS) == set(LABELS)
    assert len(KEYS) == len(set(KEYS))
    assert result.organisation_ids == (organisation.pk,)


def test_the_officer_labels_take_the_article_of_their_role():
    # « à la secrétariat » was written for the three roles alike.
    assert [LABELS[f"role_{role}_F_share"] for role in ("president", "secretary", "treasurer")] == [
        "Part des femmes à la présidence",
        "Part des femmes au secrétariat",
        "Part des femmes à la trésorerie",
    ]
    assert DEFINITIONS["role_secretary_H_share"].startswith("Structures où des hommes assurent le secrétariat /")


def test_contract_json_shape(organisation):
    # 1 structure: cadres 2 F + 3 H, non-cadres 10 F + 12 H (factory defaults) -> 12 women of 27.
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)

    data = to_json(compute_indicators(organisations=organisation, start=START, end=END), organisation_slug="agglo-a")
    text = json.dumps(data)  # plain JSON: no Fraction or Decimal left

    assert list(data) == ["organisation", "period", "annex", "clauses", "specifications", "titulaires"]
    assert data["organisation"] == "agglo-a"
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    for section in Section.ALL:
        for item in data[section]:
            assert list(item) == ["key", "numerator", "denominator", "value"]
            assert item["value"] is None or isinstance(item["value"], int | float)
    annex = {item["key"]: item for item in data["annex"]}
    assert annex["staff_all_F_share"] == {
        "key": "staff_all_F_share",
        "numerator": 12,
        "denominator": 27,
        "value": 12 / 27,
    }
    assert annex["respondents"] == {"key": "respondents", "numerator": 1, "denominator": None, "value": 1}
    assert json.loads(text)["specifications"][0]["value"] is None  # no market published: 0 / 0


def test_snapshot_round_trip_is_exact():
    original = IndicatorSet(
        organisation_ids=(3, 7),
        start=START,
        end=END,
        indicators=[
            Indicator("staff_all_F_share", Section.ANNEX, Kind.SHARE, 1234, 3395, Fraction(1234, 3395)),
            Indicator("index_median", Section.ANNEX, Kind.MEDIAN, None, 4, Fraction(175, 2)),
            Indicator("hours_total", Section.CLAUSES, Kind.HOURS, Decimal("16.70"), None, Decimal("16.70")),
            Indicator("hours_completion", Section.CLAUSES, Kind.SHARE, Decimal("5"), Fraction(40, 3), Fraction(3, 8)),
            Indicator("markets_with_clause", Section.CLAUSES, Kind.COUNT, 2, None, 2),
            Indicator("specifications_with_encart_share", Section.SPECIFICATIONS, Kind.SHARE, 0, 0, None),
        ],
    )

    stored = json.loads(json.dumps(to_snapshot(original)))
    restored = from_snapshot(stored)

    assert restored == original
    assert from_json(stored) == original
    assert type(restored.indicators[2].value) is Decimal and str(restored.indicators[2].value) == "16.70"
    assert type(restored.indicators[4].value) is int


def test_from_contract_json_reads_the_figures_back(organisation):
    computed = compute_indicators(organisations=organisation, start=START, end=END)

    restored = from_json(json.loads(json.dumps(to_json(computed, organisation_slug="agglo-a"))))

    assert [indicator.key for indicator in restored.indicators] == KEYS
    assert (restored.start, restored.end) == (START, END)


def test_display_french_style():
    share = Indicator("staff_all_F_share", Section.ANNEX, Kind.SHARE, 1234, 3395, Fraction(1234, 3395))
    # 1234 / 3395 = 0.363475... -> 36.3475...% -> 36,35 %
    assert display(share) == "36,35\u00a0% (1\u202f234 / 3\u202f395)"
    # Half-up exactly at the boundary: 1/8 = 12.5 % -> "12,50 %"; 1/800 = 0.125 % -> "0,13 %" (not banker's 0,12).
    assert display(Indicator("k", Section.ANNEX, Kind.SHARE, 1, 800, Fraction(1, 800))).startswith("0,13\u00a0%")
    assert display(Indicator("k", Section.ANNEX, Kind.SHARE, 0, 0, None)) == "—"
    assert display(Indicator("respondents", Section.ANNEX, Kind.COUNT, 43, None, 43)) == "43"
