"""Without a marker, the encart and the base-vie article go where a buyer expects them, as a real heading and a
real Word list; markers keep priority, in text boxes and table cells too; the buyer may pick another heading."""

import copy
import io
import zipfile

import pytest
from lxml import etree

from procurement.specifications.docx import ooxml
from procurement.specifications.docx.safety import open_docx
from procurement.specifications.docx.stamping import (
    Placement,
    document_outline,
    outline_of_stamped,
    source_outline,
    stamp_docx,
    stamp_package,
)
from tests.procurement.specifications import cctp
from tests.procurement.specifications.helpers import ANNEX_QR_PNG, body_of, entries, text_of, texts

ENCART_TITLE = texts(base_vie=True).encart_title
BULLETS = [line[2:] for line in texts(base_vie=True).encart_body.splitlines() if line.startswith("- ")]


def stamp(content: bytes, *, base_vie: bool = True, placement: Placement | None = None):
    package = open_docx(content, filename="cctp.docx")
    return stamp_package(package, texts=texts(base_vie=base_vie), qr_code_png=ANNEX_QR_PNG, placement=placement)


def paragraphs_and_texts(content: bytes) -> list[tuple[etree._Element, str]]:
    return [(child, text_of(child)) for child in body_of(content)]


def position(items: list[tuple[etree._Element, str]], text: str) -> int:
    matches = [index for index, (_, value) in enumerate(items) if value == text or value.startswith(text)]
    assert matches, f"« {text} » introuvable"
    return matches[0]


@pytest.mark.parametrize("name", sorted(cctp.FIVE))
def test_without_marker_the_encart_ends_the_first_article_and_never_follows_the_closing_block(name):
    build, expected = cctp.FIVE[name]
    result = stamp(build())
    items = paragraphs_and_texts(result.content)

    encart = position(items, ENCART_TITLE)
    assert position(items, expected.first_article) < encart < position(items, expected.next_heading)
    # Nothing between the encart's QR code and the next heading: the encart ends the first article's section.
    qr = next(
        index for index in range(encart, len(items)) if items[index][0].find(f".//{{{ooxml.WP_NS}}}inline") is not None
    )
    assert qr + 1 == position(items, expected.next_heading)
    closing = position(items, expected.closing)
    assert encart < closing
    assert all(ENCART_TITLE not in value and "Installations sanitaires" not in value for _, value in items[closing:])
    assert result.encart_section == expected.first_article
    assert result.encart_at_placeholder is False


@pytest.mark.parametrize("name", sorted(cctp.FIVE))
def test_without_marker_the_base_vie_article_goes_inside_the_site_installation_section(name):
    build, expected = cctp.FIVE[name]
    result = stamp(build())
    items = paragraphs_and_texts(result.content)

    article = position(items, expected.base_vie_heading)
    assert position(items, expected.installation) < article < position(items, expected.after_installation)
    assert items[article + 1][1].startswith("Conformément à l'article R. 4228-5 du code du travail")
    assert article < position(items, expected.closing)
    assert result.base_vie_heading == expected.base_vie_heading
    assert result.base_vie_section == expected.installation
    roles = [(line.text, line.inserted) for line in result.outline if line.inserted]
    assert roles == [(ENCART_TITLE, "encart"), (expected.base_vie_heading, "base_vie")]


