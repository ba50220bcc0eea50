"""Section A of docs/indicateurs.md on small hand-built datasets; each expected figure is worked out in comments."""

import datetime
from decimal import Decimal
from fractions import Fraction

from analytics.indicators.annex import KEYS, annex_indicators, median_from_histogram
from questionnaire.enums import EqualityIndexStatus
from tests.analytics.datasets import END, JUNE_15, PARIS, START, respond
from tests.questionnaire.factories import siret_with_luhn

COMMITMENTS = ["agreements", "action_plan", "training", "harassment_unit", "label", "partnerships", "events", "other"]


def staffed(total: int) -> dict:
    """Headcounts adding up to `total` (all non-cadre women, the split does not matter for the index)."""
    return {"non_cadres_f": total}


def compute(organisations, start=START, end=END):
    indicators = annex_indicators(organisations=organisations, start=start, end=end)
    return {indicator.key: indicator for indicator in indicators}


def figures(indicator):
    return (indicator.numerator, indicator.denominator, indicator.value)


def test_every_key_in_order(organisation):
    assert list(compute(organisation)) == KEYS


def test_pooled_headcounts_with_nsp_in_the_denominator(organisation):
    # S1: cadres F3 H5 NB0 NSP2, non-cadres F20 H10 NB1 NSP0 (41 people)
    respond(organisation, cadres_f=3, cadres_h=5, cadres_nsp=2, non_cadres_f=20, non_cadres_h=10, non_cadres_nb=1)
    # S2: cadres F1 H1, non-cadres F4 H6 NSP3 (15 people)
    respond(organisation, cadres_f=1, cadres_h=1, non_cadres_f=4, non_cadres_h=6, non_cadres_nsp=3)

    result = compute(organisation)

    # all: F 3+20+1+4 = 28, H 5+10+1+6 = 22, NB 1, NSP 2+3 = 5; total 56.
    assert figures(result["staff_total"]) == (56, None, 56)
    assert figures(result["staff_all_F_share"]) == (28, 56, Fraction(1, 2))
    assert figures(result["staff_all_H_share"]) == (22, 56, Fraction(22, 56))
    assert figures(result["staff_all_NB_share"]) == (1, 56, Fraction(1, 56))
    assert figures(result["staff_all_NSP_share"]) == (5, 56, Fraction(5, 56))
    # Pooled, not a mean of per-structure shares: (23/41 + 5/15) / 2 would be 0.4471..., not 1/2.
    assert sum(result[f"staff_all_{c}_share"].value for c in ("F", "H", "NB", "NSP")) == 1
    # cadres: F 3+1 = 4, H 5+1 = 6, NB 0, NSP 2; total 12.
    assert figures(result["staff_cadres_F_share"]) == (4, 12, Fraction(1, 3))
    assert figures(result["staff_cadres_H_share"]) == (6, 12, Fraction(1, 2))
    assert figures(result["staff_cadres_NB_share"]) == (0, 12, Fraction(0))
    assert figures(result["staff_cadres_NSP_share"]) == (2, 12, Fraction(1, 6))
    # non-cadres: F 20+4 = 24, H 10+6 = 16, NB 1, NSP 3; total 44.
    assert figures(result["staff_non_cadres_F_share"]) == (24, 44, Fraction(6, 11))
    assert figures(result["staff_non_cadres_H_share"]) == (16, 44, Fraction(4, 11))
    assert figures(result["staff_non_cadres_NB_share"]) == (1, 44, Fraction(1, 44))
    assert figures(result["staff_non_cadres_NSP_share"]) == (3, 44, Fraction(3, 44))


