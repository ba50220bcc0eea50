"""The cell parsers every import shares (procurement/tabular.py), and the one SIRET normalisation that imports,
forms and commands all use (procurement/validators.py)."""

import io

import pytest
from django.core.management import call_command

from clauses.forms import MissionForm
from procurement import tabular
from procurement.models import Market, Organisation
from procurement.tabular import CellError, parse_choice, parse_siret, parse_text
from procurement.validators import normalise_company_number

SIRET = "73282932000074"


@pytest.mark.parametrize(
    "written", ["73282932000074", "732 829 320 00074", "732.829.320.00074", "732\u202f829\u202f320\xa000074"]
)
def test_a_siret_is_read_the_same_way_however_it_is_written(written):
    assert normalise_company_number(written) == SIRET
    assert parse_siret(written) == SIRET


def test_a_wrong_siret_names_the_value_except_in_the_hours_import():
    with pytest.raises(CellError) as quoted:
        parse_siret("732 829 320")
    assert str(quoted.value) == "« 732 829 320 » : Le SIRET doit comporter exactement 14 chiffres."
    with pytest.raises(CellError) as short:
        parse_siret("73282932000075", quote_value=False)
    assert str(short.value) == "Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte)"


def test_choices_ignore_case_and_spacing_and_return_the_stored_spelling():
    assert parse_choice("Travaux", choices=["travaux", "services"]) == "travaux"
    assert parse_choice(" cdi ", choices=["CDI", "CDD"]) == "CDI"
    assert parse_choice("Sans  Objet", choices={"sans objet": "sans_objet"}, listed="« sans objet »") == "sans_objet"
    with pytest.raises(CellError) as refused:
        parse_choice("chantier", choices=["travaux", "services"])
    assert str(refused.value) == "« chantier » : valeurs possibles : travaux, services"


def test_text_is_bounded_by_its_length():
    assert parse_text("Nettoyage", max_length=9) == "Nettoyage"
    with pytest.raises(CellError) as refused:
        parse_text("Nettoyages", max_length=9)
    assert str(refused.value) == "10 caractères, au plus 9"


def test_the_annex_and_hours_imports_read_a_dotted_siret(organisation):
    from clauses.services.hours_import import _siret
    from questionnaire.services.annex_import import _parse_row

    values, errors = _parse_row(2, {"siret": "732.829.320.00074", "name": "Entreprise"}, markets={}, now=None)
    assert (values["siret"], errors) == (SIRET, [])
    assert _siret("732 829 320.00074") == SIRET


def test_a_form_takes_a_siret_with_spaces(organisation):
    form = MissionForm(data={"employer_siret": "732 829 320 00074"}, markets=Market.objects.none())
    form.is_valid()
    assert "employer_siret" not in form.errors
    assert form.cleaned_data["employer_siret"] == SIRET


def test_create_organisation_takes_a_siren_with_dots():
    call_command("create_organisation", "agglo-c", name="Agglomération C", siren="732.829.320", stdout=io.StringIO())
    assert Organisation.objects.get(slug="agglo-c").siren == "732829320"


def test_a_choice_far_longer_than_every_spelling_is_refused_without_folding_it(monkeypatch):
    # A shared string of 10,000 letters named by every cell of a 200,000-row workbook was folded (NFKD, accents
    # dropped) in every cell: minutes of CPU for a 3 MB upload (benchmarks/imports/bench_errors.py).
    folded = []
    real_choice_key = tabular.choice_key
    monkeypatch.setattr(tabular, "choice_key", lambda text: folded.append(len(text)) or real_choice_key(text))
    text = "x" * 10_000

    with pytest.raises(CellError) as refused:
        tabular.parse_choice(text, choices=["travaux", "services"])

    assert str(refused.value) == f"« {'x' * 100}… (10\u202f000 caractères) » : valeurs possibles : travaux, services"
    assert max(folded, default=0) < 100
    # Spaces a person typed in excess still read as one.
    assert tabular.parse_choice("  Appel    d'offres   ouvert ", choices={"Appel d'offres ouvert": "open"}) == "open"


def test_the_spellings_of_a_choice_are_folded_once_not_for_every_cell(monkeypatch):
    # Every cell of a choice folded (NFKD, accents dropped) each spelling of its list again: 10 to 26 µs a cell, most
    # of the time of a CSV of 200,000 rows of bad choices (benchmarks/imports/bench_errors.py).
    folded = []
    real_choice_key = tabular.choice_key
    monkeypatch.setattr(tabular, "choice_key", lambda text: folded.append(text) or real_choice_key(text))
    spellings = {f"Procédure numéro {index}": f"p{index}" for index in range(20)}

    for _ in range(100):
        assert parse_choice("procedure numero 7", choices=spellings) == "p7"
        with pytest.raises(CellError):
            parse_choice("zz", choices=spellings)

    assert len(folded) == len(spellings) + 200  # each spelling once, then each cell's text
