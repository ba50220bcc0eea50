import datetime

import pytest
from django.db import IntegrityError

from questionnaire.models import AnnexResponse
from questionnaire.structures import normalise_structure_name, structure_key
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory


def test_staff_total_is_the_sum_of_the_eight_headcounts():
    response = AnnexResponseFactory(
        cadres_f=1,
        cadres_h=2,
        cadres_nb=3,
        cadres_nsp=4,
        non_cadres_f=5,
        non_cadres_h=6,
        non_cadres_nb=7,
        non_cadres_nsp=8,
    )
    assert response.staff_total == 36


def test_submission_late_on_31_december_in_paris_belongs_to_that_day():
    response = AnnexResponseFactory(submitted_at=datetime.datetime(2025, 12, 31, 22, 30, tzinfo=datetime.UTC))
    assert response.submitted_on == datetime.date(2025, 12, 31)
    late = AnnexResponseFactory(submitted_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC))
    assert late.submitted_on == datetime.date(2026, 1, 1)
    assert late.receipt_number.startswith("AE-2026-")


def test_structure_key_uses_the_siren_or_the_normalised_name():
    assert structure_key(siret="73282932000074", name="X") == "siren:732829320"
    assert normalise_structure_name("  Société  Générale d'Élagage, S.A. ") == "societe generale d elagage s a"
    assert structure_key(siret="", name="L'Atelier   ÉGALITÉ") == "nom:l atelier egalite"


def test_one_draft_gives_at_most_one_response():
    draft = DraftFactory()
    first = AnnexResponseFactory(organisation=draft.organisation, draft=draft)
    assert AnnexResponse.objects.get(draft=draft) == first
    with pytest.raises(IntegrityError):
        AnnexResponseFactory(organisation=draft.organisation, draft=draft)