def test_same_siren_counts_once_and_its_latest_submission_stands(organisation):
    # Two establishments of one company (same SIREN, different SIRET), then a later answer of the head office.
    first = siret_with_luhn("552100554" + "0001")
    second = siret_with_luhn("552100554" + "0002")
    respond(organisation, siret=first, at=JUNE_15, cadres_f=100)
    respond(organisation, siret=second, at=JUNE_15 + datetime.timedelta(days=30), cadres_h=7, non_cadres_f=3)
    # Its answer of 2026 is outside the period: the July 2025 one stands.
    respond(organisation, siret=first, at=datetime.datetime(2026, 2, 1, 9, 0, tzinfo=PARIS), cadres_nb=50)
    # Another structure, whose later 2025 answer was withdrawn: its earlier answer stands.
    other = siret_with_luhn("732829320" + "0001")
    respond(organisation, siret=other, at=JUNE_15, non_cadres_h=5)
    respond(
        organisation,
        siret=other,
        at=JUNE_15 + datetime.timedelta(days=1),
        non_cadres_h=99,
        withdrawn_at=datetime.datetime(2025, 7, 1, tzinfo=PARIS),
    )

    result = compute(organisation)

    # 2 structures; 3 submitted responses in 2025 (the withdrawn one and the 2026 one do not count).
    assert figures(result["respondents"]) == (2, None, 2)
    assert figures(result["responses"]) == (3, None, 3)
    # Latest of the first structure: 7 H + 3 F; the other: 5 H. Total 15, women 3.
    assert figures(result["staff_total"]) == (15, None, 15)
    assert figures(result["staff_all_F_share"]) == (3, 15, Fraction(1, 5))
    assert figures(result["staff_all_H_share"]) == (12, 15, Fraction(4, 5))


def test_without_siret_the_normalised_name_identifies_the_structure(organisation):
    respond(organisation, siret="", structure_name="Café  des Arts", cadres_f=4)
    later = JUNE_15 + datetime.timedelta(hours=1)
    respond(organisation, siret="", structure_name="CAFE DES ARTS !", at=later, cadres_h=6)
    respond(organisation, siret="", structure_name="Café des Artistes", non_cadres_nsp=2)

    result = compute(organisation)

    # "Café  des Arts" and "CAFE DES ARTS !" are both "cafe des arts": one structure (its later answer: 6 H);
    # "Café des Artistes" is another. 2 respondents, 3 responses; staff 6 H + 2 NSP = 8.
    assert figures(result["respondents"]) == (2, None, 2)
    assert figures(result["responses"]) == (3, None, 3)
    assert figures(result["staff_cadres_H_share"]) == (6, 6, Fraction(1))
    assert figures(result["staff_all_NSP_share"]) == (2, 8, Fraction(1, 4))


def test_same_instant_latest_id_wins(organisation, other_organisation):
    # One structure answered both buyers at the same instant: computed together it counts once (the later row).
    siret = siret_with_luhn("552100554" + "0001")
    respond(organisation, siret=siret, cadres_f=1)
    respond(other_organisation, siret=siret, cadres_h=1)

    together = compute([organisation, other_organisation])

    assert figures(together["respondents"]) == (1, None, 1)
    assert figures(together["responses"]) == (2, None, 2)
    assert figures(together["staff_all_H_share"]) == (1, 1, Fraction(1))
    assert figures(compute(organisation)["staff_all_F_share"]) == (1, 1, Fraction(1))


def test_only_the_organisations_asked_for(organisation, other_organisation):
    respond(organisation, cadres_f=2)
    respond(other_organisation, cadres_h=3)
    respond(other_organisation, cadres_h=5)

    assert figures(compute(organisation)["respondents"]) == (1, None, 1)
    assert figures(compute(other_organisation)["staff_total"]) == (8, None, 8)
    # Together: 3 structures, 2 + 3 + 5 = 10 people, 2 women.
    both = compute([organisation, other_organisation])
    assert figures(both["staff_all_F_share"]) == (2, 10, Fraction(1, 5))


def test_submission_at_23_30_on_31_december_belongs_to_its_paris_date(organisation):
    # 23:30 Paris on 31 December 2025 is 22:30 UTC: Paris date 2025-12-31, in 2025.
    respond(organisation, at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=PARIS), cadres_f=1)
    # 23:30 UTC on 31 December 2025 is 00:30 Paris on 1 January 2026: in 2026.
    respond(organisation, at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC), cadres_h=1)
    # 00:30 Paris on 1 January 2025 is 23:30 UTC on 31 December 2024: in 2025 all the same.
    respond(organisation, at=datetime.datetime(2025, 1, 1, 0, 30, tzinfo=PARIS), non_cadres_f=1)

    year_2025 = compute(organisation)
    year_2026 = compute(organisation, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))

    assert figures(year_2025["responses"]) == (2, None, 2)
    assert figures(year_2025["staff_all_F_share"]) == (2, 2, Fraction(1))
    assert figures(year_2026["responses"]) == (1, None, 1)
    assert figures(year_2026["staff_all_H_share"]) == (1, 1, Fraction(1))


