"""Section A of docs/indicateurs.md, « Index publiés », on a fixture of 20 structures; every expected figure is
worked out by hand in the comments."""

import datetime
from fractions import Fraction

import pytest

from analytics.indicators import SECTIONS, compute_indicators
from analytics.indicators.annex import KEYS as ANNEX_KEYS
from analytics.indicators.published_index import KEYS, published_index_indicators
from questionnaire.enums import EqualityIndexStatus
from questionnaire.models import AnnexResponse
from questionnaire.titulaires.selectors import published_index_text
from registers.selectors import with_published_index
from registers.services import import_egapro
from tests.analytics.datasets import END, JUNE_15, NO_STAFF, START
from tests.questionnaire.factories import AnnexResponseFactory, siret_with_luhn
from tests.registers.factories import csv_file, egapro_row


def siret(number: int) -> str:
    return siret_with_luhn(f"{400000000 + number * 1000:09d}")


def siren(number: int) -> str:
    return siret(number)[:9]


def respond(organisation, number, *, declared=None, year=2025, staff=60, at=JUNE_15, **fields):
    """Structure `number`; `declared` is a score, "NC" or None (no answer); `year` the declared publication year."""
    if declared == "NC":
        index = {"equality_index_status": EqualityIndexStatus.NOT_COMPUTABLE}
    elif declared is None:
        index = {}
    else:
        index = {"equality_index_status": EqualityIndexStatus.SCORE, "equality_index_score": declared}
    if index and year:
        index["equality_index_year"] = year
    return AnnexResponseFactory(
        organisation=organisation,
        submitted_at=at,
        structure_name=f"Structure {number}",
        siret=siret(number),
        **{**NO_STAFF, "non_cadres_f": staff, **index, **fields},
    )


@pytest.fixture
def twenty_structures(organisation):
    """16 structures of 50 or more (E1-E16) and 4 smaller ones (S17-S20), all answered in 2025."""
    published = []

    def publish(number, index, year=2024):
        published.append(egapro_row(siren=siren(number), year=year, index=str(index), name=f"STRUCTURE {number}"))

    # E1-E5: declared the score they published (row 2024 for a note « publiée en 2025 »).
    for number, score in zip(range(1, 6), (90, 85, 80, 75, 70), strict=True):
        respond(organisation, number, declared=score)
        publish(number, score)
    # E6-E8: declared another score than the one published. E6 had first declared the right one: its later
    # response stands (section A counts the latest response of a structure).
    respond(organisation, 6, declared=75, at=JUNE_15 - datetime.timedelta(days=30))
    respond(organisation, 6, declared=88)
    publish(6, 75)
    respond(organisation, 7, declared=95)
    publish(7, 60)
    respond(organisation, 8, declared=70)
    publish(8, 99)
    # E9: declared a score, published « NC »: published, but no published score.
    respond(organisation, 9, declared=80)
    publish(9, "NC")
    # E10: declared « non calculable », published 82: published score, but no declared score.
    respond(organisation, 10, declared="NC")
    publish(10, 82)
    # E11: declared nothing; a member of a UES whose index is 78 (it has no row of its own).
    respond(organisation, 11)
    published.append(
        egapro_row(
            siren="999999999",
            structure="Unité Economique et Sociale (UES)",
            ues_name="UES ONZE",
            ues_members=f"STRUCTURE 11, FILIALE (SUD) ({siren(11)})",
            index="78",
        )
    )
    # E12: no year declared: compared with the row of 2024 (the year before the period's end), not 2023's.
    respond(organisation, 12, declared=84, year=None)
    publish(12, 84)
    publish(12, 50, year=2023)
    # E13: « publiée en 2024 »: compared with the row of 2023 (91), not 2024's (60).
    respond(organisation, 13, declared=91, year=2024)
    publish(13, 91, year=2023)
    publish(13, 60)
    # E14: nothing published; E15: no SIRET; E16: published, but for 2022 only.
    respond(organisation, 14, declared=77)
    AnnexResponseFactory(
        organisation=organisation,
        submitted_at=JUNE_15,
        structure_name="Structure 15",
        siret="",
        **{**NO_STAFF, "non_cadres_f": 60},
        equality_index_status=EqualityIndexStatus.SCORE,
        equality_index_score=66,
        equality_index_year=2025,
    )
    respond(organisation, 16, declared=66)
    publish(16, 66, year=2022)
    # S17-S20: fewer than 50: left out, even though they published a different score.
    for number in range(17, 21):
        respond(organisation, number, declared=40, staff=20)
        publish(number, 99)
    import_egapro(content=csv_file(published), filename="index-egalite-fh.csv")


def compute(organisation):
    return {i.key: i for i in published_index_indicators(organisations=organisation, start=START, end=END)}


def figures(indicator):
    return (indicator.numerator, indicator.denominator, indicator.value)


def test_the_four_keys_follow_the_annex_keys_in_section_a():
    assert SECTIONS["annex"] == [*ANNEX_KEYS, *KEYS]
    assert KEYS == ["index_published_share", "index_mismatch_share", "index_published_mean", "index_published_median"]


def test_the_indicators_match_the_hand_worked_values(organisation, twenty_structures):
    result = compute(organisation)

    # Eligible: E1-E16 = 16. Published (own row, UES or « NC »): E1-E13 = 13 (E14 none, E15 no SIREN, E16 2022).
    assert figures(result["index_published_share"]) == (13, 16, Fraction(13, 16))
    # Both a declared and a published score: E1-E8, E12, E13 = 10 (E9 published NC, E10 declared NC, E11 none);
    # different: E6 (88/75), E7 (95/60), E8 (70/99) = 3.
    assert figures(result["index_mismatch_share"]) == (3, 10, Fraction(3, 10))
    # Published scores: 90 85 80 75 70 | 75 60 99 | 82 | 78 | 84 | 91 = 12 scores, sum 969: mean 969/12 = 80.75.
    assert figures(result["index_published_mean"]) == (None, 12, Fraction(969, 12))
    # Sorted: 60 70 75 75 78 80 | 82 84 85 90 91 99: median (80 + 82) / 2 = 81.
    assert figures(result["index_published_median"]) == (None, 12, 81)


def test_the_indicators_are_in_the_computed_set_and_empty_without_a_load(organisation):
    respond(organisation, 1, declared=90)

    result = compute_indicators(organisations=organisation, start=START, end=END).by_key()

    assert figures(result["index_published_share"]) == (0, 1, 0)
    assert figures(result["index_mismatch_share"]) == (0, 0, None)
    assert figures(result["index_published_mean"]) == (None, 0, None)
    assert figures(result["index_published_median"]) == (None, 0, None)


def test_a_row_without_a_note_index_is_no_published_index(organisation):
    """A published index is « une note ou « NC » » (docs/indicateurs.md): a row of the file whose « Note Index » is
    empty is none, in the indicator as on the titulaires' pages (which wrote « None (différent) »). Found by the
    independent check of tests/analytics/test_reference_indicators.py."""
    respond(organisation, 1, declared=80)
    respond(organisation, 2)
    rows = [egapro_row(siren=siren(1), index="", name="STRUCTURE 1"), egapro_row(siren=siren(2), index="")]
    import_egapro(content=csv_file(rows), filename="index-egalite-fh.csv")

    result = compute(organisation)

    assert figures(result["index_published_share"]) == (0, 2, 0)
    answers = with_published_index(AnnexResponse.objects.all(), fallback_year=2024)
    assert sorted(published_index_text(answer) for answer in answers) == ["non publié", "non publié"]
