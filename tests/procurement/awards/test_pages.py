"""The upload page, the import's report page, the market page and the `import_decp` command share one service."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from procurement.enums import Role
from procurement.models import DecpImport, Market
from tests.procurement.awards.factories import BUYER_SIREN, A, decp_file, hand_built_file, market
from tests.procurement.factories import MarketFactory, OrganisationFactory
from tests.utils import text_of


@pytest.fixture
def buyer_organisation():
    return OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)


@pytest.fixture
def buyer_client(client_with_role, buyer_organisation):
    return client_with_role(Role.BUYER, organisation=buyer_organisation)


def upload(client, content: bytes, name: str = "decp-2025.json"):
    return client.post(reverse("procurement:decp_import"), {"file": SimpleUploadedFile(name, content)})


def test_an_upload_imports_the_file_and_shows_its_located_report(buyer_client, buyer_organisation):
    content = decp_file(market("R-1", notified_on="2025-02-01", amount="12 000,50", holders=[A[1]]))

    response = upload(buyer_client, content)

    run = DecpImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("procurement:decp_import_detail", args=[run.pk])
    assert run.imported_by is not None
    page = buyer_client.get(response.url)
    text = text_of(page)
    assert "1 marché(s) créé(s)" in text
    # The schema's reason, once: the reading does not add its own for the same field.
    assert text.count("marché R-1 : montant : ") == 1
    assert "marché R-1 : montant : « 12 000,50 » : un nombre attendu" in text
    assert Market.objects.get(reference="R-1").awarded_amount == Decimal("12000.50")


def test_a_refused_upload_says_why_and_stores_nothing(buyer_client):
    response = upload(buyer_client, b'{"marches": [', "tronque.json")

    assert response.status_code == 400
    assert "Le fichier JSON est incomplet ou mal formé" in text_of(response)
    assert not DecpImport.objects.exists()


def test_a_facilitator_may_not_import(client_with_role, buyer_organisation):
    client = client_with_role(Role.FACILITATOR, organisation=buyer_organisation)

    assert upload(client, hand_built_file()).status_code == 403
    assert not DecpImport.objects.exists()


def test_another_organisations_import_is_not_found(buyer_client):
    other = OrganisationFactory(siren="213502388")
    foreign = DecpImport.objects.create(organisation=other, file_name="x.json", schema_version="2.0")

    assert buyer_client.get(reverse("procurement:decp_import_detail", args=[foreign.pk])).status_code == 404


def test_the_market_page_shows_the_award_its_titulaires_and_where_each_value_came_from(
    buyer_client, buyer_organisation
):
    staff = MarketFactory(organisation=buyer_organisation, reference="2025-002", title="Nettoyage (saisi)")
    upload(buyer_client, hand_built_file())

    page = text_of(buyer_client.get(reverse("procurement:market_detail", args=[staff.pk])))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())

    assert "Nettoyage (saisi)" in text
    assert "Date de notification 2 mai 2025 données essentielles" in text
    assert "Sous-traitant déclaré" in text
    assert "Complété par les données essentielles" in text


def test_a_market_without_award_says_where_the_award_comes_from_instead_of_empty_fields(
    buyer_client, client_with_role, buyer_organisation
):
    staff = MarketFactory(organisation=buyer_organisation, reference="2026-001", title="Nettoyage des écoles")

    text = text_of(buyer_client.get(reverse("procurement:market_detail", args=[staff.pk])))

    assert "Pas encore d'attribution connue." in text and "Importer les données essentielles" in text
    assert "Date de notification" not in text and "Considérations sociales" not in text
    # Who may not import reads the sentence without the link.
    reader = client_with_role(Role.EQUALITY_OFFICER, organisation=buyer_organisation)
    text = text_of(reader.get(reverse("procurement:market_detail", args=[staff.pk])))
    assert "Pas encore d'attribution connue." in text and "Importer les données essentielles" not in text


def test_the_command_imports_prints_the_report_and_refuses_with_the_reason(buyer_organisation, tmp_path):
    path = tmp_path / "decp.json"
    path.write_bytes(hand_built_file())
    out = StringIO()

    call_command("import_decp", str(path), "--organisation", buyer_organisation.slug, stdout=out)

    assert "4 marché(s) créé(s)" in out.getvalue()
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"autre": 1}')
    with pytest.raises(CommandError, match="Import refusé : Ce fichier n'est pas un fichier de données essentielles"):
        call_command("import_decp", str(broken), "--organisation", buyer_organisation.slug)


def test_the_market_page_groups_the_digits_of_a_titulaire_siren(buyer_client, buyer_organisation):
    upload(buyer_client, decp_file(market("R-9", notified_on="2025-02-01", amount="1000", holders=[A[1]])))
    staff = Market.objects.get(reference="R-9")

    page = buyer_client.get(reverse("procurement:market_detail", args=[staff.pk])).content.decode()

    siren = A[0]
    grouped = f"<span>{siren[:3]}</span><span>{siren[3:6]}</span><span>{siren[6:]}</span>"
    assert f'(SIREN&nbsp;<span class="sirene-number">{grouped}</span>)' in page
