"""Headings inside block-level content controls (`w:body/w:sdt/w:sdtContent`, as public buyers' Word templates
wrap a section or a title block) are part of the outline: the encart ends the section they head, inside the
control, or right after it when its content is locked; a table of contents control is not a section; markers in a
control keep priority (`procurement/specifications/docx/controls.py`)."""

import subprocess

import pytest
from lxml import etree

from procurement.specifications.docx import ooxml
from procurement.specifications.docx.safety import open_docx
from procurement.specifications.docx.stamping import Placement, document_outline, stamp_package
from tests.procurement.specifications import cctp
from tests.procurement.specifications.helpers import ANNEX_QR_PNG, body_of, text_of, texts
from tests.utils import libreoffice_convert, require_soffice

W_SDT, W_SDT_CONTENT = ooxml.w("sdt"), ooxml.w("sdtContent")
ENCART_TITLE = texts(base_vie=True).encart_title
LINK_SENTENCE = "Fiche de renseignements égalité femmes-hommes"
GENERAL = "Article 2 – Dispositions générales"
INSTALLATION = "Article 3 – Installation de chantier"


def stamp(content: bytes, *, base_vie: bool = True, placement: Placement | None = None):
    package = open_docx(content, filename="cctp.docx")
    return stamp_package(package, texts=texts(base_vie=base_vie), qr_code_png=ANNEX_QR_PNG, placement=placement)


def general_provisions_in_control(**options) -> bytes:
    """Article 2 – Dispositions générales and its two paragraphs in a content control."""
    return cctp.in_content_control(cctp.controlled_cctp(), GENERAL, cctp.BODY_TEXT[:20], **options)


def paragraphs(container: etree._Element) -> list[tuple[etree._Element, str]]:
    """The paragraphs of `container`'s own blocks: the body's or a control content's (tables apart)."""
    return [(child, text_of(child)) for child in container if child.tag == ooxml.W_P]


def controls_of(content: bytes) -> list[etree._Element]:
    return body_of(content).findall(W_SDT)


def texts_of(control: etree._Element) -> list[str]:
    return [text for _, text in paragraphs(control.find(W_SDT_CONTENT))]


@pytest.mark.parametrize("kind", ["", "richText"])
def test_the_general_provisions_section_inside_a_rich_text_control_gets_the_encart_at_its_end(kind):
    source = general_provisions_in_control(kind=kind)

    result = stamp(source)

    assert result.encart_section == GENERAL
    [control] = controls_of(result.content)
    inside = texts_of(control)
    assert inside[:3] == [GENERAL, "Le présent CCTP complète le CCAP.", cctp.BODY_TEXT]
    assert inside[3] == ENCART_TITLE  # inside the control, after the section's last paragraph
    assert any(text.startswith(LINK_SENTENCE) for text in inside[3:])
    # The control still ends the section: the next article follows it in the body.
    assert text_of(control.getnext()) == INSTALLATION
    headings = [line.text for line in result.outline]
    assert headings.index(GENERAL) + 1 == headings.index(ENCART_TITLE) < headings.index(INSTALLATION)


def test_a_heading_inside_a_control_is_offered_to_the_buyer_and_its_index_places_the_texts():
    source = cctp.in_content_control(cctp.controlled_cctp(), "Article 1 – Objet", cctp.BODY_TEXT[:20])
    outline = document_outline(open_docx(source, filename="cctp.docx"))
    by_text = {entry.text: entry.index for entry in outline}

    assert list(by_text)[:3] == ["Article 1 – Objet du marché", GENERAL, INSTALLATION]
    result = stamp(source, placement=Placement(encart_after=by_text["Article 1 – Objet du marché"]))

    assert result.encart_section == "Article 1 – Objet du marché"
    [control] = controls_of(result.content)
    assert texts_of(control)[:3] == ["Article 1 – Objet du marché", cctp.BODY_TEXT, ENCART_TITLE]


def test_a_control_wrapping_only_the_heading_is_left_whole_and_the_encart_ends_the_section_in_the_body():
    source = cctp.in_content_control(cctp.controlled_cctp(), GENERAL, GENERAL, alias="Titre")

    result = stamp(source, base_vie=False)

    assert result.encart_section == GENERAL
    body = body_of(result.content)
    [control] = body.findall(W_SDT)
    assert texts_of(control) == [GENERAL]
    titles = [text for _, text in paragraphs(body)]
    assert titles.index(cctp.BODY_TEXT, titles.index("Le présent CCTP complète le CCAP.")) + 1 == titles.index(
        ENCART_TITLE
    )
    assert titles.index(ENCART_TITLE) < titles.index(INSTALLATION)


