"""The fiche de renseignements (the annex on paper), DOCX and PDF: its content, who may download it, and that its
questions and choices are those of the online questionnaire."""

import io
import subprocess
import zipfile

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.urls import reverse

from procurement.enums import GENDER_HEADCOUNT_LABELS, Gender, Role
from questionnaire import texts
from questionnaire.enums import (
    HEADCOUNT_CATEGORIES,
    HEADCOUNT_FIELDS,
    HEADCOUNT_SCOPES,
    OFFICER_FIELDS,
    Commitment,
    OfficerGender,
)
from questionnaire.fiche import exports
from questionnaire.fiche import texts as paper
from questionnaire.fiche.selectors import fiche_context
from questionnaire.forms import COMMITMENT_DETAIL_LABEL, HONEYPOT_FIELD, GovernanceForm, PolicyForm
from questionnaire.wizard import STEP_ATTACHMENTS, STEP_GOVERNANCE, STEP_HEADCOUNT, STEP_SUMMARY, STEPS
from tests.procurement.factories import MarketFactory, validated_encart
from tests.procurement.specifications.helpers import body_of, full_text
from tests.procurement.specifications.helpers import text_of as docx_text_of
from tests.questionnaire.conftest import step_url
from tests.utils import image_bytes, page_texts, pdf_image_count, text_of


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


# --- The identity block and every section and option of the online questionnaire --------------------------------


def fiche_text(client, market, kind: str, tmp_path) -> str:
    """The fiche's text, spaces folded (the PDF wraps lines)."""
    response = client.get(reverse(f"questionnaire:market_fiche_{kind}", args=[market.pk]))
    assert response.status_code == 200
    if kind == "docx":
        return " ".join(full_text(response.content).split())
    path = tmp_path / "fiche.pdf"
    path.write_bytes(response.content)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout.split()
    )


def online_questions() -> list[tuple[str, str, list[str]]]:
    """(field name, label, choice labels) of every question the online questionnaire may ask, in its widest
    variant (the index asked), read from the wizard's own forms: a new question or option is walked here."""
    questions = []
    for step, form_class, _title in STEPS:
        if step in (STEP_ATTACHMENTS, STEP_SUMMARY):
            continue
        form = form_class(ask_index=True) if form_class is PolicyForm else form_class()
        for name, field in form.fields.items():
            if name in (HONEYPOT_FIELD, "market", "lot") or name in HEADCOUNT_FIELDS:
                continue
            choices = []
            if isinstance(field, forms.ChoiceField) and name != "equality_index_year":
                choices = [str(label) for _value, label in field.choices]
            questions.append((name, str(field.label), choices))
    return questions


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_fiche_has_every_section_question_and_option_of_the_online_questionnaire(
    client_with_role, works_market, kind, tmp_path
):
    text = fiche_text(client_with_role(Role.BUYER), works_market, kind, tmp_path)

    for step, _form, title in STEPS:
        if step != STEP_SUMMARY:
            assert title in text, title
    for name, label, choices in online_questions():
        wording = paper.PAPER_WORDING.get(name, label)
        assert " ".join(wording.split()) in text, name
        for choice in choices:
            assert choice in text, (name, choice)
    for scope in HEADCOUNT_SCOPES.values():
        assert scope in text
    for category in HEADCOUNT_CATEGORIES.values():
        assert category in text


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_fiche_asks_the_structures_identity_and_the_index_year(client_with_role, works_market, kind, tmp_path):
    text = fiche_text(client_with_role(Role.BUYER), works_market, kind, tmp_path)

    for label in ("Nom de la structure :", "Numéro SIRET :", "Adresse électronique :"):
        assert label in text
    assert text.index("Numéro SIRET") < text.index(texts.HEADCOUNT_SECTION)
    assert "Gouvernance" in text
    assert "Non calculable" in text
    assert "Année de publication de cette note" in text
    assert "Sans objet (pas de poste)" in text


def test_each_table_header_of_the_docx_repeats_after_a_page_break(client_with_role, works_market):
    content = fiche_docx(client_with_role(Role.BUYER), works_market)

    tables = list(body_of(content).iter("{*}tbl"))
    assert len(tables) == 2
    for table in tables:
        rows = list(table.iter("{*}tr"))
        assert rows[0].find("{*}trPr/{*}tblHeader") is not None
        assert all(row.find("{*}trPr/{*}tblHeader") is None for row in rows[1:])
        assert all(row.find("{*}trPr/{*}cantSplit") is not None for row in rows)