def _styles_of(content: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(entries(content)["word/styles.xml"])
    return {style.get(ooxml.w("styleId")): style for style in root.iter(ooxml.w("style"))}


def _resolved_outline_level(styles: dict[str, etree._Element], style_id: str) -> int | None:
    while style_id in styles:
        style = styles[style_id]
        level = style.find(f"{ooxml.W_PPR}/{ooxml.w('outlineLvl')}")
        if level is not None:
            return int(level.get(ooxml.W_VAL))
        name = style.find(ooxml.w("name")).get(ooxml.W_VAL).lower()
        if name.startswith("heading "):
            return int(name.split()[1]) - 1
        based = style.find(ooxml.w("basedOn"))
        style_id = based.get(ooxml.W_VAL) if based is not None else ""
    return None


@pytest.mark.parametrize("name", sorted(cctp.FIVE))
def test_the_encart_title_is_a_heading_of_the_documents_heading_style_and_its_bullets_a_word_list(name):
    build, expected = cctp.FIVE[name]
    content = stamp(build()).content
    items = paragraphs_and_texts(content)
    title = items[position(items, ENCART_TITLE)][0]
    first_article = items[position(items, expected.first_article)][0]

    style_id = title.find(f"{ooxml.W_PPR}/{ooxml.W_PSTYLE}").get(ooxml.W_VAL)
    styles = _styles_of(content)
    level = _resolved_outline_level(styles, style_id)
    assert level is not None, "le titre de l'encart n'est pas un titre"
    article_style = first_article.find(f"{ooxml.W_PPR}/{ooxml.W_PSTYLE}")
    if article_style is not None and _resolved_outline_level(styles, article_style.get(ooxml.W_VAL)) is not None:
        assert style_id == article_style.get(ooxml.W_VAL)  # the same heading style as the first article
    assert title.find(f".//{ooxml.w('b')}") is None  # the style makes it a title, not direct bold

    numbering = etree.fromstring(entries(content)["word/numbering.xml"])
    for bullet in BULLETS:
        paragraph = next(p for p, value in items if value == bullet.replace("**", ""))
        assert not text_of(paragraph).startswith("•")
        num_id = paragraph.find(f"{ooxml.W_PPR}/{ooxml.W_NUMPR}/{ooxml.w('numId')}").get(ooxml.W_VAL)
        num = next(n for n in numbering.iter(ooxml.w("num")) if n.get(ooxml.w("numId")) == num_id)
        abstract_id = num.find(ooxml.w("abstractNumId")).get(ooxml.W_VAL)
        abstract = next(
            a for a in numbering.iter(ooxml.w("abstractNum")) if a.get(ooxml.w("abstractNumId")) == abstract_id
        )
        assert abstract.find(f"{ooxml.w('lvl')}/{ooxml.w('numFmt')}").get(ooxml.W_VAL) == "bullet"


def test_a_document_without_heading_styles_nor_numbering_gains_both_and_nothing_else_changes():
    source = cctp.without_heading_styles_nor_numbering()
    before, after = entries(source), entries(stamp(source).content)

    assert set(after) - set(before) == {"word/media/egalite-qr.png", "word/numbering.xml"}
    for name, data in before.items():
        if name not in {"word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml", "word/styles.xml"}:
            assert after[name] == data, name
    old_styles = {etree.tostring(s, method="c14n") for s in etree.fromstring(before["word/styles.xml"])}
    new_styles = [etree.tostring(s, method="c14n") for s in etree.fromstring(after["word/styles.xml"])]
    assert old_styles <= set(new_styles)
    added = {
        style.find(ooxml.w("name")).get(ooxml.W_VAL): style.find(f"{ooxml.W_PPR}/{ooxml.w('outlineLvl')}").get(
            ooxml.W_VAL
        )
        for style in etree.fromstring(after["word/styles.xml"])
        if etree.tostring(style, method="c14n") not in old_styles
    }
    assert added == {"heading 1": "0", "heading 2": "1"}  # the encart, the base-vie sub-heading
    rels = etree.fromstring(after["word/_rels/document.xml.rels"])
    assert [r.get("Target") for r in rels if r.get("Type") == ooxml.REL_NUMBERING] == ["numbering.xml"]
    types = etree.fromstring(after["[Content_Types].xml"])
    assert any(
        t.get("PartName") == "/word/numbering.xml" and t.get("ContentType") == ooxml.CT_NUMBERING for t in types
    )


def test_an_existing_numbering_part_only_gains_the_bullet_list():
    source = cctp.word_numbered_headings()
    before = etree.fromstring(entries(source)["word/numbering.xml"])
    after = etree.fromstring(entries(stamp(source).content)["word/numbering.xml"])

    old = [etree.tostring(child, method="c14n") for child in before]
    new = [etree.tostring(child, method="c14n") for child in after]
    assert [item for item in new if item in set(old)] == old
    assert len(new) == len(old) + 2
    tags = [etree.QName(child).localname for child in after]
    # abstractNum before num, as the schema requires
    assert max(i for i, tag in enumerate(tags) if tag == "abstractNum") < min(
        i for i, tag in enumerate(tags) if tag == "num"
    )


def test_an_encart_in_a_word_numbered_heading_style_is_kept_out_of_the_article_numbering():
    content = stamp(cctp.word_numbered_headings()).content
    items = paragraphs_and_texts(content)
    title = items[position(items, ENCART_TITLE)][0]
    article = items[position(items, "Installations sanitaires")][0]

    numpr = title.find(f"{ooxml.W_PPR}/{ooxml.W_NUMPR}")
    assert numpr is None or numpr.find(ooxml.w("numId")).get(ooxml.W_VAL) == "0"
    # The base-vie article is numbered like its neighbour "Accès et circulation" (level 2 of the same list).
    assert article.find(f"{ooxml.W_PPR}/{ooxml.W_NUMPR}/{ooxml.w('numId')}").get(ooxml.W_VAL) == "77"
    assert article.find(f"{ooxml.W_PPR}/{ooxml.W_NUMPR}/{ooxml.w('ilvl')}").get(ooxml.W_VAL) == "1"


def test_without_an_installation_section_the_article_follows_the_encart_numbered_like_its_neighbours():
    source = cctp._short_cctp()
    result = stamp(source)
    items = paragraphs_and_texts(result.content)

    assert result.base_vie_heading == "Article 1 bis – Installations sanitaires"
    encart = position(items, ENCART_TITLE)
    article = position(items, "Article 1 bis – Installations sanitaires")
    assert encart < article < position(items, "Article 2 – Exécution")


def test_the_buyer_may_pick_another_heading_for_the_encart_and_the_article():
    source = cctp.styled_articles()
    outline = document_outline(open_docx(source, filename="cctp.docx"))
    by_text = {entry.text: entry.index for entry in outline}

    result = stamp(
        source,
        placement=Placement(
            encart_after=by_text["Article 3 – Description des ouvrages"],
            base_vie_in=by_text["Article 5 – Réception des travaux"],
        ),
    )
    items = paragraphs_and_texts(result.content)

    assert position(items, "Article 3 –") < position(items, ENCART_TITLE) < position(items, "Article 4 –")
    assert position(items, "Article 5 –") < position(items, "5.1 Installations sanitaires") < position(items, "Fait à")
    assert result.encart_section == "Article 3 – Description des ouvrages"
    assert result.base_vie_section == "Article 5 – Réception des travaux"


def test_a_placement_index_that_is_not_a_heading_falls_back_to_the_first_article():
    result = stamp(cctp.styled_articles(), placement=Placement(encart_after=1, base_vie_in=99999))

    assert result.encart_section == "Article 1 – Objet du marché"
    assert result.base_vie_section == "Article 4 – Installation de chantier"


def _textbox_paragraph(text: str) -> etree._Element:
    """A paragraph holding a text box, as Word writes it: a DrawingML shape and its VML fallback."""
    w, wps, mc = (
        ooxml.W_NS,
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        ("http://schemas.openxmlformats.org/markup-compatibility/2006"),
    )
    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return etree.fromstring(
        f'<w:p xmlns:w="{w}" xmlns:mc="{mc}" xmlns:wps="{wps}" xmlns:v="urn:schemas-microsoft-com:vml"><w:r>'
        f'<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{content}</wps:txbx>'
        f"</wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def _with_body_elements(source: bytes, after_text: str, elements: list[etree._Element]) -> bytes:
    from tests.procurement.specifications.cctp import _rezip

    document = etree.fromstring(entries(source)["word/document.xml"])
    body = document.find(ooxml.W_BODY)
    anchor = next(child for child in body if text_of(child) == after_text)
    for element in reversed(elements):
        anchor.addnext(copy.deepcopy(element))
    return _rezip(source, replace={"word/document.xml": etree.tostring(document, xml_declaration=True)})


def test_markers_in_text_boxes_keep_priority_and_disappear():
    source = _with_body_elements(
        cctp.styled_articles(),
        "Article 3 – Description des ouvrages",
        [_textbox_paragraph("[[ENCART_EGALITE]]"), _textbox_paragraph("[[ARTICLE_BASE_VIE]]")],
    )
    result = stamp(source)
    items = paragraphs_and_texts(result.content)

    assert result.encart_at_placeholder is True
    text = "".join(value for _, value in items)
    assert "[[ENCART_EGALITE]]" not in text and "[[ARTICLE_BASE_VIE]]" not in text
    encart = position(items, ENCART_TITLE)
    assert position(items, "Article 3 –") < encart < position(items, "Article 4 –")
    assert encart < position(items, "Article 3 bis – Installations sanitaires") < position(items, "Article 4 –")
    # The text boxes stay, emptied: a text box needs a paragraph.
    assert len(list(body_of(result.content).iter(ooxml.W_TXBX))) == 4


def test_a_marker_in_a_table_cell_keeps_priority_over_the_first_article():
    source = cctp.styled_articles()
    table = etree.fromstring(
        f'<w:tbl xmlns:w="{ooxml.W_NS}"><w:tr><w:tc><w:p><w:r><w:t>Clause</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>[[ENCART_EGALITE]]</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    result = stamp(_with_body_elements(source, "Article 2 – Documents applicables", [table]))
    cell = body_of(result.content).findall(f".//{ooxml.w('tc')}")[1]

    assert text_of(cell.findall(ooxml.W_P)[0]) == ENCART_TITLE
    assert result.encart_at_placeholder is True
    assert result.encart_section == ""


def test_stamp_docx_uses_the_same_placement():
    build, expected = cctp.FIVE["titres-word"]
    result = stamp_docx(build(), filename="cctp.docx", texts=texts(base_vie=True), qr_code_png=ANNEX_QR_PNG)

    assert result.encart_section == expected.first_article


def test_table_of_contents_lines_and_sentences_are_not_headings():
    import docx

    document = docx.Document()
    toc = document.add_paragraph()
    link = toc._p.makeelement(ooxml.w("hyperlink"), {ooxml.w("anchor"): "_Toc123"})
    run = link.makeelement(ooxml.W_R, {})
    node = run.makeelement(ooxml.W_T, {})
    node.text = "Article 1 – Objet du marché"
    run.append(node)
    link.append(run)
    toc._p.append(link)
    document.add_paragraph("Article 5 du CCAG-Travaux est applicable au présent marché.")
    document.add_heading("Article 1 – Objet du marché", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_heading("Article 2 – Délais", level=1)
    result = stamp(cctp._save(document), base_vie=False)

    assert [entry.text for entry in document_outline(open_docx(cctp._save(document), filename="c.docx"))] == [
        "Article 1 – Objet du marché",
        "Article 2 – Délais",
    ]
    items = paragraphs_and_texts(result.content)
    assert position(items, "Article 1 – Objet du marché") < position(items, ENCART_TITLE)


def test_a_signatory_named_at_the_top_of_a_document_without_headings_is_not_its_closing_block():
    import docx

    document = docx.Document()
    document.add_paragraph("Le Président de la communauté d'agglomération, vu le code de la commande publique,")
    for index in range(20):
        document.add_paragraph(f"Considérant {index + 1} : {cctp.BODY_TEXT}")
    items = paragraphs_and_texts(stamp(cctp._save(document), base_vie=False).content)

    assert position(items, ENCART_TITLE) > position(items, "Considérant 20")


def test_typed_articles_under_a_styled_title_are_one_level_below_it():
    import docx

    document = docx.Document()
    document.add_heading("CCTP — Lot unique", level=1)
    for number in (1, 2):
        document.add_paragraph().add_run(f"ARTICLE {number} : CLAUSE {number}").bold = True
        document.add_paragraph(cctp.BODY_TEXT)
    content = cctp._save(document)
    outline = document_outline(open_docx(content, filename="c.docx"))
    items = paragraphs_and_texts(stamp(content, base_vie=False).content)
    title = items[position(items, ENCART_TITLE)][0]

    assert [(entry.text, entry.level) for entry in outline] == [
        ("CCTP — Lot unique", 0),
        ("ARTICLE 1 : CLAUSE 1", 1),
        ("ARTICLE 2 : CLAUSE 2", 1),
    ]
    assert position(items, "ARTICLE 1") < position(items, ENCART_TITLE) < position(items, "ARTICLE 2")
    assert title.find(f"{ooxml.W_PPR}/{ooxml.W_PSTYLE}").get(ooxml.W_VAL) == "Heading2"


def test_the_buyer_may_pick_an_annex_heading_after_the_closing_block():
    import docx

    document = docx.Document()
    document.add_heading("Article 1 – Objet", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_paragraph("Fait à Lens, le 2 mars 2026")
    document.add_paragraph("Le Président,")
    document.add_heading("Annexe 1 – Clauses sociales", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    content = cctp._save(document)
    annex = next(e for e in document_outline(open_docx(content, filename="c.docx")) if e.text.startswith("Annexe"))

    default = paragraphs_and_texts(stamp(content, base_vie=False).content)
    chosen = paragraphs_and_texts(
        stamp(content, base_vie=False, placement=Placement(encart_after=annex.index)).content
    )

    assert position(default, ENCART_TITLE) < position(default, "Fait à Lens")
    assert position(chosen, "Annexe 1") < position(chosen, ENCART_TITLE)


@pytest.mark.parametrize("name", sorted(cctp.FIVE))
def test_the_preview_outline_shows_the_closing_block_after_the_inserted_texts(name):
    build, expected = cctp.FIVE[name]
    result = stamp(build())
    package = open_docx(result.content, filename="c.docx")
    reread = outline_of_stamped(package, encart_title=ENCART_TITLE, base_vie_heading=result.base_vie_heading)

    for lines in (result.outline, reread):
        labels = [line.text for line in lines]
        closing = [line.text for line in lines if line.closing]
        assert closing == [expected.closing]
        assert labels.index(ENCART_TITLE) < labels.index(expected.closing)
        assert labels.index(expected.base_vie_heading) < labels.index(expected.closing)
        assert labels[-1] == expected.closing  # nothing follows it in these five
    assert [(line.text, line.inserted) for line in reread if line.inserted] == [
        (line.text, line.inserted) for line in result.outline if line.inserted
    ]


def test_the_source_outline_names_the_headings_after_the_closing_block():
    import docx

    document = docx.Document()
    document.add_heading("Article 1 – Objet", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_paragraph("Fait à Lens, le 2 mars 2026")
    document.add_heading("Annexe 1 – Planning", level=1)
    found = source_outline(open_docx(cctp._save(document), filename="c.docx"))

    assert found.closing is not None and found.closing[1] == "Fait à Lens, le 2 mars 2026"
    assert [(entry.text, found.after_closing(entry)) for entry in found.entries] == [
        ("Article 1 – Objet", False),
        ("Annexe 1 – Planning", True),
    ]
    assert source_outline(open_docx(cctp.styled_articles(), filename="c.docx")).closing[1].startswith("Fait à")


def test_a_short_line_naming_the_buyer_inside_an_article_is_not_the_closing_block():
    import docx

    document = docx.Document()
    document.add_heading("Article 1 – Objet", level=1)
    document.add_paragraph("Le pouvoir adjudicateur : Ville de Lens")
    document.add_paragraph("Le Président : M. Jean Dupont")
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_heading("Article 2 – Installation de chantier", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_heading("Article 3 – Réception", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_paragraph("Fait à Lens, le 2 mars 2026")
    document.add_paragraph("Le Président,")
    document.add_heading("Annexe 1 – Planning", level=1)
    document.add_paragraph("Fait à …, le …")
    content = cctp._save(document)

    result = stamp(content)
    items = paragraphs_and_texts(result.content)

    assert position(items, "Le Président : M. Jean Dupont") < position(items, ENCART_TITLE)
    assert position(items, ENCART_TITLE) < position(items, "Article 2 –")
    article = position(items, "2.1 Installations sanitaires")
    assert position(items, "Article 2 –") < article < position(items, "Article 3")
    assert source_outline(open_docx(content, filename="c.docx")).closing[1] == "Fait à Lens, le 2 mars 2026"


def _document_of(content: bytes) -> tuple[dict[str, bytes], etree._Element]:
    parts = entries(content)
    return parts, etree.fromstring(parts["word/document.xml"])


def _rezipped(parts: dict[str, bytes], document: etree._Element) -> bytes:
    """The package `parts` with `document` as its main part."""
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def _with_deleted_mark_before(content: bytes, heading: str) -> bytes:
    """The paragraph before `heading` with its paragraph mark deleted under tracked changes: accepting the changes
    joins it to the paragraph after it."""
    parts, document = _document_of(content)
    body = document.find(ooxml.W_BODY)
    index = next(index for index, child in enumerate(body) if text_of(child) == heading)
    paragraph = body[index - 1]
    ppr = paragraph.find(ooxml.W_PPR)
    if ppr is None:
        ppr = etree.Element(ooxml.W_PPR)
        paragraph.insert(0, ppr)
    rpr = ppr.find(ooxml.W_RPR)
    if rpr is None:
        rpr = etree.SubElement(ppr, ooxml.W_RPR)
    etree.SubElement(
        rpr, ooxml.w("del"), {ooxml.w("id"): "900", ooxml.w("author"): "A", ooxml.w("date"): "2026-01-01T00:00:00Z"}
    )
    return _rezipped(parts, document)


def _accepted(body: etree._Element) -> list[str]:
    """The body's paragraph texts once the tracked changes are accepted: a deleted mark joins two paragraphs."""
    texts, joined = [], ""
    for child in body:
        deleted = child.find(f"{ooxml.W_PPR}/{ooxml.W_RPR}/{ooxml.w('del')}") is not None
        joined += text_of(child)
        if not deleted:
            texts.append(joined)
            joined = ""
    return texts


@pytest.mark.parametrize("name", sorted(cctp.FIVE))
def test_the_texts_never_join_a_paragraph_whose_mark_is_a_tracked_deletion(name):
    build, expected = cctp.FIVE[name]
    source = _with_deleted_mark_before(build(), expected.next_heading)

    result = stamp(source)

    accepted = _accepted(body_of(result.content))
    assert ENCART_TITLE in accepted
    assert expected.base_vie_heading in accepted
    assert any(text.endswith(expected.next_heading) and text != expected.next_heading for text in accepted)


def _with_paragraph_after(content: bytes, heading: str, text: str) -> bytes:
    """A copy of the paragraph `heading` without its Word numbering, holding `text`, right after it."""
    parts, document = _document_of(content)
    body = document.find(ooxml.W_BODY)
    paragraph = next(child for child in body if text_of(child) == heading)
    second = copy.deepcopy(paragraph)
    for numpr in second.iter(ooxml.W_NUMPR):
        numpr.getparent().remove(numpr)
    runs = list(second.iter(ooxml.W_T))
    runs[0].text = text
    for node in runs[1:]:
        node.text = ""
    paragraph.addnext(second)
    return _rezipped(parts, document)


def test_a_heading_typed_over_two_paragraphs_is_one_heading_and_the_encart_follows_both_lines():
    source = _with_paragraph_after(cctp.word_numbered_headings(), "Généralités", "et dispositions communes")

    result = stamp(source)

    items = paragraphs_and_texts(result.content)
    encart = position(items, ENCART_TITLE)
    assert position(items, "et dispositions communes") < encart < position(items, "Consistance des travaux")
    assert result.encart_section == "Généralités et dispositions communes"
    assert "Généralités et dispositions communes" in [
        entry.text for entry in document_outline(open_docx(source, filename="cctp.docx"))
    ]


def test_a_numbered_line_after_a_heading_stays_a_heading_of_its_own():
    source = _with_paragraph_after(cctp.word_numbered_headings(), "Généralités", "1 bis Définitions")

    outline = [entry.text for entry in document_outline(open_docx(source, filename="cctp.docx"))]

    assert outline[:3] == ["Généralités", "1 bis Définitions", "Consistance des travaux"]
