"""Staff detail page of a response, and the attachment download that checks the organisation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.enums import Role
from procurement.templatetags.french import sirene_number
from questionnaire.enums import HEADCOUNT_CATEGORIES, EqualityIndexStatus, OfficerGender
from questionnaire.models import Attachment
from tests.procurement.factories import MarketFactory
from tests.questionnaire.factories import AnnexResponseFactory, pdf_attachment, siret_with_luhn
from tests.utils import text_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail_url(annex) -> str:
    return reverse("responses:detail", args=[annex.pk])


def attach(annex, *, name: str = "accord-egalite.pdf") -> Attachment:
    return pdf_attachment(organisation=annex.organisation, response=annex, name=name, content=PDF)


@pytest.fixture
def annex(organisation):
    return AnnexResponseFactory(
        organisation=organisation,
        structure_name="Bâtir Ensemble",
        market=MarketFactory(organisation=organisation, reference="2025-TRX-009"),
        cadres=(3, 5, 1, 0),
        non_cadres=(20, 30, 0, 0),
        has_board=True,
        board_women_pct=Decimal("37.5"),
        president=OfficerGender.F,
        secretary=OfficerGender.NOT_APPLICABLE,
        volunteers_women_pct=Decimal("60"),
        policy_text="Accord égalité signé en 2023.",
        equality_index_status=EqualityIndexStatus.SCORE,
        equality_index_score=88,
        equality_index_year=2024,
        commitment_training=True,
        commitment_training_detail="Formation des managers",
    )


def test_every_answer_is_shown_grouped_like_the_questionnaire(buyer_client, annex):
    page = buyer_client.get(detail_url(annex))

    assert page.status_code == 200
    text = text_of(page)
    sections = ["1. Structure", "2. Effectifs", "3. Gouvernance", "4. Politique interne", "5. Engagements"]
    positions = [text.index(title) for title in [*sections, "6. Pièces jointes"]]
    assert positions == sorted(positions)
    for expected in (
        sirene_number(annex.siret),
        annex.receipt_number,
        "2025-TRX-009",
        "37,50\u00a0%",
        "Sans objet (pas de poste)",
        "60\u00a0%",
        "Accord égalité signé en 2023.",
        "88 / 100",
        "(année 2024)",
        "Formation des managers",
        "Version du questionnaire",
        "Aucune pièce jointe.",
    ):
        assert expected in text
    # Row totals and the grand total of the headcount grid.
    assert [row["total"] for row in page.context["headcount"]["rows"]] == [9, 50]
    assert page.context["headcount"]["column_totals"] == [23, 35, 1, 0]
    assert ">59<" in page.content.decode()


def test_the_headcount_headers_carry_the_gender_codes_and_their_full_labels(buyer_client, annex):
    """On a narrow phone the columns show F, H, NB, NSP (explained by the legend); screen readers read the words."""
    page = buyer_client.get(detail_url(annex))
    content = page.content.decode()
    grid = content.index('class="fr-table fr-table--bordered fr-table--no-caption annex-headcount"')
    head = content[content.index("<thead>", grid) : content.index("</thead>", grid)]

    assert "css/annex.css" in content[: content.index("</head>")]
    for code, label in HEADCOUNT_CATEGORIES.items():
        assert f'<abbr class="annex-headcount__short" title="{label}" aria-hidden="true">{code.upper()}</abbr>' in head
        assert f'<span class="fr-sr-only">{label}</span>' in head
    assert "F&nbsp;: femmes" in content and "NSP&nbsp;: ne se prononce pas" in content


def test_the_blank_questionnaire_of_the_market_is_linked(buyer_client, annex):
    content = buyer_client.get(detail_url(annex)).content.decode()

    assert reverse("questionnaire:market_fiche_pdf", args=[annex.market_id]) in content


def test_another_organisations_response_is_404_even_for_a_facilitator(client_with_role, other_organisation):
    foreign = AnnexResponseFactory(organisation=other_organisation)
    client = client_with_role(Role.FACILITATOR)

    assert client.get(detail_url(foreign)).status_code == 404


def test_facilitators_get_403_on_their_own_responses(client_with_role, annex):
    client = client_with_role(Role.FACILITATOR)

    assert client.get(detail_url(annex)).status_code == 403


def test_the_history_of_the_structure_lists_every_submission(buyer_client, organisation):
    siret = siret_with_luhn("6001234560")
    earlier = AnnexResponseFactory(
        organisation=organisation, siret=siret, submitted_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    )
    later = AnnexResponseFactory(
        organisation=organisation, siret=siret, submitted_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
    )

    text = text_of(buyer_client.get(detail_url(earlier)))

    assert "Toutes les réponses de cette structure" in text
    assert "1er\u00a0septembre 2025" in text
    assert "Remplacée par une réponse plus récente" in text
    assert "Dernière réponse\u00a0: retenue pour les statistiques" in text_of(buyer_client.get(detail_url(later)))


def test_staff_download_an_attachment(buyer_client, annex):
    attachment = attach(annex)

    page = buyer_client.get(detail_url(annex))
    url = reverse("responses:attachment", args=[annex.pk, attachment.pk])
    assert url in page.content.decode()
    download = buyer_client.get(url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="accord-egalite.pdf"'
    assert "no-store" in download["Cache-Control"]
    # The stored name never reveals the original one, and files have no public URL.
    assert "accord" not in attachment.file.name


def test_another_organisations_attachment_is_404(buyer_client, organisation, other_organisation, annex):
    foreign = attach(AnnexResponseFactory(organisation=other_organisation))

    # Neither through its own response nor through one of ours.
    assert buyer_client.get(reverse("responses:attachment", args=[foreign.response_id, foreign.pk])).status_code == 404
    assert buyer_client.get(reverse("responses:attachment", args=[annex.pk, foreign.pk])).status_code == 404


def test_an_attachment_is_closed_to_anonymous_visitors_and_facilitators(client, client_with_role, annex):
    url = reverse("responses:attachment", args=[annex.pk, attach(annex).pk])

    assert client.get(url).status_code == 302
    assert client_with_role(Role.FACILITATOR).get(url).status_code == 403


def test_a_missing_file_is_404_not_an_error(buyer_client, annex):
    attachment = attach(annex)
    attachment.file.delete(save=False)

    assert buyer_client.get(reverse("responses:attachment", args=[annex.pk, attachment.pk])).status_code == 404
