"""Real .docx files that nobody here wrote (tests/corpus/docx/public/: Word 2007 to 365, Word for Mac, LibreOffice,
Google Docs, Apple Pages, Strict Open XML; footnotes, comments, tracked changes, text boxes, fields, content controls,
sections, charts...) go through the stamping service that the page and the command use: each is accepted, with the
encart once, where the placement rules put it, and nothing of the buyer's text or parts lost; or refused with the
reason its README row gives."""

import io
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from procurement.models import StampedSpecification
from procurement.specifications.docx import ooxml
from procurement.specifications.docx.safety import UnsafeDocument
from tests.procurement.specifications.helpers import ANNEX_URL, entries, stamp
from tests.utils import libreoffice_convert, require_soffice

FOLDER = Path(__file__).resolve().parents[2] / "corpus" / "docx" / "public"
LINK_SENTENCE = "Fiche de renseignements égalité femmes-hommes"
BASE_VIE_SENTENCE = "Conformément à l'article R. 4228-5 du code du travail"
# Parts that stamping may rewrite: the main document, its relationships, the content types, styles and numbering.
REWRITTEN = {"[Content_Types].xml", "styles.xml", "numbering.xml"}


@dataclass(frozen=True)
class Expected:
    """What a file gives. Accepted: the heading whose section the encart ends ("" for the end of a document whose
    outline has no article) and the first paragraph of the document that follows the inserted texts ("" when they
    end the body). Refused: the code and words of the French reason."""

    section: str = ""
    followed_by: str = ""
    refusal: str = ""
    reason: str = ""
    python_docx: bool = True  # python-docx reads only Transitional documents


EXPECTED = {
    "docx2python-ControlTest.docx": Expected(),
    "docx2python-check_drop_my.docx": Expected(),
    "docx2python-checked_boxes.docx": Expected(),
    "docx2python-created-in-pages-bulleted-lists.docx": Expected(),
    "docx2python-equations.docx": Expected(),
    "docx2python-google_docs.docx": Expected(),
    # Chapters 2 to 4 have no heading style (only chapters 1 and 5 do): as the outline reads it, chapter 1's section
    # runs until chapter 5.
    "docx2python-libreoffice_conversion.docx": Expected("第一章  竞争性谈判采购公告", "第五章  合同主要条款"),
    "docx2python-renamed_document_xml.docx": Expected(),
    "docx2python-zen_of_python.docx": Expected("Beautiful is better than ugly."),
    "mammoth-comments.docx": Expected(),
    "mammoth-embedded-style-map.docx": Expected(),
    "mammoth-external-picture.docx": Expected(),
    "mammoth-footnotes.docx": Expected(),
    "mammoth-strict-format.docx": Expected(
        refusal="strict_ooxml", reason="Document Open XML strict", python_docx=False
    ),
    "mammoth-text-box.docx": Expected(),
    "mammoth-utf8-bom.docx": Expected(),
    "poi-52449.docx": Expected(refusal="external_relationship", reason="Publipostage > Démarrer la fusion"),
    "poi-ComplexNumberedLists.docx": Expected(),
    "poi-ExternalEntityInText.docx": Expected(refusal="external_entity", reason="entité XML externe"),
    "poi-FieldCodes.docx": Expected(),
    "poi-HeaderFooterUnicode.docx": Expected("Molière"),
    "poi-bug53475-password-is-pass.docx": Expected(refusal="ole_file", reason="protégé par un mot de passe"),
    # A heading typed on two lines: the texts go after both.
    "poi-bug65649.docx": Expected(
        "Требования к сроку и объему предоставления гарантии качества работ",
        "Все содержащиеся в Техническом задании товарные знаки сопровождаются",
    ),
    "poi-checkboxes.docx": Expected(),
    "poi-delins.docx": Expected(),
    "poi-form_footnotes.docx": Expected(
        "IMPORTANT: FORMS THAT ARE INCOMPLETE  AND INCORRECTLY  FILLED OUT  WILL  BE  RETURNED."
    ),
    "poi-tika-3388.docx": Expected(refusal="ole_object", reason="objet incorporé"),
    "python-docx-doc-odd-even-hdrs.docx": Expected(),
    "python-docx-sct-section-props.docx": Expected(),
    "python-docx-shp-inline-shape-access.docx": Expected(),
}
ACCEPTED = sorted(name for name, expected in EXPECTED.items() if not expected.refusal)
REFUSED = sorted(name for name, expected in EXPECTED.items() if expected.refusal)
# Converted by LibreOffice (a few seconds each): one file per application or feature that matters most.
RENDERED = [
    "docx2python-created-in-pages-bulleted-lists.docx",
    "docx2python-google_docs.docx",
    "docx2python-libreoffice_conversion.docx",
    "mammoth-text-box.docx",
    "poi-bug65649.docx",
    "poi-delins.docx",
    "poi-form_footnotes.docx",
    "python-docx-sct-section-props.docx",
    "python-docx-shp-inline-shape-access.docx",
]