def test_nothing_in_the_period_gives_null_values_not_zero(organisation):
    respond(organisation, at=datetime.datetime(2024, 6, 1, tzinfo=PARIS), cadres_f=3, has_board=True)

    result = compute(organisation)

    assert figures(result["respondents"]) == (0, None, 0)
    assert figures(result["staff_total"]) == (0, None, 0)
    for key in KEYS:
        if key.endswith(("_share", "_mean", "_median")):
            assert result[key].value is None, key
    assert figures(result["staff_all_F_share"]) == (0, 0, None)
    assert figures(result["board_women_mean"]) == (None, 0, None)
    assert figures(result["index_median"]) == (None, 0, None)


def test_board_officers_and_volunteers(organisation):
    respond(organisation, has_board=True, board_women_pct=Decimal("40"), president="F", secretary="H",
            treasurer="sans_objet", volunteers_women_pct=Decimal("30"))  # fmt: skip
    respond(organisation, has_board=True, board_women_pct=None, president="H", secretary="NSP", treasurer="")
    respond(organisation, has_board=False, president="sans_objet", secretary="", treasurer="F",
            volunteers_women_pct=Decimal("45.25"))  # fmt: skip
    respond(organisation, has_board=None, president="NB", secretary="F", treasurer="H")
    respond(organisation, has_board=True, board_women_pct=Decimal("55.50"), president="")

    result = compute(organisation)

    # Board: 3 have one (S1, S2, S5) of 4 that answered (S4 did not).
    assert figures(result["board_has_share"]) == (3, 4, Fraction(3, 4))
    # Mean over boards that gave the share: (40 + 55.50) / 2 = 47.75 (S2 gave none).
    assert figures(result["board_women_mean"]) == (None, 2, Fraction(4775, 100))
    # President answered by S1 (F), S2 (H), S4 (NB): "sans objet" (S3) and blank (S5) are not answers.
    assert figures(result["role_president_F_share"]) == (1, 3, Fraction(1, 3))
    assert figures(result["role_president_H_share"]) == (1, 3, Fraction(1, 3))
    assert figures(result["role_president_NB_share"]) == (1, 3, Fraction(1, 3))
    assert figures(result["role_president_NSP_share"]) == (0, 3, Fraction(0))
    # Secretary: S1 H, S2 NSP, S4 F (NSP is an answer, in the denominator).
    assert figures(result["role_secretary_NSP_share"]) == (1, 3, Fraction(1, 3))
    assert figures(result["role_secretary_F_share"]) == (1, 3, Fraction(1, 3))
    # Treasurer: S3 F, S4 H.
    assert figures(result["role_treasurer_F_share"]) == (1, 2, Fraction(1, 2))
    assert figures(result["role_treasurer_NB_share"]) == (0, 2, Fraction(0))
    # Volunteers: (30 + 45.25) / 2 = 37.625.
    assert figures(result["volunteers_women_mean"]) == (None, 2, Fraction(37625, 1000))


