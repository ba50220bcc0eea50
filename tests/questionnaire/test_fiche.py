"""The fiche de renseignements (the annex on paper), DOCX and PDF: its content, who may download it, and that its
questions and choices are those of the online questionnaire."""

import io
import subprocess
import zipfile

import pytest
from django.urls import reverse

from procurement.enums import GENDER_HEADCOUNT_LABELS, Gender, Role
from questionnaire import texts
from questionnaire.enums import OFFICER_FIELDS, Commitment, OfficerGender
from questionnaire.fiche import texts as paper
from questionnaire.forms import COMMITMENT_DETAIL_LABEL, GovernanceForm
from questionnaire.wizard import STEP_GOVERNANCE, STEP_HEADCOUNT
from tests.procurement.factories import MarketFactory
from tests.procurement.specifications.helpers import body_of, full_text
from tests.procurement.specifications.helpers import text_of as docx_text_of
from tests.questionnaire.conftest import step_url
from tests.utils import text_of


@pytest.fixture
def works_market(organisation):
    return MarketFactory(organisation=organisation, works_with_base_vie=True, reference="2026-TRX-001")


def fiche_docx(client, market) -> bytes:
    response = client.get(reverse("questionnaire:market_fiche_docx", args=[market.pk]))
    assert response.status_code == 200
    return response.content


def table_rows(content: bytes) -> list[list[str]]:
    """Every row of every table of the document, as the texts of its cells."""
    return [
        [docx_text_of(cell) for cell in row.iter("{*}tc")]
        for table in body_of(content).iter("{*}tbl")
        for row in table.iter("{*}tr")
    ]


def test_the_fiche_docx_has_the_questionnaire_the_reference_and_the_link(client_with_role, works_market):
    client = client_with_role(Role.FACILITATOR)

    response = client.get(reverse("questionnaire:market_fiche_docx", args=[works_market.pk]))

    expected = 'attachment; filename="fiche-de-renseignements-egalite-2026-trx-001.docx"'
    assert response["Content-Disposition"] == expected
    text = full_text(response.content)
    assert "Renseignements relatifs à la politique égalité de la structure" in text
    assert "2026-TRX-001" in text
    assert f"http://testserver/annexe/{works_market.candidate_token}/" in text
    assert "Cellule de traitement des violences sexistes et sexuelles au travail" in text
    assert "Président·e" in text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read("word/media/qr.png").startswith(b"\x89PNG")


def test_the_fiche_pdf_has_the_questionnaire_the_reference_and_the_link(client_with_role, works_market, tmp_path):
    response = client_with_role(Role.BUYER).get(reverse("questionnaire:market_fiche_pdf", args=[works_market.pk]))

    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "fiche.pdf"
    pdf.write_bytes(response.content)
    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    text = " ".join(extracted.split())
    assert "Renseignements relatifs à la politique égalité de la structure" in text
    assert "Marché 2026-TRX-001" in text
    assert works_market.candidate_token in text.replace(" ", "")
    assert "Négociation d'accords" in text
    assert "Sans objet (pas de poste)" in text


def test_the_fiche_of_another_organisations_market_answers_404(client_with_role, other_organisation):
    market_of_b = MarketFactory(organisation=other_organisation)
    client = client_with_role(Role.ADMIN)

    for name in ("questionnaire:market_fiche_docx", "questionnaire:market_fiche_pdf"):
        assert client.get(reverse(name, args=[market_of_b.pk])).status_code == 404, name


def test_the_fiche_keeps_its_paths_under_the_markets_cahier_des_charges(works_market):
    base = f"/marches/{works_market.pk}/cahier-des-charges/fiche-de-renseignements"

    assert reverse("questionnaire:market_fiche_docx", args=[works_market.pk]) == f"{base}.docx"
    assert reverse("questionnaire:market_fiche_pdf", args=[works_market.pk]) == f"{base}.pdf"


# --- The paper asks what the online questionnaire asks ----------------------------------------------------------


def test_the_headcount_grid_has_a_column_per_gender_of_the_vocabulary(client_with_role, works_market):
    rows = table_rows(fiche_docx(client_with_role(Role.BUYER), works_market))

    header = rows[0]
    assert header[1:-1] == [
        GENDER_HEADCOUNT_LABELS[gender] + ("*" if gender == Gender.NB else "") for gender in Gender
    ]
    assert header[-1] == "Total"


def test_every_officer_answer_of_the_online_form_is_a_column_of_the_paper(client_with_role, works_market):
    rows = table_rows(fiche_docx(client_with_role(Role.BUYER), works_market))

    officers_header = next(row for row in rows if row[0] == "" and "Femme" in row)
    assert officers_header[1:] == [label for _value, label in OfficerGender.choices]
    assert set(Gender.labels) <= set(officers_header)
    officer_rows = [row[0] for row in rows if row[0] in OFFICER_FIELDS.values()]
    assert officer_rows == list(OFFICER_FIELDS.values())


def test_the_paper_reads_its_questions_from_the_online_questionnaire(client_with_role, works_market):
    text = full_text(fiche_docx(client_with_role(Role.BUYER), works_market))

    for label in (
        texts.TITLE,
        texts.OPTIONAL_NOTICE,
        texts.PURPOSE,
        texts.HEADCOUNT_SECTION,
        texts.OFFICERS_QUESTION,
        texts.POLICY_SECTION,
        texts.COMMITMENTS_SECTION,
        GovernanceForm.base_fields["has_board"].label,
        COMMITMENT_DETAIL_LABEL,
        *Commitment.labels,
        *Gender.labels,
    ):
        assert label in text, label


def test_an_override_keeps_the_buyers_paper_wording_where_it_is_declared(client_with_role, works_market):
    text = full_text(fiche_docx(client_with_role(Role.BUYER), works_market))
    online_board_share = GovernanceForm.base_fields["board_women_pct"].label

    assert paper.BOARD_SHARE in text
    assert paper.POLICY_QUESTION in text
    assert online_board_share not in text
    assert online_board_share != paper.BOARD_SHARE


def test_the_online_steps_show_the_same_titles_as_the_paper(client, draft):
    headcount = text_of(client.get(step_url(draft, STEP_HEADCOUNT)))
    governance = text_of(client.get(step_url(draft, STEP_GOVERNANCE)))

    assert texts.HEADCOUNT_SECTION in headcount and texts.HEADCOUNT_SECTION in paper.STAFF_SECTION
    assert texts.NON_BINARY_FOOTNOTE in headcount
    assert texts.OFFICERS_QUESTION in governance and texts.OFFICERS_QUESTION in paper.OFFICERS_QUESTION
    for label in OfficerGender.labels:
        assert label in governance
