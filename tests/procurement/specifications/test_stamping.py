"""The stamping engine on realistic documents: where the texts go, and that nothing else changes."""

import io
import re
import zipfile

import pytest
from lxml import etree

from procurement.specifications.docx import ooxml
from procurement.specifications.docx.stamping import BASE_VIE_PLACEHOLDER, ENCART_PLACEHOLDER, stamp_docx
from tests.procurement.specifications import documents
from tests.procurement.specifications.helpers import (
    ANNEX_QR_PNG,
    ANNEX_URL,
    CONTENT_TYPES,
    MAIN,
    MAIN_RELS,
    body_of,
    body_texts,
    c14n,
    entries,
    full_text,
    text_of,
    texts,
)

ENCART_TITLE = texts(base_vie=False).encart_title
NUMBERING = "word/numbering.xml"
ARTICLE_SENTENCE = "Conformément à l'article R. 4228-5 du code du travail"


def stamp(content: bytes, *, base_vie: bool = False):
    return stamp_docx(content, filename="cahier.docx", texts=texts(base_vie=base_vie), qr_code_png=ANNEX_QR_PNG)


@pytest.mark.parametrize("name", sorted(documents.ALL))
@pytest.mark.parametrize("base_vie", [False, True])
def test_the_encart_appears_exactly_once(name, base_vie):
    output = stamp(documents.ALL[name](), base_vie=base_vie).content

    text = full_text(output)
    assert text.count(ENCART_TITLE) == 1
    assert text.count("Fiche de renseignements égalité femmes-hommes") == 1
    assert ENCART_PLACEHOLDER not in text
    assert BASE_VIE_PLACEHOLDER not in text
    assert text.count(ARTICLE_SENTENCE) == (1 if base_vie else 0)


@pytest.mark.parametrize("name", sorted(documents.ALL))
def test_every_other_part_is_unchanged(name):
    source = documents.ALL[name]()
    before, after = entries(source), entries(stamp(source, base_vie=True).content)

    for part_name, data in before.items():
        assert part_name in after
        if part_name in {MAIN, MAIN_RELS, CONTENT_TYPES}:
            continue
        if part_name == NUMBERING:  # gains the encart's bullet list, nothing else
            old = [c14n(child) for child in etree.fromstring(data)]
            new = [c14n(child) for child in etree.fromstring(after[part_name])]
            assert [child for child in new if child in set(old)] == old
            assert len(new) == len(old) + 2
            continue
        assert after[part_name] == data, part_name
        if part_name.endswith((".xml", ".rels")):
            assert c14n(after[part_name]) == c14n(data), part_name
    added = set(after) - set(before)
    assert added == {"word/media/egalite-qr.png"}
    assert after["word/media/egalite-qr.png"].startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("name", sorted(documents.ALL))
def test_relationships_and_content_types_only_gain_entries(name):
    source = documents.ALL[name]()
    before, after = entries(source), entries(stamp(source).content)

    for part_name in (MAIN_RELS, CONTENT_TYPES):
        old = {c14n(element) for element in etree.fromstring(before[part_name])}
        new = {c14n(element) for element in etree.fromstring(after[part_name])}
        assert old <= new, part_name
    relationships = etree.fromstring(after[MAIN_RELS])
    image = [rel for rel in relationships if rel.get("Target") == "media/egalite-qr.png"]
    assert len(image) == 1
    assert image[0].get("Type") == ooxml.REL_IMAGE
    links = [rel for rel in relationships if rel.get("Target") == ANNEX_URL]
    assert len(links) == 1
    assert links[0].get("TargetMode") == "External"
    types = etree.fromstring(after[CONTENT_TYPES])
    assert any(d.get("Extension", "").lower() == "png" and d.get("ContentType") == "image/png" for d in types)