@pytest.mark.parametrize(
    "options", [{"lock": "contentLocked"}, {"lock": "sdtContentLocked"}, {"kind": "group"}], ids=str
)
def test_a_locked_control_is_not_written_into_and_the_texts_follow_it(options):
    """A group control is protected by Word as a locked one is."""
    source = general_provisions_in_control(**options)

    result = stamp(source, base_vie=False)

    assert result.encart_section == GENERAL
    body = body_of(result.content)
    [control] = body.findall(W_SDT)
    assert texts_of(control) == [GENERAL, "Le présent CCTP complète le CCAP.", cctp.BODY_TEXT]
    items = paragraphs(body)
    titles = [text for _, text in items]
    encart = titles.index(ENCART_TITLE)
    assert items[encart][0].getprevious() is control  # right after the control, in the body
    assert titles.index("Article 1 – Objet du marché") < encart < titles.index(INSTALLATION)


def test_a_locked_control_holding_the_closing_block_gets_the_texts_before_it():
    """After it would be after the signatures: the texts end the section above the control."""
    source = cctp.in_content_control(cctp.controlled_cctp(), GENERAL, "Jean Dupont", lock="sdtContentLocked")

    result = stamp(source)

    body = body_of(result.content)
    [control] = body.findall(W_SDT)
    assert texts_of(control)[0] == GENERAL and texts_of(control)[-1] == "Jean Dupont"
    assert ENCART_TITLE not in texts_of(control)
    titles = [text for _, text in paragraphs(body)]
    assert titles.index("Article 1 – Objet du marché") < titles.index("Article 1 bis – Installations sanitaires")
    assert titles.index("Article 1 bis – Installations sanitaires") < titles.index(ENCART_TITLE)
    assert paragraphs(body)[-1][0].getnext() is control  # the QR code's paragraph, right before the control
    assert result.encart_section == "Article 1 – Objet du marché"
    assert result.base_vie_section == ""
    headings = [line.text for line in result.outline]
    assert headings.index(ENCART_TITLE) < headings.index(GENERAL)


def test_the_base_vie_article_ends_a_site_installation_section_inside_a_control():
    source = cctp.in_content_control(cctp.controlled_cctp(), INSTALLATION, "Les accès sont balisés.")

    result = stamp(source)

    assert result.base_vie_section == INSTALLATION
    assert result.base_vie_heading == "3.2 Installations sanitaires"
    [control] = controls_of(result.content)
    inside = texts_of(control)
    assert inside[:4] == [INSTALLATION, cctp.BODY_TEXT, "3.1 Accès au chantier", "Les accès sont balisés."]
    assert inside[4] == "3.2 Installations sanitaires"
    assert inside[5].startswith("Conformément à l'article R. 4228-5 du code du travail")
    assert text_of(control.getnext()) == "Article 4 – Réception des travaux"


def test_nested_controls_a_repeating_section_and_its_item_keep_the_encart_in_the_inner_one():
    inner = general_provisions_in_control(alias="Élément")
    source = cctp.in_content_control(inner, GENERAL, GENERAL, alias="Section répétée")

    result = stamp(source, base_vie=False)

    [outer] = controls_of(result.content)
    [item] = outer.find(W_SDT_CONTENT).findall(W_SDT)
    inside = texts_of(item)
    assert inside[:4] == [GENERAL, "Le présent CCTP complète le CCAP.", cctp.BODY_TEXT, ENCART_TITLE]
    assert any(text.startswith(LINK_SENTENCE) for text in inside)
    assert texts_of(outer) == []  # the repeating section holds only its item
    assert result.encart_section == GENERAL


def test_a_table_of_contents_control_is_not_a_section_of_the_document():
    source = cctp.with_table_of_contents(
        general_provisions_in_control(),
        ["Article 1 – Objet du marché", GENERAL, INSTALLATION],
        before="Article 1 – Objet du marché",
    )

    outline = [entry.text for entry in document_outline(open_docx(source, filename="cctp.docx"))]
    result = stamp(source, base_vie=False)

    assert outline.count(GENERAL) == 1 and "Table des matières" not in outline
    assert outline[:3] == ["Article 1 – Objet du marché", GENERAL, INSTALLATION]
    assert result.encart_section == GENERAL
    table_of_contents, section = controls_of(result.content)
    assert ENCART_TITLE not in texts_of(table_of_contents)
    assert ENCART_TITLE in texts_of(section)