def read(name: str) -> bytes:
    return (FOLDER / name).read_bytes()


def main_part(parts: dict[str, bytes]) -> str:
    """The main document's part name, from the package relationships (one file renames it)."""
    for rel in etree.fromstring(parts["_rels/.rels"]):
        if rel.get("Type", "").endswith("/officeDocument"):
            return ooxml.resolve_target("", rel.get("Target", ""))
    raise AssertionError("pas de document principal")


def content_type_of(parts: dict[str, bytes], part: str) -> str:
    """The content type `[Content_Types].xml` gives a part (Word refuses a package with a part that has none)."""
    if part == "[Content_Types].xml" or part.endswith("/"):
        return "-"
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {e.get("PartName", "").lower(): e.get("ContentType") for e in types if e.get("PartName")}
    defaults = {e.get("Extension", "").lower(): e.get("ContentType") for e in types if e.get("Extension")}
    return overrides.get(f"/{part.lower()}") or defaults.get(part.rsplit(".", 1)[-1].lower(), "")


def paragraph_texts(element: etree._Element) -> list[str]:
    return [ooxml.paragraph_text(paragraph) for paragraph in element.iter(ooxml.W_P)]


def stamped(market, name: str) -> tuple[StampedSpecification, bytes]:
    record = stamp(market, read(name), filename=name)
    with record.output.open("rb") as output:
        return record, output.read()


