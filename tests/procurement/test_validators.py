"""SIREN and SIRET checks: the length, the digits and the Luhn key, with French messages."""

import pytest
from django.core.exceptions import ValidationError

from procurement.validators import validate_siren, validate_siret


@pytest.mark.parametrize("siren", ["732829320", "200067361", "200041960", "356000000"])
def test_valid_sirens_are_accepted(siren):
    validate_siren(siren)


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("732829321", "Ce SIREN n'est pas valide\u00a0: vérifiez les 9 chiffres (clé de contrôle incorrecte)."),
        ("73282932", "Le SIREN doit comporter exactement 9 chiffres."),
        ("7328293200", "Le SIREN doit comporter exactement 9 chiffres."),
        ("73282932A", "Le SIREN doit comporter exactement 9 chiffres."),
        ("732 829 320", "Le SIREN doit comporter exactement 9 chiffres."),
        ("", "Le SIREN doit comporter exactement 9 chiffres."),
        ("７３２８２９３２０", "Le SIREN doit comporter exactement 9 chiffres."),
    ],
    ids=["bad-key", "8-digits", "10-digits", "letter", "spaces", "empty", "full-width-digits"],
)
def test_bad_sirens_are_refused_in_french(siren, message):
    with pytest.raises(ValidationError) as caught:
        validate_siren(siren)

    assert caught.value.messages == [message]


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # Luhn
        "35600000000048",  # La Poste's head office: Luhn
        "35600000012346",  # another La Poste establishment: the sum of the digits is a multiple of 5
    ],
)
def test_valid_sirets_are_accepted(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("73282932000075", "Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte)."),
        ("7328293200007", "Le SIRET doit comporter exactement 14 chiffres."),
        ("732829320000740", "Le SIRET doit comporter exactement 14 chiffres."),
        ("7328293200007A", "Le SIRET doit comporter exactement 14 chiffres."),
        ("35600000000049", "Ce SIRET n'est pas valide : vérifiez les 14 chiffres."),
        ("１２３４５６７８９０１２３４", "Le SIRET doit comporter exactement 14 chiffres."),
    ],
    ids=["bad-key", "13-digits", "15-digits", "letter", "la-poste-bad-sum", "full-width-digits"],
)
def test_bad_sirets_are_refused_in_french(siret, message):
    with pytest.raises(ValidationError) as caught:
        validate_siret(siret)

    assert caught.value.messages == [message]