def test_markers_inside_controls_keep_priority_and_the_article_is_numbered_after_the_article_above():
    source = cctp.controlled_cctp()
    source = cctp.in_content_control(source, INSTALLATION, "Les accès sont balisés.")
    document = etree.fromstring(cctp._read(source, "word/document.xml"))
    [control] = document.iter(W_SDT)
    content = control.find(W_SDT_CONTENT)
    for marker in ("[[ENCART_EGALITE]]", "[[ARTICLE_BASE_VIE]]"):
        paragraph = etree.SubElement(content, ooxml.W_P)
        etree.SubElement(etree.SubElement(paragraph, ooxml.W_R), ooxml.W_T).text = marker
    source = cctp._rezip(source, replace={"word/document.xml": etree.tostring(document, xml_declaration=True)})

    result = stamp(source)

    assert result.encart_at_placeholder is True
    assert result.base_vie_heading == "Article 3 bis – Installations sanitaires"
    [control] = controls_of(result.content)
    inside = texts_of(control)
    assert "[[ENCART_EGALITE]]" not in inside and "[[ARTICLE_BASE_VIE]]" not in inside
    assert inside.index("Les accès sont balisés.") < inside.index(ENCART_TITLE)
    assert inside.index(ENCART_TITLE) < inside.index("Article 3 bis – Installations sanitaires")
    headings = [line.text for line in result.outline]
    assert headings.index("3.1 Accès au chantier") < headings.index(ENCART_TITLE)
    assert headings.index(ENCART_TITLE) < headings.index("Article 4 – Réception des travaux")


def test_libreoffice_shows_the_encart_inside_a_control_and_after_a_locked_one(tmp_path):
    soffice = require_soffice("pdftotext")
    both = cctp.in_content_control(general_provisions_in_control(), INSTALLATION, "Les accès sont balisés.")
    sources = {
        "dans-les-controles": both,
        "apres-le-controle-verrouille": general_provisions_in_control(lock="sdtContentLocked"),
    }
    paths = []
    for name, source in sources.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(stamp(source).content)
        paths.append(path)

    completed = libreoffice_convert(soffice, paths, to="pdf", folder=tmp_path)

    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    for path in paths:
        pdf = tmp_path / "pdf" / f"{path.stem}.pdf"
        assert pdf.is_file(), path.name
        shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        flat = " ".join(shown.split())
        assert " ".join(ENCART_TITLE.split()) in flat, path.name
        assert LINK_SENTENCE in flat, path.name
        assert flat.index("Dispositions générales") < flat.index(LINK_SENTENCE)
        assert flat.index(LINK_SENTENCE) < flat.index("Installation de chantier")
    shown = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "dans-les-controles.pdf"), "-"], capture_output=True)
    flat = " ".join(shown.stdout.decode().split())
    assert flat.index("Les accès sont balisés.") < flat.index("3.2 Installations sanitaires")
    assert flat.index("3.2 Installations sanitaires") < flat.index("Article 4 – Réception des travaux")


def test_a_second_marker_alone_in_a_control_is_emptied_not_removed():
    source = cctp.controlled_cctp()
    document = etree.fromstring(cctp._read(source, "word/document.xml"))
    body = document.find(ooxml.W_BODY)
    for heading in "Article 2 –", "Article 3 –":  # a marker in a control of its own before each
        marker = etree.Element(ooxml.W_P)
        etree.SubElement(etree.SubElement(marker, ooxml.W_R), ooxml.W_T).text = "[[ENCART_EGALITE]]"
        next(child for child in body if text_of(child).startswith(heading)).addprevious(
            cctp._content_control([marker], alias=heading)
        )
    source = cctp._rezip(source, replace={"word/document.xml": etree.tostring(document, xml_declaration=True)})

    result = stamp(source, base_vie=False)

    body = body_of(result.content)
    assert "[[ENCART_EGALITE]]" not in text_of(body)
    first, second = body.findall(W_SDT)
    assert texts_of(first)[0] == ENCART_TITLE  # the first marker, replaced in its control
    # The second is emptied: a control's content keeps a paragraph, as a table cell does.
    assert texts_of(second) == [""]
    assert text_of(second.getnext()) == INSTALLATION
