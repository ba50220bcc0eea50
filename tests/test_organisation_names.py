"""Every page, e-mail, document and export that names an organisation reads as French for every article.

One buyer per article (« la Ville de Denain », « le Département du Nord », « l'Agglomération de Valenciennes »,
« les Hospices civils de Lyon », « Valenciennes Métropole »), with one object of each kind (the authorisation
matrix's world); each role opens every page it may open, the candidate every public page, and the texts of the
e-mails, the PDF receipt, the fiche (DOCX and PDF), the stamped cahier des charges, the statistics workbook, the
phrases for the report, the clauses workbook and the default encart are scanned for the forms that betray a name
glued after a preposition: « de Agglomération », « à Ville », « de la la », « de le … »."""

import html
import io
import re
import subprocess
import tempfile
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from lxml import etree

from procurement.enums import Article, Role
from procurement.names import guess_article
from procurement.specifications import selectors as specification_selectors
from procurement.specifications.docx import ooxml
from procurement.specifications.enums import SpecificationTextKind
from questionnaire.services import receipts
from tests.procurement.factories import OrganisationFactory, member
from tests.test_authorisation_matrix import RULES, World, _build

BUYERS = [
    ("Ville de Denain", Article.LA),
    ("Département du Nord", Article.LE),
    ("Agglomération de Valenciennes", Article.ELIDED),
    ("Hospices civils de Lyon", Article.LES),
    ("Valenciennes Métropole", Article.NONE),
]
CANDIDATE_FILES = {"responses:attachment"}  # a file the candidate sent, not a text of ours
NOUNS = "Ville|Agglomération|Communauté|Département|Région|Métropole|Hospices|Hôpitaux"
GENERIC_BAD_FORMS = [
    re.compile(rf"\b(?:de|à|par|pour) (?:{NOUNS})\b"),
    re.compile(r"\b(?:de|à) (?:la|le|les|l') ?(?:la|le|les|l')\b"),
    re.compile(r"\b(?:du|au|des|aux) (?:la|le|les|l')\b"),
    re.compile(r"l'l'"),
]


def bad_forms(text: str, *, name: str, article: str) -> list[str]:
    """The wrong ways to name this buyer found in `text` (empty when it reads well)."""
    patterns = list(GENERIC_BAD_FORMS)
    glued = ["de le", "à le", "de les", "à les", "de la la", "à la la"]
    if article != Article.NONE:
        glued += ["de", "à", "par", "pour"]  # « de Ville de Denain », « par Agglomération… »
    elif name[0] in "AEIOUÉÈ":
        glued.append("de")
    patterns += [re.compile(rf"\b{re.escape(word)} {re.escape(name)}") for word in glued]
    return [match.group(0) for pattern in patterns for match in pattern.finditer(text)]


def html_text(content: bytes) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(content)
        source.flush()
        completed = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", source.name, "-"], capture_output=True, check=False, timeout=60
        )
    assert completed.returncode == 0, (completed.stderr, content[:200])
    return re.sub(r"\s+", " ", completed.stdout.decode())


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join(ooxml.paragraph_text(paragraph) for paragraph in body.iter(ooxml.W_P))


def xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [workbook.properties.title or ""]
    for sheet in workbook.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(value) for value in row if isinstance(value, str))
    return "\n".join(cells)


def response_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        return html_text(content)
    if "pdf" in content_type:
        return pdf_text(content)
    if "wordprocessingml" in content_type:
        return docx_text(content)
    if "spreadsheetml" in content_type:
        return xlsx_text(content)
    if content_type.startswith("text/") or "json" in content_type:
        return content.decode()
    return ""  # images (QR codes), ODS: no sentence


def get_pages(client, world: World, names: list[str]) -> dict[str, str]:
    texts = {}
    for name in names:
        rule = RULES[name]
        kwargs = getattr(world, rule.kwargs)() if rule.kwargs else {}
        response = client.get(reverse(name, kwargs=kwargs) + rule.query, follow=True)
        assert response.status_code == 200, f"{name} → {response.status_code}"
        texts[name] = response_text(response)
    return texts