def test_index_eligibility_scores_and_bands(organisation):
    score = EqualityIndexStatus.SCORE
    respond(organisation, **staffed(50), equality_index_status=score, equality_index_score=90)  # exactly 50: eligible
    respond(organisation, **staffed(120), equality_index_status=score, equality_index_score=75)
    respond(organisation, **staffed(60), equality_index_status=score, equality_index_score=84)
    respond(organisation, **staffed(200), equality_index_status=score, equality_index_score=70)
    respond(organisation, **staffed(55), equality_index_status=EqualityIndexStatus.NOT_COMPUTABLE)
    respond(organisation, **staffed(80))  # eligible, did not answer
    respond(organisation, **staffed(49), equality_index_status=score, equality_index_score=99)  # 49: not eligible
    # 50 across both scopes: 20 cadres (NSP) + 30 non-cadres (NB) -> eligible, no answer.
    respond(organisation, cadres_nsp=20, non_cadres_nb=30)

    result = compute(organisation)

    # Eligible: 50, 120, 60, 200, 55, 80 and 20+30 -> 7 of 8 respondents.
    assert figures(result["index_eligible"]) == (7, 8, 7)
    # Scores given by 4 of the 7 eligible ones.
    assert figures(result["index_given_share"]) == (4, 7, Fraction(4, 7))
    # Mean (90 + 75 + 84 + 70) / 4 = 319 / 4 = 79.75 (the 99 of the 49-person structure is left out).
    assert figures(result["index_mean"]) == (None, 4, Fraction(319, 4))
    # Median of 70, 75, 84, 90: (75 + 84) / 2 = 79.5.
    assert figures(result["index_median"]) == (None, 4, Fraction(159, 2))
    # Bands over the 5 eligible that answered (4 scores + 1 not computable).
    assert figures(result["index_band_below_75_share"]) == (1, 5, Fraction(1, 5))  # 70
    assert figures(result["index_band_75_to_84_share"]) == (2, 5, Fraction(2, 5))  # 75 and 84
    assert figures(result["index_band_85_and_above_share"]) == (1, 5, Fraction(1, 5))  # 90
    assert figures(result["index_band_not_computable_share"]) == (1, 5, Fraction(1, 5))


def test_median_from_histogram():
    assert median_from_histogram([]) is None
    assert median_from_histogram([(80, 1)]) == 80
    # 70, 80, 80, 95 -> (80 + 80) / 2
    assert median_from_histogram([(95, 1), (70, 1), (80, 2)]) == 80
    # 60, 61, 61, 61, 100 -> the 3rd value
    assert median_from_histogram([(60, 1), (61, 3), (100, 1)]) == 61
    # 10, 11 -> 10.5
    assert median_from_histogram([(10, 1), (11, 1)]) == Fraction(21, 2)


def test_commitments_and_policy_text(organisation):
    respond(organisation, commitment_agreements=True, commitment_action_plan=True, policy_text="Charte égalité")
    respond(organisation, commitment_training=True, policy_text="   \n ")
    respond(organisation, policy_text="")
    respond(organisation, policy_text="x", **{f"commitment_{key}": True for key in COMMITMENTS})

    result = compute(organisation)

    # 4 respondents. agreements: S1, S4; action_plan: S1, S4; training: S2, S4; the others: S4 only.
    assert figures(result["commitment_agreements_share"]) == (2, 4, Fraction(1, 2))
    assert figures(result["commitment_action_plan_share"]) == (2, 4, Fraction(1, 2))
    assert figures(result["commitment_training_share"]) == (2, 4, Fraction(1, 2))
    for key in ("harassment_unit", "label", "partnerships", "events", "other"):
        assert figures(result[f"commitment_{key}_share"]) == (1, 4, Fraction(1, 4)), key
    # No commitment at all: S3 only.
    assert figures(result["commitment_none_share"]) == (1, 4, Fraction(1, 4))
    # Policy text: S1 and S4 (S2's spaces are blank).
    assert figures(result["policy_text_share"]) == (2, 4, Fraction(1, 2))


def test_one_query_for_a_year_two_for_any_other_period_whatever_the_number_of_responses(
    organisation, django_assert_num_queries
):
    for index in range(12):
        respond(organisation, cadres_f=index, equality_index_status=EqualityIndexStatus.SCORE,
                equality_index_score=80, non_cadres_h=60)  # fmt: skip

    with django_assert_num_queries(1):
        result = compute(organisation)
    with django_assert_num_queries(2):
        other_period = compute(organisation, end=datetime.date(2026, 1, 1))

    assert {key: indicator.value for key, indicator in other_period.items()} == {
        key: indicator.value for key, indicator in result.items()
    }
    assert result["respondents"].value == 12