def test_the_readme_describes_every_file_and_the_table_lists_them_all():
    readme = (FOLDER / "README.md").read_text()
    on_disk = sorted(path.name for path in FOLDER.glob("*.docx"))

    assert on_disk == sorted(EXPECTED)
    for name, expected in EXPECTED.items():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{name}` |")), "")
        assert row, name
        assert (f"refusé\u00a0: `{expected.refusal}`" if expected.refusal else "accepté") in row, name
    assert sum(path.stat().st_size for path in FOLDER.glob("*.docx")) < 2 * 1024 * 1024


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_file_gets_its_reason_and_leaves_nothing(name, works_market):
    expected = EXPECTED[name]
    with pytest.raises(UnsafeDocument) as refusal:
        stamp(works_market, read(name), filename=name)

    assert refusal.value.code == expected.refusal
    assert expected.reason in refusal.value.message
    assert not StampedSpecification.objects.exists()


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_stamped_file_is_a_valid_package_that_python_docx_opens(name, works_market):
    _, output = stamped(works_market, name)

    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        assert archive.testzip() is None
        for part in archive.namelist():
            if part.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(part))  # well-formed
    parts = entries(output)
    assert [part for part in parts if not content_type_of(parts, part)] == []
    main = main_part(parts)
    for rel in etree.fromstring(parts[ooxml.rels_part_of(main)]):
        if rel.get("TargetMode") != "External":
            assert ooxml.resolve_target(main, rel.get("Target", "")) in parts, rel.get("Target")
    if EXPECTED[name].python_docx:
        document = docx.Document(io.BytesIO(output))
        texts = [paragraph.text for paragraph in document.paragraphs]
        assert any(text.startswith(LINK_SENTENCE) for text in texts)


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_encart_appears_once_in_the_body_where_the_rules_put_it(name, works_market):
    record, output = stamped(works_market, name)
    title = record.encart_text.title
    before, after = entries(read(name)), entries(output)
    main = main_part(after)
    body = etree.fromstring(after[main]).find(ooxml.W_BODY)
    expected = EXPECTED[name]

    assert paragraph_texts(body).count(title) == 1
    top_level = [ooxml.paragraph_text(child) for child in body]
    encart = top_level.index(title)  # a paragraph of the body itself: not in a table, a text box or a control
    for part, data in after.items():
        if part != main:
            assert title.encode() not in data, part
    assert record.encart_section == expected.section
    # The inserted texts are together (encart, link, QR code, base-vie article), then the document goes on.
    original = {text for text in (ooxml.paragraph_text(child) for child in _body(before)) if text.strip()}
    following = [text for text in top_level[encart + 1 :] if text in original]
    if expected.followed_by:
        assert following[0].startswith(expected.followed_by)
    else:
        assert following == []
    assert any(text.startswith(LINK_SENTENCE) for text in top_level[encart:])
    assert any(text.startswith(BASE_VIE_SENTENCE) for text in top_level[encart:])
    if expected.section:
        heading = next(index for index, text in enumerate(top_level) if expected.section.startswith(text))
        assert heading < encart


def _body(parts: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(parts[main_part(parts)]).find(ooxml.W_BODY)


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_candidate_link_is_a_hyperlink_of_the_document(name, works_market):
    _, output = stamped(works_market, name)
    parts = entries(output)
    main = main_part(parts)
    relationships = etree.fromstring(parts[ooxml.rels_part_of(main)])
    links = {rel.get("Id") for rel in relationships if rel.get("Target") == ANNEX_URL}

    assert len(links) == 1
    [link] = links
    body = etree.fromstring(parts[main]).find(ooxml.W_BODY)
    hyperlinks = [element for element in body.iter(ooxml.w("hyperlink")) if element.get(f"{{{ooxml.R_NS}}}id") == link]
    assert [ooxml.paragraph_text(element) for element in hyperlinks] == [ANNEX_URL]


@pytest.mark.parametrize("name", ACCEPTED)
def test_every_paragraph_and_every_other_part_of_the_original_is_kept(name, works_market):
    _, output = stamped(works_market, name)
    source = read(name)
    before, after = entries(source), entries(output)
    main = main_part(before)

    # Every paragraph of the body (tables, text boxes and content controls included), in the same order.
    remaining = iter(paragraph_texts(_body(after)))
    lost = [text for text in paragraph_texts(_body(before)) if text and not any(text == kept for kept in remaining)]
    assert lost == []
    # Headers, footers, notes, comments, images, custom parts: the same bytes.
    rewritten = {main, ooxml.rels_part_of(main)}
    for part, data in before.items():
        assert part in after, part
        if part not in rewritten and part.rsplit("/", 1)[-1] not in REWRITTEN:
            assert after[part] == data, part
    # The QR code and, for a document without them, a numbering part (and styles) are added; nothing else.
    added = {part.rsplit("/", 1)[-1] for part in set(after) - set(before)}
    assert added <= {"egalite-qr.png", "numbering.xml", "styles.xml"}
    # The encart adds a few kilobytes (its QR code, the new parts); a rewritten part is compressed again.
    assert len(source) * 0.8 - 4_000 < len(output) < len(source) * 1.25 + 12_000


@pytest.fixture
def soffice():
    return require_soffice("pdftotext")


@pytest.mark.parametrize("name", RENDERED)
def test_libreoffice_shows_the_encart_of_the_stamped_file(name, soffice, works_market, tmp_path):
    record, output = stamped(works_market, name)
    path = tmp_path / name
    path.write_bytes(output)

    completed = libreoffice_convert(soffice, [path], to="pdf", folder=tmp_path)

    pdf = tmp_path / "pdf" / f"{path.stem}.pdf"
    assert pdf.is_file(), completed.stderr.decode(errors="replace")
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    # Case aside: a document's heading style may set capitals (`w:caps`), which the PDF's text keeps.
    text = " ".join(shown.split()).casefold()
    assert " ".join(record.encart_text.title.split()).casefold() in text
    assert LINK_SENTENCE.casefold() in text
    assert "installations sanitaires" in text