def test_the_pdf_repeats_its_table_headers_and_keeps_labels_with_their_text(works_market):
    html = exports.fiche_html(
        fiche_context(organisation=works_market.organisation, market=works_market, annex_url="https://exemple.fr/a/")
    )

    assert html.count("<thead>") == 2
    assert "thead { display: table-header-group; }" in html
    assert "break-inside: avoid" in html


def test_no_page_of_the_pdf_ends_with_a_question_whose_boxes_are_on_the_next(client_with_role, works_market):
    """With the buyer's logo and encart, the officers' question ended the first page and its table began the
    second."""
    works_market.organisation.logo.save("logo.png", ContentFile(image_bytes("PNG", size=(600, 200))))
    validated_encart(organisation=works_market.organisation)
    content = (
        client_with_role(Role.BUYER).get(reverse("questionnaire:market_fiche_pdf", args=[works_market.pk])).content
    )

    pages = page_texts(content)

    headings = {
        paper.IDENTITY_SECTION,
        paper.STAFF_SECTION,
        paper.GOVERNANCE_SECTION,
        paper.POLICY_SECTION,
        paper.INDEX_SECTION,
        paper.COMMITMENTS_TITLE,
        paper.ATTACHMENTS_SECTION,
    }
    assert len(pages) >= 2
    last_lines = [page[-1] for page in pages[:-1]]
    assert [line for line in last_lines if line.endswith("?") or line in {paper.OFFICERS_QUESTION, *headings}] == []


# --- Rendered once per version ----------------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """Counts the real renderings: WeasyPrint's for the PDF, the OOXML writer's for the DOCX."""
    import weasyprint

    counts = {"pdf": 0, "docx": 0}
    write_pdf = weasyprint.HTML.write_pdf
    write_package = exports.write_package

    def counting_write_pdf(self, *args, **kwargs):
        counts["pdf"] += 1
        return write_pdf(self, *args, **kwargs)

    def counting_write_package(*args, **kwargs):
        counts["docx"] += 1
        return write_package(*args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting_write_pdf)
    monkeypatch.setattr(exports, "write_package", counting_write_package)
    return counts


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_second_download_is_not_rendered_again(client_with_role, works_market, renders, kind):
    client = client_with_role(Role.BUYER)
    url = reverse(f"questionnaire:market_fiche_{kind}", args=[works_market.pk])

    first = client.get(url)
    second = client_with_role(Role.FACILITATOR).get(url)

    assert renders[kind] == 1
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_change_of_the_market_or_the_buyer_renders_the_fiche_again(
    client_with_role, works_market, renders, kind, tmp_path
):
    client = client_with_role(Role.BUYER)
    fiche_text(client, works_market, kind, tmp_path)

    works_market.title = "Rénovation de la médiathèque"
    works_market.save()
    assert "Rénovation de la médiathèque" in fiche_text(client, works_market, kind, tmp_path)
    assert renders[kind] == 2

    organisation = works_market.organisation
    organisation.name = "Ville de Trith-Saint-Léger"
    organisation.save()
    assert "Ville de Trith-Saint-Léger" in fiche_text(client, works_market, kind, tmp_path)
    assert renders[kind] == 3

    fiche_text(client, works_market, kind, tmp_path)
    assert renders[kind] == 3


def test_the_buyers_logo_is_on_the_pdf_and_a_new_logo_renders_it_again(client_with_role, works_market, renders):
    client = client_with_role(Role.BUYER)
    url = reverse("questionnaire:market_fiche_pdf", args=[works_market.pk])
    without_logo = client.get(url).content
    works_market.organisation.logo.save("logo.png", ContentFile(image_bytes("PNG")))

    with_logo = client.get(url).content

    assert renders["pdf"] == 2
    assert pdf_image_count(with_logo) == pdf_image_count(without_logo) + 1


@pytest.fixture
def fresh_layout():
    """The layout's digest computed again before and after the test (requested before `monkeypatch`, so that it is
    cleared after the patches are undone)."""
    exports.layout_version.cache_clear()
    yield
    exports.layout_version.cache_clear()


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_new_paper_wording_renders_the_fiche_again(
    fresh_layout, monkeypatch, client_with_role, works_market, renders, kind, tmp_path
):
    client = client_with_role(Role.BUYER)
    fiche_text(client, works_market, kind, tmp_path)

    monkeypatch.setattr(paper, "ATTACHMENTS", "Joignez ici vos pièces relatives à votre politique égalité")
    exports.layout_version.cache_clear()

    assert "Joignez ici vos pièces" in fiche_text(client, works_market, kind, tmp_path)
    assert renders[kind] == 2