@pytest.mark.parametrize("name", ["complete_cctp", "without_placeholder", "auto_numbered", "minimal"])
def test_the_original_body_elements_are_unchanged_and_in_order(name):
    source = documents.ALL[name]()
    original = [
        c14n(child)
        for child in body_of(source)
        if ENCART_PLACEHOLDER not in text_of(child) and BASE_VIE_PLACEHOLDER not in text_of(child)
    ]
    stamped = [c14n(child) for child in body_of(stamp(source, base_vie=True).content)]

    kept = [element for element in stamped if element in set(original)]
    assert kept == original
    inserted = len(stamped) - len(kept)
    # Title, body paragraphs, link paragraph, QR code; heading and two paragraphs of the article.
    encart_blocks = len(texts(base_vie=True).encart_body.strip().splitlines())
    assert inserted == 1 + encart_blocks + 2 + 3


def test_the_encart_replaces_the_placeholder_split_across_runs():
    source = documents.complete_cctp()
    before = body_texts(source)
    placeholder_at = before.index(ENCART_PLACEHOLDER)

    result = stamp(source)
    after = body_texts(result.content)

    assert result.encart_at_placeholder is True
    assert after[placeholder_at] == ENCART_TITLE
    assert after[placeholder_at - 1] == before[placeholder_at - 1]
    qr_at = after.index("", placeholder_at)  # the QR code paragraph has no text
    assert after[qr_at - 1].startswith("Fiche de renseignements égalité femmes-hommes (marché 2026-TRX-001)")
    assert ANNEX_URL in after[qr_at - 1]
    assert after[qr_at + 1] == before[placeholder_at + 1] == "Article 3. Description des prestations"


def test_without_placeholder_the_encart_ends_the_first_article():
    source = documents.without_placeholder()
    result = stamp(source)
    body = body_of(result.content)

    assert result.encart_at_placeholder is False
    assert result.encart_section == "Article 1. Objet du marché"
    assert body[-1].tag == ooxml.W_SECTPR
    assert c14n(body[-1]) == c14n(body_of(source)[-1])
    texts_after = [text_of(child) for child in body]
    title_at = texts_after.index(ENCART_TITLE)
    assert texts_after[title_at - 2] == "Article 1. Objet du marché"
    assert texts_after[title_at + 1 :].index("Article 2. Pièces contractuelles") > 0
    qr_at = texts_after.index("Article 2. Pièces contractuelles") - 1
    assert body[qr_at].find(f".//{{{ooxml.WP_NS}}}inline") is not None


def test_the_qr_code_picture_points_to_the_new_image_part():
    content = stamp(documents.minimal()).content
    body = body_of(content)
    blip = body.find(f".//{{{ooxml.A_NS}}}blip")
    relationships = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(entries(content)[MAIN_RELS])}

    assert relationships[blip.get(f"{{{ooxml.R_NS}}}embed")] == "media/egalite-qr.png"
    docpr_ids = [element.get("id") for element in body.iter(f"{{{ooxml.WP_NS}}}docPr")]
    assert len(docpr_ids) == len(set(docpr_ids))


def test_the_qr_code_gets_an_id_above_the_existing_pictures():
    content = stamp(documents.complete_cctp()).content
    ids = [int(element.get("id")) for element in body_of(content).iter(f"{{{ooxml.WP_NS}}}docPr")]

    assert len(ids) == 2
    assert len(set(ids)) == 2


def test_no_base_vie_article_for_a_market_without_base_vie():
    content = stamp(documents.without_placeholder(), base_vie=False).content

    assert "Installations sanitaires" not in full_text(content)


def test_without_placeholder_the_article_follows_the_encart_numbered_bis():
    result = stamp(documents.without_placeholder(), base_vie=True)
    after = body_texts(result.content)

    assert result.base_vie_heading == "Article 1 bis. Installations sanitaires"
    heading_at = after.index("Article 1 bis. Installations sanitaires")
    assert after[heading_at + 1].startswith(ARTICLE_SENTENCE)
    assert after[heading_at - 1] == ""  # right after the encart's QR code
    assert after[heading_at + 3] == "Article 2. Pièces contractuelles"
    heading = body_of(result.content)[heading_at]
    source_heading = next(p for p in body_of(documents.without_placeholder()) if text_of(p).startswith("Article 1."))
    assert c14n(heading.find(ooxml.W_PPR)) == c14n(source_heading.find(ooxml.W_PPR))


