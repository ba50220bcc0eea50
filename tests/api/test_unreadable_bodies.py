"""A JSON body the API cannot read is refused in problem+json with a French reason (400), whatever makes it
unreadable, and nothing is created: a deeply nested body was a server error, the other reasons were DRF's English
« JSON parse error - … »."""

import pytest
from django.urls import reverse

from procurement.enums import Role
from procurement.models import Market

VALID_MARKET = (
    '{"reference": "2026-001", "title": "Entretien des espaces verts", "market_type": "services", '
    '"published_on": "2026-03-15"}'
)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 100_000, "imbrique trop de tableaux ou d'objets"),
        ('{"a":' * 50_000, "imbrique trop de tableaux ou d'objets"),
        ('{"reference": "2026-001",, }', "n'est pas un JSON valide (ligne 1, colonne 26)"),
        ('{\n  "reference": "2026-001"\n  "title": "x"\n}', "n'est pas un JSON valide (ligne 3, colonne 3)"),
        ('{"planned_hours": ' + "9" * 5000 + "}", "a trop de chiffres pour être lu"),
        ('{"planned_hours": NaN}', "« NaN » n'est pas une valeur JSON"),
        ('{"planned_hours": -Infinity}', "« -Infinity » n'est pas une valeur JSON"),
        (VALID_MARKET[:-1] + ', "reference": "2026-002"}', "La clé « reference » apparaît deux fois"),
    ],
    ids=["deep-array", "deep-object", "syntax", "syntax-line-3", "digits", "nan", "infinity", "duplicate"],
)
@pytest.mark.parametrize("endpoint", ["api:markets", "api:clause_hours", "api:jobs"])
def test_an_unreadable_body_is_refused_in_french_and_changes_nothing(api, client, endpoint, body, reason):
    client.raise_request_exception = False

    response = api(Role.ADMIN).post(reverse(endpoint), body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert reason in response.json()["detail"]
    assert "JSON parse error" not in response.content.decode()
    assert not Market.objects.exists()


def test_a_body_in_another_encoding_than_its_charset_is_refused_in_french(api, client):
    response = api(Role.ADMIN).post(
        reverse("api:markets"),
        VALID_MARKET.replace("Entretien", "Rénovation").encode("latin-1"),
        content_type="application/json; charset=utf-8",
    )

    assert response.status_code == 400
    assert "n'est pas encodé en UTF-8" in response.json()["detail"]


def test_a_readable_body_is_still_read(api):
    response = api(Role.ADMIN).post(reverse("api:markets"), VALID_MARKET)

    assert response.status_code == 201, response.json()
    assert Market.objects.get().title == "Entretien des espaces verts"