@pytest.fixture(params=BUYERS, ids=[article for _, article in BUYERS])
def named_buyer(request, django_capture_on_commit_callbacks):
    name, article = request.param
    organisation = OrganisationFactory(name=name, slug=f"acheteur-{article}", article=article)
    return _build(organisation, django_capture_on_commit_callbacks)


def test_every_text_naming_the_buyer_reads_as_french(client, named_buyer, mailoutbox):
    organisation = named_buyer.organisation
    world = World(named_buyer)
    texts: dict[str, str] = {}

    for role in Role.values:
        client.force_login(member(organisation=organisation, role=role))
        pages = [
            name
            for name, rule in RULES.items()
            if rule.access == "member" and rule.method == "get" and role in rule.roles and name not in CANDIDATE_FILES
        ]
        texts.update({f"{page} ({role})": text for page, text in get_pages(client, world, pages).items()})
        if role == Role.ADMIN:
            snapshot = named_buyer.objects["snapshot"].pk
            for export_format in ("xlsx", "phrases"):
                response = client.get(reverse("analytics:export", args=[snapshot, export_format]))
                texts[f"analytics:export {export_format}"] = response_text(response)
        client.logout()
    public = [name for name, rule in RULES.items() if rule.access == "public" and rule.method == "get"]
    texts.update(get_pages(client, world, public))

    response = named_buyer.objects["submitted_response"]
    receipts.send_receipt(response=response)  # the address is not confirmed yet: a link to confirm it
    receipts.confirm_contact_email(response=response)
    receipts.send_receipt(response=response)  # the receipt, with the PDF
    receipts.send_resume_link(
        email="rh@candidat.example", resume_url="https://e.example/r/", organisation=organisation
    )
    for index, message in enumerate(mailoutbox):
        texts[f"courriel {index}"] = f"{message.subject}\n{message.body}"
        for filename, content, _ in message.attachments:
            texts[f"courriel {index} : {filename}"] = pdf_text(content)
    title, body = specification_selectors.default_title_and_body(
        organisation=organisation, kind=SpecificationTextKind.ENCART
    )
    texts["encart par défaut"] = f"{title}\n{body}"

    found = {
        where: bad
        for where, text in texts.items()
        if (bad := bad_forms(text, name=organisation.name, article=organisation.article))
    }
    assert found == {}
    # The forms are there, not merely absent: the sentences name the buyer with its article.
    assert f"Marchés {organisation.name_of}" in texts["procurement:market_list (buyer)"]
    assert f"Membres {organisation.name_of}" in texts["members (admin)"]
    assert f"questionnaire égalité {organisation.name_of}" in texts["questionnaire:confirm_address"]
    assert any(organisation.name_of in text for where, text in texts.items() if where.startswith("courriel"))
    assert f"Politique d'égalité entre les femmes et les hommes {organisation.name_of}" in title
    assert f"Au-delà de cette obligation, {organisation.name_subject} souhaite" in body
    assert f"permettent {organisation.name_to} de suivre" in body
    assert organisation.name in texts["questionnaire:market_fiche_pdf (buyer)"]
    assert organisation.name in texts["analytics:export xlsx"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Marchés de Agglomération de Valenciennes", ["de Agglomération"]),
        ("Indicateurs à Ville de Denain", ["à Ville"]),
        ("Statistiques de la la Ville de Denain", ["de la la"]),
        ("Marchés de la Ville de Denain, à la Ville de Denain", []),
    ],
)
def test_the_scan_finds_the_wrong_forms(text, found):
    assert [form for form in bad_forms(text, name="Ville de Denain", article=Article.LA) if form in found] == found
    if not found:
        assert bad_forms(text, name="Ville de Denain", article=Article.LA) == []


def test_the_names_guess_is_what_the_demo_and_the_migration_use():
    assert guess_article("Agglomération de Valenciennes (démo)") == Article.ELIDED
    assert guess_article("Ville de Denain") == Article.LA
    assert guess_article("Valenciennes Métropole") == Article.NONE