def test_between_articles_the_article_is_numbered_bis_without_renumbering_the_next_ones():
    result = stamp(documents.complete_cctp(), base_vie=True)
    after = body_texts(result.content)

    assert result.base_vie_heading == "Article 2 bis. Installations sanitaires"
    headings = [text for text in after if re.match(r"Article \d", text)]
    assert headings == [
        "Article 1. Objet du marché",
        "Article 2. Pièces contractuelles",
        "Article 2 bis. Installations sanitaires",
        "Article 3. Description des prestations",
        "Article 4. Délais d'exécution",
        "Article 5. Prix et règlement",
        "Article 6. Pénalités",
        "Article 7. Dispositions diverses",
    ]


def test_auto_numbered_headings_lend_their_numbering_to_the_article_at_its_placeholder():
    source = documents.auto_numbered()
    before = body_texts(source)
    placeholder_at = before.index(BASE_VIE_PLACEHOLDER)

    result = stamp(source, base_vie=True)
    body = body_of(result.content)
    after = [text_of(child) for child in body]
    # The encart, without placeholder, ends the first article (before the article's placeholder).
    encart_blocks = 1 + len(texts(base_vie=True).encart_body.splitlines()) + 2
    assert after[2] == ENCART_TITLE
    placeholder_at += encart_blocks

    assert after[placeholder_at] == "Installations sanitaires"
    assert after[placeholder_at + 1].startswith(ARTICLE_SENTENCE)
    heading_properties = body[placeholder_at].find(ooxml.W_PPR)
    numbering = heading_properties.find(ooxml.W_NUMPR)
    assert numbering is not None
    assert numbering.find(ooxml.w("numId")).get(ooxml.W_VAL) == "90"
    assert heading_properties.find(ooxml.W_PSTYLE).get(ooxml.W_VAL) == "Heading1"


def test_without_headings_the_article_is_a_heading_of_the_documents_first_level():
    result = stamp(documents.minimal(), base_vie=True)

    assert result.base_vie_heading == "Installations sanitaires"
    heading = next(p for p in body_of(result.content) if text_of(p) == "Installations sanitaires")
    assert heading.find(f"{ooxml.W_PPR}/{ooxml.W_PSTYLE}").get(ooxml.W_VAL) == "Heading1"


def test_a_placeholder_ending_a_section_keeps_the_section_break():
    source = documents.placeholder_ends_section()
    sections_before = [c14n(s) for s in body_of(source).iter(ooxml.W_SECTPR)]

    content = stamp(source).content
    body = body_of(content)

    assert [c14n(s) for s in body.iter(ooxml.W_SECTPR)] == sections_before
    texts_after = [text_of(child) for child in body]
    title_at = texts_after.index(ENCART_TITLE)
    assert texts_after[title_at - 1] == "Première section, en portrait."
    assert texts_after.index("Seconde section.") > title_at


def test_a_placeholder_alone_in_a_table_cell_is_replaced_inside_the_cell():
    content = stamp(documents.with_placeholder_in_table_and_hyperlink()).content
    cell = body_of(content).findall(f".//{ooxml.w('tc')}")[1]

    assert text_of(cell.findall(ooxml.W_P)[0]) == ENCART_TITLE
    assert full_text(content).count(ENCART_TITLE) == 1


