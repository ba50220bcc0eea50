"""What the staff see of the public registers: the declared index next to the published one, the declared
headcount next to the register's bracket, mismatch badges, the list's filters and the export's columns."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from procurement.templatetags.french import sirene_number
from questionnaire import exports
from questionnaire.enums import EqualityIndexStatus
from registers.services import import_egapro
from tests.questionnaire.factories import AnnexResponseFactory
from tests.registers import recorded
from tests.registers.factories import csv_file, egapro_row, sample_rows
from tests.utils import text_of

ACME_SIRET = "55210055400013"  # SIREN 552100554: 88 published for 2024 in sample_rows()
SMALL_SIRET = "73282932000074"  # SIREN 732829320: NC published for 2024
MEMBER_SIRET = "44306184100047"  # SIREN 443061841: member of the UES of 356000000, 75 for 2024
UNKNOWN_SIRET = "34449862600015"


def answered(organisation, *, siret, score=None, not_computable=False, year=2025, **values):
    status = EqualityIndexStatus.NOT_COMPUTABLE if not_computable else EqualityIndexStatus.SCORE if score else ""
    return AnnexResponseFactory(
        organisation=organisation,
        siret=siret,
        equality_index_status=status,
        equality_index_score=score,
        equality_index_year=year if status else None,
        **values,
    )


@pytest.fixture
def published():
    rows = [*sample_rows()]
    rows[0] = egapro_row(index="75")  # ACME published 75 for 2024
    import_egapro(content=csv_file(rows), filename="index-egalite-fh.csv")


def test_a_response_whose_index_differs_shows_the_badges_with_source_and_date(buyer_client, organisation, published):
    annex = answered(
        organisation,
        siret=ACME_SIRET,
        score=88,
        cadres_f=2,
        cadres_h=3,
        non_cadres_f=3,
        non_cadres_h=4,
        register_headcount_bracket="32",
        register_status="C",
        register_name="ACME INDUSTRIE",
        register_checked_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )

    page = text_of(buyer_client.get(reverse("responses:detail", args=[annex.pk])))

    assert "Index déclaré 88, publié 75" in page
    assert "12 salariés déclarés, tranche 250–499" in page
    assert "Entreprise fermée" in page
    assert "indicateurs 2024" in page
    assert "Écart de rémunération\u00a0: 39" in page
    assert "Retour de congé maternité\u00a0: non calculable" in page
    assert "Écart de taux de promotion\u00a0: sans objet" in page
    assert (
        "Source\u00a0: Index Egapro publié (fichier «\u00a0index-egalite-fh\u00a0», ministère du Travail), données du"
        in page
    )
    assert "Source\u00a0: API Recherche d'entreprises (répertoire Sirene), consultée le 1er\u00a0juin 2025" in page


def test_a_matching_index_and_a_ues_member_are_verified(buyer_client, organisation, published):
    member = answered(organisation, siret=MEMBER_SIRET, score=75)

    page = text_of(buyer_client.get(reverse("responses:detail", args=[member.pk])))

    assert "Index vérifié\u00a0: 75" in page
    assert (
        f"au titre de l'UES «\u00a0UES GRAND GROUPE\u00a0» (déclarée par le SIREN\u00a0{sirene_number('356000000')})"
        in page
    )
    assert "Index déclaré" not in page


def test_the_list_filters_verified_different_and_not_published(buyer_client, organisation, published):
    answered(organisation, siret=ACME_SIRET, score=88, structure_name="Différente")
    answered(organisation, siret=SMALL_SIRET, not_computable=True, structure_name="Vérifiée NC")
    answered(organisation, siret=MEMBER_SIRET, score=75, structure_name="Vérifiée UES")
    answered(organisation, siret=UNKNOWN_SIRET, score=90, structure_name="Non publiée")
    # No year given: compared with the index published in its submission year (2025: the row of 2024).
    answered(
        organisation,
        siret=ACME_SIRET,
        score=75,
        structure_name="Sans année",
        year=None,
        submitted_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
    )

    def names(check):
        page = buyer_client.get(reverse("responses:list"), {"index_check": check})
        return sorted(annex.structure_name for annex in page.context["responses"])

    assert names("verifie") == ["Sans année", "Vérifiée NC", "Vérifiée UES"]
    assert names("different") == ["Différente"]
    assert names("non_publie") == ["Non publiée"]
    page = buyer_client.get(reverse("responses:list"))
    assert "Différent (publié 75)" in text_of(page)
    assert len(page.context["responses"]) == 5


def test_the_export_appends_the_registers_columns(buyer_client, organisation, published):
    answered(
        organisation,
        siret=ACME_SIRET,
        score=88,
        register_headcount_bracket="32",
        register_naf="25.62B",
        register_status="A",
        register_checked_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    answered(organisation, siret=UNKNOWN_SIRET, score=90)

    response = buyer_client.get(reverse("responses:export", args=["csv"]))

    # The export heads its columns in French; read them by their technical keys.
    key_of = {column.heading: column.key for column in exports.COLUMNS}
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    acme, unknown = ({key_of[heading]: value for heading, value in row.items()} for row in rows)
    assert (acme["published_index_year"], acme["published_index"], acme["published_index_check"]) == (
        "2024",
        "75",
        "différent",
    )
    assert acme["published_index_source"].startswith("Index Egapro publié (fichier «\u00a0index-egalite-fh\u00a0»")
    assert (acme["register_headcount_bracket"], acme["register_naf"], acme["register_status"]) == (
        "250–499",
        "25.62B",
        "active",
    )
    assert acme["register_checked_at"] == "2025-06-01"
    assert (unknown["published_index"], unknown["published_index_check"], unknown["published_index_source"]) == (
        "",
        "non publié",
        "",
    )


def test_without_a_loaded_row_the_api_egapro_is_asked_and_its_date_shown(
    buyer_client, organisation, httpserver, settings
):
    settings.EGAPRO_API_BASE_URL = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/api/public/declaration/552100554/2024").respond_with_json(recorded.EGAPRO_DECLARATION)
    annex = answered(organisation, siret=ACME_SIRET, score=80)

    page = text_of(buyer_client.get(reverse("responses:detail", args=[annex.pk])))

    assert "Index déclaré 80, publié 88" in page
    assert "Source\u00a0: API Egapro (ministère du Travail), données du" in page


def test_an_api_egapro_down_is_said_and_the_page_answers(buyer_client, organisation, httpserver, settings):
    settings.EGAPRO_API_BASE_URL = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/api/public/declaration/552100554/2024").respond_with_data("boom", status=503)
    annex = answered(organisation, siret=ACME_SIRET, score=80)

    response = buyer_client.get(reverse("responses:detail", args=[annex.pk]))

    assert response.status_code == 200
    assert "L'API Egapro ne répond pas pour le moment (erreur 503 de la source)" in text_of(response)
