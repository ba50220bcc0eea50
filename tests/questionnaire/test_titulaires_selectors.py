"""The rule "a titulaire answered" (questionnaire.titulaires.selectors, docs/indicateurs.md section D)."""

import datetime

import pytest

from questionnaire.titulaires.selectors import answer_window, answering_responses, latest_answer_by_siren
from tests.procurement.factories import OrganisationFactory
from tests.questionnaire.factories import AnnexResponseFactory, siret_with_luhn

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
SIRET_A, SIRET_B = siret_with_luhn("5520000000001"), siret_with_luhn("6630000000001")


def paris(year, month, day, hour=12, minute=0):
    """An aware instant whose Europe/Paris date is the given one (winter: UTC+1)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


def test_answer_window_starts_twelve_months_before_the_period():
    assert answer_window(START, END) == (datetime.date(2024, 1, 1), END)
    assert answer_window(datetime.date(2024, 2, 29), datetime.date(2024, 3, 31)) == (
        datetime.date(2023, 2, 28),
        datetime.date(2024, 3, 31),
    )


def test_answering_responses_keep_the_window_the_organisation_and_the_submitted_ones():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    first_day = AnnexResponseFactory(organisation=organisation, siret=SIRET_A, submitted_at=paris(2024, 1, 1, 0, 30))
    last_day = AnnexResponseFactory(organisation=organisation, siret=SIRET_B, submitted_at=paris(2025, 12, 31, 23))
    # 31 December 2023 at 23:45 UTC is already 1 January 2024 in Paris: inside.
    paris_new_year = AnnexResponseFactory(
        organisation=organisation,
        siret=SIRET_A,
        submitted_at=datetime.datetime(2023, 12, 31, 23, 45, tzinfo=datetime.UTC),
    )
    AnnexResponseFactory(organisation=organisation, siret=SIRET_A, submitted_at=paris(2023, 12, 31, 23, 30))
    AnnexResponseFactory(organisation=organisation, siret=SIRET_A, submitted_at=paris(2026, 1, 1, 0, 30))
    AnnexResponseFactory(
        organisation=organisation,
        siret=SIRET_B,
        submitted_at=paris(2025, 6, 1),
        withdrawn_at=paris(2025, 6, 2),
    )
    AnnexResponseFactory(
        organisation=organisation, siret="", structure_name="Sans SIRET", submitted_at=paris(2025, 6, 1)
    )
    AnnexResponseFactory(organisation=other, siret=SIRET_A, submitted_at=paris(2025, 6, 1))

    found = set(answering_responses([organisation.pk], START, END))

    assert found == {first_day, last_day, paris_new_year}


def test_latest_answer_by_siren_takes_the_latest_then_the_highest_id():
    organisation, sister = OrganisationFactory(), OrganisationFactory()
    AnnexResponseFactory(organisation=organisation, siret=SIRET_A, submitted_at=paris(2024, 3, 1))
    latest_a = AnnexResponseFactory(organisation=organisation, siret=SIRET_A, submitted_at=paris(2025, 3, 1))
    # The same company answered two organisations counted together at the same instant: the highest id wins.
    same_instant = AnnexResponseFactory(organisation=organisation, siret=SIRET_B, submitted_at=paris(2025, 5, 1))
    tie = AnnexResponseFactory(organisation=sister, siret=SIRET_B, submitted_at=same_instant.submitted_at)
    # A later but withdrawn answer does not count.
    AnnexResponseFactory(
        organisation=organisation, siret=SIRET_A, submitted_at=paris(2025, 9, 1), withdrawn_at=paris(2025, 9, 2)
    )

    latest = latest_answer_by_siren([organisation.pk, sister.pk], START, END)

    assert latest == {SIRET_A[:9]: latest_a, SIRET_B[:9]: tie}
    assert tie.pk > same_instant.pk
    assert latest_answer_by_siren([organisation.pk], START, END) == {SIRET_A[:9]: latest_a, SIRET_B[:9]: same_instant}
    assert latest_answer_by_siren([organisation.pk], START, END, sirens=[SIRET_A[:9]]) == {SIRET_A[:9]: latest_a}
    assert latest_answer_by_siren([organisation.pk], START, END, sirens=[]) == {}