def test_the_encart_markup_becomes_bold_runs_bullets_and_hyperlinks():
    encart = texts(base_vie=False)
    custom = type(encart)(
        encart_title="Notre politique",
        encart_body="Texte **important** ici.\n- premier point\n- [notre plan](https://plan.example/egalite)",
        annex_url=encart.annex_url,
        market_reference=encart.market_reference,
    )
    content = stamp_docx(documents.minimal(), filename="c.docx", texts=custom, qr_code_png=ANNEX_QR_PNG).content
    body = body_of(content)
    paragraphs = {text_of(p): p for p in body.iter(ooxml.W_P)}

    runs = paragraphs["Texte important ici."].iter(ooxml.W_R)
    bold_runs = [run for run in runs if run.find(f".//{ooxml.w('b')}") is not None]
    assert [text_of(r) for r in bold_runs] == ["important"]
    assert "•premier point" not in paragraphs
    items = [paragraphs["premier point"], paragraphs["notre plan"]]
    num_ids = {p.find(f"{ooxml.W_PPR}/{ooxml.W_NUMPR}/{ooxml.w('numId')}").get(ooxml.W_VAL) for p in items}
    assert len(num_ids) == 1  # one Word list
    link = paragraphs["notre plan"].find(ooxml.w("hyperlink"))
    relationships = {rel.get("Id"): rel for rel in etree.fromstring(entries(content)[MAIN_RELS])}
    assert relationships[link.get(f"{{{ooxml.R_NS}}}id")].get("Target") == "https://plan.example/egalite"


def _renumbered(pattern: bytes, data: bytes, largest: int) -> bytes:
    """Each id matched by `pattern` (its value in group 2) renumbered from `largest` down, in order of appearance."""
    values: dict[bytes, bytes] = {}

    def renumber(match: re.Match) -> bytes:
        value = values.setdefault(match[2], str(largest - len(values)).encode())
        return match[1] + value

    return re.sub(pattern, renumber, data)


def _with_identifiers_at_the_limit(content: bytes) -> bytes:
    """The document with its drawing ids and list ids renumbered up to the largest values they may hold."""
    parts = entries(content)
    parts[MAIN] = _renumbered(rb'(<wp:docPr\b[^>]*?\bid=")(\d+)', parts[MAIN], 2**32 - 1)
    if numbering := parts.get("word/numbering.xml"):
        numbering = _renumbered(rb'(w:abstractNumId(?: w:val)?=")(\d+)', numbering, ooxml.MAX_IDENTIFIER)
        parts["word/numbering.xml"] = _renumbered(rb'(<w:num w:numId=")(\d+)', numbering, ooxml.MAX_IDENTIFIER)
        parts[MAIN] = _renumbered(rb'(<w:numId w:val=")(\d+)', parts[MAIN], ooxml.MAX_IDENTIFIER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_new_ids_stay_within_what_word_reads_back():
    # Max + 1 would write 4294967296 (drawings) or 2147483648 (lists): ids Word refuses to read.
    source = _with_identifiers_at_the_limit(documents.auto_numbered())
    content = stamp(source, base_vie=True).content
    parts = entries(content)

    drawing_ids = [int(element.get("id")) for element in body_of(content).iter(f"{{{ooxml.WP_NS}}}docPr")]
    assert len(drawing_ids) == len(set(drawing_ids)) and max(drawing_ids) < 2**32
    numbering = etree.fromstring(parts["word/numbering.xml"])
    for attribute, tag in (("abstractNumId", "abstractNum"), ("numId", "num")):
        ids = [int(element.get(ooxml.w(attribute))) for element in numbering.iter(ooxml.w(tag))]
        assert len(ids) == len(set(ids)) and max(ids) <= ooxml.MAX_IDENTIFIER
    assert len(ids) == len(etree.fromstring(entries(source)["word/numbering.xml"]).findall(ooxml.w("num"))) + 1


def test_the_qr_code_of_a_document_whose_pictures_end_the_id_range_gets_a_free_id():
    source = _with_identifiers_at_the_limit(documents.complete_cctp())
    assert b'id="4294967295"' in entries(source)[MAIN]

    ids = [int(element.get("id")) for element in body_of(stamp(source).content).iter(f"{{{ooxml.WP_NS}}}docPr")]

    assert len(ids) == len(set(ids)) == 2 and max(ids) < 2**32


def test_a_free_identifier_is_the_next_one_or_the_smallest_not_taken():
    assert ooxml.free_identifier(set()) == 1
    assert ooxml.free_identifier({1, 2, 7}) == 8
    assert ooxml.free_identifier({1, 2, ooxml.MAX_IDENTIFIER}) == 3
