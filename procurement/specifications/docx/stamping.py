"""Stamps a cahier des charges: the encart, the annex link with its QR code, and the base-vie article.

Works on the raw OOXML (zipfile + lxml). Only the main document, its relationships, `[Content_Types].xml` and
the numbering and styles parts change (these two only gain the encart's bullet list and, when the document has
none, a heading style; they are created when missing); one PNG part is added. Every other entry is copied with
the same bytes, and the original paragraphs of the body are left as they were.

Where things go (the rules without a marker are in `outline.py`):
- the encart replaces the paragraph holding `[[ENCART_EGALITE]]` (found even when Word split it across
  runs, and in table cells); a marker in a text box is emptied and the encart follows the paragraph holding the
  text box; without a marker, it ends the "dispositions générales" section or the first article (or the section
  the buyer picked, `Placement`), never after the closing block. A placeholder paragraph that ends a section
  keeps its section break (it is emptied, not removed). Under tracked changes, the texts go before the paragraphs
  that end a section with a deleted paragraph mark (accepting the changes joins them to the next paragraph, which
  stays the document's own). Headings and markers may be inside block-level content controls: where the texts
  then go (in the control's content, or after a locked control) is in `controls.py`;
- its title is a heading in the document's heading style of the level of the section it follows, kept out of
  any heading numbering; its bullets are a Word list (`numbering.xml`);
- the annex link paragraph and the QR code follow the encart's text (the caller gives the QR code's PNG, made by
  `procurement.links.qr_png` from the same link: this engine knows neither Django nor a QR library);
- for a works market with a base vie, the sanitary article replaces `[[ARTICLE_BASE_VIE]]`; without it, it
  becomes the last sub-heading of the site-installation section, numbered like the sub-headings before it;
  else it follows the encart. Its heading then copies the article heading before it: "Article 3. ..." gives
  "Article 3 bis. Installations sanitaires" between articles 3 and 4 (the following articles are not
  renumbered), "Article 8" after the last one; headings numbered by Word (`w:numPr`) are copied with their
  numbering. Elsewhere the `[[ARTICLE_BASE_VIE]]` paragraph is removed.
"""

import copy
import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from procurement.specifications.docx import controls, markup, ooxml, outline
from procurement.specifications.docx.markup import Span
from procurement.specifications.docx.outline import ARTICLE_HEADING, own_text
from procurement.specifications.docx.safety import DocxPackage, open_docx

ENCART_PLACEHOLDER = "[[ENCART_EGALITE]]"
BASE_VIE_PLACEHOLDER = "[[ARTICLE_BASE_VIE]]"
QR_SIZE_EMU = 1_080_000  # 3 cm
TITLE_SIZE = 28  # half-points: 14 pt
# zlib level of the rewritten parts: on a 200-page document.xml, level 3 is about 2.5 times faster than the
# default 6 for a result about 25 % larger (measured by benchmarks/specifications/bench_stamp.py).
COMPRESS_LEVEL = 3
NEW_ENTRY_DATE = (2026, 1, 1, 0, 0, 0)
# signature, version, flags, method, time, date, CRC, sizes, name length, extra length
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


@dataclass(frozen=True)
class StampTexts:
    encart_title: str
    encart_body: str
    annex_url: str
    market_reference: str
    base_vie_title: str = ""
    base_vie_body: str = ""

    @property
    def with_base_vie(self) -> bool:
        return bool(self.base_vie_title or self.base_vie_body)


@dataclass(frozen=True)
class OutlineLine:
    """One heading of the stamped document, for the preview: `inserted` is "encart", "base_vie" or "". The first
    line of the closing block, after which nothing is inserted, is shown among them (`closing`)."""

    level: int
    text: str
    inserted: str = ""
    closing: bool = False


@dataclass(frozen=True)
class SourceOutline:
    """The outline of an uploaded document, which the buyer picks headings from, and its closing block (block
    index and first line; None without one): headings after it are annexes."""

    entries: list[outline.Entry]
    closing: tuple[int, str] | None = None

    def after_closing(self, entry: outline.Entry) -> bool:
        return self.closing is not None and entry.index > self.closing[0]


@dataclass(frozen=True)
class StampResult:
    content: bytes
    encart_at_placeholder: bool
    base_vie_heading: str  # empty when the market needs no base-vie article
    warnings: tuple[str, ...] = ()  # French sentences for the user (a signature voided by the stamping)
    encart_section: str = ""  # the heading whose section the encart ends ("" at a marker, or without headings)
    base_vie_section: str = ""  # the heading whose section the article ends ("" when elsewhere)
    outline: tuple[OutlineLine, ...] = ()  # the stamped document's headings, the inserted ones marked


def stamp_docx(content: bytes, *, filename: str, texts: StampTexts, qr_code_png: bytes) -> StampResult:
    """Checks the file (raises `UnsafeDocument`) and returns the stamped document's bytes."""
    return stamp_package(open_docx(content, filename=filename), texts=texts, qr_code_png=qr_code_png)


def annex_link_spans(texts: StampTexts) -> list[Span]:
    return [
        Span("Fiche de renseignements égalité femmes-hommes", bold=True),
        Span(
            f" (marché {texts.market_reference}) : les entreprises candidates sont invitées à répondre en ligne "
            "au questionnaire relatif à leur politique d'égalité professionnelle, à l'adresse "
        ),
        Span(texts.annex_url, href=texts.annex_url),
        Span(
            " ou en scannant le QR code ci-dessous. Ce questionnaire est informatif : les informations transmises "
            "ne conditionnent pas la recevabilité de la candidature."
        ),
    ]


@dataclass
class _Scan:
    encart_placeholders: list[etree._Element]
    base_vie_placeholders: list[etree._Element]
    text_articles: list[tuple[int, etree._Element, re.Match]]  # (block index, paragraph, match)
    # Markers typed in a text box (w:txbxContent): the text goes after the paragraph holding the text box.
    encart_in_textboxes: list[etree._Element] = field(default_factory=list)
    base_vie_in_textboxes: list[etree._Element] = field(default_factory=list)


_NAMESPACES = {"w": ooxml.W_NS}
# Pre-filters run by libxml2 on each paragraph's string value; the exact text is then checked in Python.
_MAY_HOLD_PLACEHOLDER = etree.XPath(".//w:p[contains(., '[')]", namespaces=_NAMESPACES)


def _scan(blocks: controls.Blocks, entries: list[outline.Entry]) -> _Scan:
    """Placeholders anywhere in the body (text boxes apart); "Article N" headings of the outline."""
    body = blocks.body
    scan = _Scan([], [], [])
    candidates = _MAY_HOLD_PLACEHOLDER(body)
    if candidates:
        in_textboxes: set = set()
        for textbox in body.iter(ooxml.W_TXBX):
            in_textboxes.update(textbox.iter(ooxml.W_P))
        for paragraph in candidates:
            text = own_text(paragraph)
            boxed = paragraph in in_textboxes
            if ENCART_PLACEHOLDER in text:
                (scan.encart_in_textboxes if boxed else scan.encart_placeholders).append(paragraph)
            elif BASE_VIE_PLACEHOLDER in text:
                (scan.base_vie_in_textboxes if boxed else scan.base_vie_placeholders).append(paragraph)
    for entry in entries:
        match = ARTICLE_HEADING.match(entry.text)
        if match:
            scan.text_articles.append((entry.index, blocks[entry.index], match))
    return scan


_DELETED_MARK = f"{ooxml.W_PPR}/{ooxml.W_RPR}/{ooxml.w('del')}"


def _before_joined_paragraphs(blocks: controls.Blocks, index: int) -> int:
    """`index`, moved before the paragraphs just above it whose mark is a tracked deletion: accepting the changes
    joins such a paragraph to the next one, which must stay the document's own, not the encart's title."""
    while index > 0 and blocks[index - 1].tag == ooxml.W_P and blocks[index - 1].find(_DELETED_MARK) is not None:
        index -= 1
    return index


def _replace_placeholder(placeholder: etree._Element, elements: list[etree._Element]) -> None:
    for element in elements:
        placeholder.addprevious(element)
    _remove_placeholder(placeholder)


def _remove_placeholder(placeholder: etree._Element) -> None:
    ppr = placeholder.find(ooxml.W_PPR)
    parent = placeholder.getparent()
    ends_section = ppr is not None and ppr.find(ooxml.W_SECTPR) is not None
    only_in_cell = parent.tag == ooxml.w("tc") and len(parent.findall(ooxml.W_P)) == 1
    only_in_control = parent.tag == controls.W_SDT_CONTENT and len(parent) == 1
    # A table cell, a text box and a content control need a paragraph; a paragraph ending a section carries its
    # section break.
    if ends_section or only_in_cell or only_in_control or parent.tag == ooxml.W_TXBX:
        for child in list(placeholder):
            if child is not ppr:
                placeholder.remove(child)
    else:
        parent.remove(placeholder)


def _heading_copy(paragraph: etree._Element, text: str) -> etree._Element:
    """A new paragraph with the paragraph properties and first-run formatting of `paragraph`."""
    new = etree.Element(ooxml.W_P, nsmap={"w": ooxml.W_NS})
    ppr = paragraph.find(ooxml.W_PPR)
    if ppr is not None:
        ppr = copy.deepcopy(ppr)
        for child in ppr.findall(ooxml.W_SECTPR) + ppr.findall(ooxml.w("pPrChange")):
            ppr.remove(child)
        new.append(ppr)
    run = etree.SubElement(new, ooxml.W_R)
    for source_run in paragraph.iter(ooxml.W_R):
        if source_run.find(ooxml.W_T) is not None:
            rpr = source_run.find(ooxml.W_RPR)
            if rpr is not None:
                rpr = copy.deepcopy(rpr)
                for change in rpr.findall(ooxml.w("rPrChange")):
                    rpr.remove(change)
                run.append(rpr)
            break
    node = etree.SubElement(run, ooxml.W_T)
    node.text = text
    node.set(f"{{{ooxml.XML_NS}}}space", "preserve")
    return new


def _article_heading(
    scan: _Scan, blocks: controls.Blocks, entries: list[outline.Entry], anchor: int, title: str, parts: "_Parts"
) -> etree._Element:
    """The base-vie article's heading, numbered like the document's articles around `anchor` (a block index)."""
    if scan.text_articles:
        before = [item for item in scan.text_articles if item[0] < anchor]
        after = [item for item in scan.text_articles if item[0] >= anchor]
        reference = before[-1] if before else after[0]
        match = reference[2]
        separator = match.group("sep") or " "
        if not after:
            number = str(max(int(item[2].group("number")) for item in scan.text_articles) + 1)
        elif before:
            number = f"{match.group('number')} bis"
        else:
            number = "préliminaire"
        return _heading_copy(reference[1], f"{match.group('lead').lstrip()}{number}{separator}{title}")
    headings = [entry for entry in entries if entry.styled]
    if headings:
        top_level = min(entry.level for entry in headings)
        numbered = [entry for entry in headings if entry.level == top_level and entry.numbered]
        candidates = numbered or [entry for entry in headings if entry.level == top_level]
        before = [entry for entry in candidates if entry.index < anchor]
        reference = before[-1] if before else candidates[0]
        return _heading_copy(blocks[reference.index], title)
    return parts.heading(title, level=0)


def _sub_heading(
    blocks: controls.Blocks, section: outline.Entry, inside: list[outline.Entry], title: str, parts: "_Parts"
) -> etree._Element:
    """The base-vie article as the last sub-heading of `section`, numbered like the sub-headings before it."""
    if inside:
        reference = inside[-1]
        number = "" if reference.numbered else (outline.next_number(reference.text) or "")
        return _heading_copy(blocks[reference.index], f"{number}{title}")
    number = "" if section.numbered else (outline.first_child_number(section.text) or "")
    return parts.heading(f"{number}{title}", level=min(section.level + 1, 8))


def _section_above(entries: list[outline.Entry], index: int) -> outline.Entry | None:
    """The heading whose section a text inserted at block index `index` ends."""
    return next((entry for entry in reversed(entries) if entry.index < index), None)


def _level_at(entries: list[outline.Entry], index: int) -> int:
    """The heading level of a text inserted at block index `index`: that of the heading whose section it ends."""
    section = _section_above(entries, index)
    return section.level if section is not None else 0


@dataclass(frozen=True)
class Placement:
    """Where to put the texts when the document has no marker: the block index of a heading of its outline, whose
    section the encart ends (or, for the base-vie article, whose last sub-heading it becomes). None: our choice."""

    encart_after: int | None = None
    base_vie_in: int | None = None


def document_outline(package: DocxPackage) -> list[outline.Entry]:
    """The document's outline, as the buyer may pick a heading from it (its indexes are `Placement`'s)."""
    blocks = controls.blocks_of(package.document.find(ooxml.W_BODY))
    return outline.read_outline(blocks, outline.Styles(package.styles))


def source_outline(package: DocxPackage) -> SourceOutline:
    """The document's outline with its closing block, for the preview's choices."""
    blocks = controls.blocks_of(package.document.find(ooxml.W_BODY))
    entries = outline.read_outline(blocks, outline.Styles(package.styles))
    return SourceOutline(entries, outline.closing_line(blocks, entries, blocks.end()))


def stamp_package(
    package: DocxPackage, *, texts: StampTexts, qr_code_png: bytes, placement: Placement | None = None
) -> StampResult:
    """Stamps an opened package (its document tree is changed: open the file again to stamp it again);
    `qr_code_png` is the PNG of the QR code of `texts.annex_url`."""
    placement = placement or Placement()
    document = package.document
    body = document.find(ooxml.W_BODY)
    rels_name = ooxml.rels_part_of(package.main_part)
    relationships = ooxml.Relationships(
        copy.deepcopy(package.document_rels) if package.document_rels is not None else None
    )
    parts = _Parts(package, relationships)
    writer = ooxml.ParagraphWriter(relationships.hyperlink, bullet_num_id=parts.bullet_num_id)
    blocks = controls.blocks_of(body)
    entries = outline.read_outline(blocks, parts.styles)
    scan = _scan(blocks, entries)
    by_index = {entry.index: entry for entry in entries}

    end = blocks.end()
    closing = outline.closing_line(blocks, entries, end)
    limit = closing[0] if closing is not None else end

    # Where the encart goes: its marker, a marker in a text box, the buyer's choice, or the first article. Places
    # apart from a marker are resolved to elements first (`controls.Point`): inserting one block shifts the indexes.
    encart_section: outline.Entry | None = None
    encart_point: controls.Point | None = None
    if scan.encart_placeholders:
        encart_anchor = blocks.index_of(scan.encart_placeholders[0])
        encart_level = _level_at(entries, encart_anchor)
    elif scan.encart_in_textboxes:
        holder = blocks.index_of(scan.encart_in_textboxes[0])
        encart_point = blocks.point_before(holder + 1, owner=holder, limit=limit)
        encart_anchor = encart_point.index
        encart_level = _level_at(entries, encart_anchor)
    else:
        chosen = by_index.get(placement.encart_after)
        encart_section = chosen or outline.first_article(entries, limit)
        # The buyer may pick a heading after the closing block (an annex): their choice is kept.
        bound = end if chosen is not None and chosen.index >= limit else limit
        encart_anchor = outline.section_end(entries, encart_section, bound) if encart_section else limit
        encart_point = blocks.point_before(
            _before_joined_paragraphs(blocks, encart_anchor),
            owner=encart_section.index if encart_section else None,
            limit=bound,
        )
        encart_anchor = encart_point.index
        if encart_section is not None and encart_anchor <= encart_section.index:
            # Before a control closed to writing that holds the section and the closing block: the texts end the
            # section above it.
            encart_section = _section_above(entries, encart_anchor)
        encart_level = encart_section.level if encart_section else 0

    media_name = _free_name(package.names, posixpath.join(posixpath.dirname(package.main_part), "media"), "egalite-qr")
    image_id = relationships.add(
        ooxml.REL_IMAGE, posixpath.relpath(media_name, posixpath.dirname(package.main_part) or ".")
    )
    encart = [parts.heading(texts.encart_title, level=encart_level)]
    encart += writer.blocks(markup.parse(texts.encart_body))
    encart.append(writer.paragraph(annex_link_spans(texts), keep_next=True))
    encart.append(
        ooxml.picture_paragraph(
            rel_id=image_id,
            docpr_id=ooxml.free_identifier(package.docpr_ids),
            size_emu=QR_SIZE_EMU,
            name="QR code fiche de renseignements",
            description=f"QR code du lien de la fiche de renseignements égalité du marché {texts.market_reference}",
        )
    )

    # Where the base-vie article goes: its marker, the site-installation section, or after the encart.
    base_vie_heading = ""
    base_vie_section: outline.Entry | None = None
    article: list[etree._Element] = []
    # Where the article goes apart from the encart and its marker (after a marker in a text box, or in the
    # site-installation section); `article_place` is where it goes, as a block index (for the outline).
    article_point: controls.Point | None = None
    article_place = encart_anchor
    if texts.with_base_vie:
        if scan.base_vie_placeholders or scan.base_vie_in_textboxes:
            marker = (scan.base_vie_placeholders or scan.base_vie_in_textboxes)[0]
            anchor = blocks.index_of(marker)
            if not scan.base_vie_placeholders:
                article_point = blocks.point_before(anchor + 1, owner=anchor, limit=limit)
                anchor = article_point.index
            heading = _article_heading(scan, blocks, entries, anchor, texts.base_vie_title, parts)
            article_place = anchor
        else:
            chosen = by_index.get(placement.base_vie_in)
            base_vie_section = chosen or outline.site_installation(entries, limit)
            if base_vie_section is not None:
                bound = end if chosen is not None and chosen.index >= limit else limit
                section_end = _before_joined_paragraphs(blocks, outline.section_end(entries, base_vie_section, bound))
                article_point = blocks.point_before(section_end, owner=base_vie_section.index, limit=bound)
                article_place = article_point.index
                if article_place <= base_vie_section.index:  # before a closed control, as the encart may be
                    base_vie_section = None
                    heading = _article_heading(scan, blocks, entries, article_place, texts.base_vie_title, parts)
                else:
                    inside = outline.subsections(entries, base_vie_section, section_end)
                    heading = _sub_heading(blocks, base_vie_section, inside, texts.base_vie_title, parts)
            else:
                heading = _article_heading(scan, blocks, entries, encart_anchor, texts.base_vie_title, parts)
        base_vie_heading = ooxml.paragraph_text(heading)
        article = [heading, *writer.blocks(markup.parse(texts.base_vie_body))]

    follows_encart = texts.with_base_vie and not scan.base_vie_placeholders and article_point is None
    encart_block = encart + (article if follows_encart else [])

    inserted = [(encart_anchor, 1, OutlineLine(encart_level, texts.encart_title, "encart"))]
    if article:
        level = parts.styles.heading_info(article[0])[0]
        line = OutlineLine(_level_at(entries, article_place) if level is None else level, base_vie_heading, "base_vie")
        inserted.append((article_place, 0 if article_point is not None else 2, line))

    if article_point is not None:
        article_point.insert(article)  # before the encart when both end the same section
    if encart_point is None:
        _replace_placeholder(scan.encart_placeholders[0], encart_block)
    else:
        encart_point.insert(encart_block)
    for extra in scan.encart_placeholders[1:] + scan.encart_in_textboxes:
        _remove_placeholder(extra)
    for index, placeholder in enumerate(scan.base_vie_placeholders):
        if index == 0 and texts.with_base_vie:
            _replace_placeholder(placeholder, article)
        else:
            _remove_placeholder(placeholder)
    for placeholder in scan.base_vie_in_textboxes:
        _remove_placeholder(placeholder)

    replaced = {
        package.main_part: (document, package.document_standalone),
        **{name: (root, True) for name, root in parts.changed.items()},
        rels_name: (relationships.root, True),
    }
    content_types = _with_content_types(package.content_types, media_name, parts.content_types)
    if content_types is not None:
        replaced["[Content_Types].xml"] = (content_types, True)
    content = _write_zip(package, replaced, extra={media_name: qr_code_png})
    return StampResult(
        content=content,
        encart_at_placeholder=bool(scan.encart_placeholders or scan.encart_in_textboxes),
        base_vie_heading=base_vie_heading,
        warnings=tuple(package.warnings),
        encart_section=encart_section.text if encart_section else "",
        base_vie_section=base_vie_section.text if base_vie_section else "",
        outline=_stamped_outline(entries, inserted, closing),
    )


def _stamped_outline(
    entries: list[outline.Entry], inserted: list[tuple[int, int, OutlineLine]], closing: tuple[int, str] | None
) -> tuple[OutlineLine, ...]:
    """The outline after stamping, from the outline before: each inserted heading (block index it was inserted
    before, order among insertions at the same place, line) placed among the document's own headings, and the
    closing block's first line after what is inserted before it."""
    lines: list[OutlineLine] = []
    if closing is not None:
        inserted = [*inserted, (closing[0], 3, OutlineLine(0, closing[1], closing=True))]
    pending = sorted(inserted, key=lambda item: item[:2])
    for entry in entries:
        if ENCART_PLACEHOLDER in entry.text or BASE_VIE_PLACEHOLDER in entry.text:
            continue  # a marker typed in a heading: replaced
        while pending and pending[0][0] <= entry.index:
            lines.append(pending.pop(0)[2])
        lines.append(OutlineLine(level=entry.level, text=entry.text))
    lines.extend(item[2] for item in pending)
    return tuple(lines)


class _Parts:
    """The styles and numbering parts, changed only when stamping needs them: a heading style the document lacks
    (added to its styles, or in a new styles part), a bullet list (added to its numbering, or a new part)."""

    def __init__(self, package: DocxPackage, relationships: ooxml.Relationships):
        self.package = package
        self.relationships = relationships
        self.styles_root = package.styles
        self.styles = outline.Styles(package.styles)
        self.numbering_root = package.numbering
        self.changed: dict[str, etree._Element] = {}
        self.content_types: dict[str, str] = {}  # part name → content type, for parts added
        self._bullet_num_id = ""

    def _new_part(self, stem: str, root_tag: str, rel_type: str, content_type: str) -> tuple[str, etree._Element]:
        folder = posixpath.dirname(self.package.main_part)
        name = posixpath.join(folder, f"{stem}.xml")
        counter = 1
        while name in self.package.names or name in self.changed:
            counter += 1
            name = posixpath.join(folder, f"{stem}-{counter}.xml")
        root = etree.Element(ooxml.w(root_tag), nsmap={"w": ooxml.W_NS})
        self.relationships.add(rel_type, posixpath.relpath(name, folder or "."))
        self.content_types[name] = content_type
        return name, root

    def _editable_styles(self) -> etree._Element:
        name = self.package.styles_part
        if name and name not in self.changed:
            self.styles_root = copy.deepcopy(self.styles_root)
            self.changed[name] = self.styles_root
        elif not name and self.styles_root is None:
            name, self.styles_root = self._new_part("styles", "styles", ooxml.REL_STYLES, ooxml.CT_STYLES)
            self.changed[name] = self.styles_root
        return self.styles_root

    def heading_style(self, level: int) -> str:
        """The document's heading style of this level; one is added ("heading N") when it has none."""
        style_id = self.styles.heading_style(level)
        if style_id:
            return style_id
        root = self._editable_styles()
        taken_ids = {style.get(ooxml.w("styleId")) for style in root.iter(ooxml.w("style"))}
        taken_names = {normalise_name(name) for name in self.styles.names.values()}
        style_id, name = f"Heading{level + 1}", f"heading {level + 1}"
        if style_id in taken_ids or name in taken_names:
            style_id, name = f"TitreEgalite{level + 1}", f"Titre égalité {level + 1}"
        size = str(max(32 - 4 * level, 22))
        root.append(
            etree.fromstring(
                f'<w:style xmlns:w="{ooxml.W_NS}" w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
                f'<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
                f'<w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{level}"/></w:pPr>'
                f'<w:rPr><w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'
            )
        )
        self.styles = outline.Styles(root)
        return style_id

    def heading(self, text: str, *, level: int) -> etree._Element:
        """A heading paragraph in the document's heading style of `level`, kept out of any heading numbering."""
        style_id = self.heading_style(level)
        paragraph = etree.Element(ooxml.W_P, nsmap={"w": ooxml.W_NS})
        ppr = etree.SubElement(paragraph, ooxml.W_PPR)
        etree.SubElement(ppr, ooxml.W_PSTYLE).set(ooxml.W_VAL, style_id)
        etree.SubElement(ppr, ooxml.w("keepNext"))
        if self.styles.numbered.get(style_id):
            ppr.append(ooxml.numbering_properties("0"))  # the encart is not one of the numbered articles
        run = etree.SubElement(paragraph, ooxml.W_R)
        node = etree.SubElement(run, ooxml.W_T)
        node.text = text
        node.set(f"{{{ooxml.XML_NS}}}space", "preserve")
        return paragraph

    def bullet_num_id(self) -> str:
        """A bullet list definition (abstractNum and num), added to the numbering part or to a new one."""
        if self._bullet_num_id:
            return self._bullet_num_id
        name = self.package.numbering_part
        if name:
            root = copy.deepcopy(self.numbering_root)
        else:
            name, root = self._new_part("numbering", "numbering", ooxml.REL_NUMBERING, ooxml.CT_NUMBERING)
        self.changed[name] = root
        abstract_ids = [_int(element.get(ooxml.w("abstractNumId"))) for element in root.iter(ooxml.w("abstractNum"))]
        num_ids = [_int(element.get(ooxml.w("numId"))) for element in root.iter(ooxml.w("num"))]
        abstract_id, num_id = str(ooxml.free_identifier(set(abstract_ids))), str(ooxml.free_identifier(set(num_ids)))
        abstract = etree.fromstring(
            f'<w:abstractNum xmlns:w="{ooxml.W_NS}" w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        )
        num = etree.fromstring(
            f'<w:num xmlns:w="{ooxml.W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
        # Schema order: numPicBullet*, abstractNum*, num*, numIdMacAtCleanup?
        children = list(root)
        last = dict.fromkeys(("numPicBullet", "abstractNum", "num"))
        for child in children:
            local = etree.QName(child).localname
            if local in last:
                last[local] = child
        if last["abstractNum"] is not None:
            last["abstractNum"].addnext(abstract)
        elif last["numPicBullet"] is not None:
            last["numPicBullet"].addnext(abstract)
        else:
            root.insert(0, abstract)
        (last["num"] if last["num"] is not None else abstract).addnext(num)
        self._bullet_num_id = num_id
        return num_id


def normalise_name(name: str) -> str:
    return " ".join(name.lower().split())


def _int(value: str | None) -> int:
    return ooxml.decimal_number(value) or 0


def _free_name(names: set[str], folder: str, stem: str) -> str:
    candidate = posixpath.join(folder, f"{stem}.png")
    counter = 1
    while candidate in names:
        counter += 1
        candidate = posixpath.join(folder, f"{stem}-{counter}.png")
    return candidate


def _with_content_types(root: etree._Element, media_name: str, added_parts: dict[str, str]) -> etree._Element | None:
    """The content types with PNG and the added parts declared, or None when nothing is missing (the part stays
    as is)."""
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "")
        for element in root
        if element.tag == f"{{{ooxml.CT_NS}}}Default"
    }
    has_rels = "rels" in defaults
    if defaults.get("png") == "image/png" and has_rels and not added_parts:
        return None
    root = copy.deepcopy(root)
    first_override = next((element for element in root if element.tag == f"{{{ooxml.CT_NS}}}Override"), None)

    def add_default(extension: str, content_type: str) -> None:
        element = etree.Element(f"{{{ooxml.CT_NS}}}Default", Extension=extension, ContentType=content_type)
        if first_override is not None:
            first_override.addprevious(element)
        else:
            root.append(element)

    if "png" not in defaults:
        add_default("png", "image/png")
    elif defaults["png"] != "image/png":
        etree.SubElement(root, f"{{{ooxml.CT_NS}}}Override", PartName=f"/{media_name}", ContentType="image/png")
    if not has_rels:
        add_default("rels", ooxml.CT_RELATIONSHIPS)
    for name, content_type in added_parts.items():
        etree.SubElement(root, f"{{{ooxml.CT_NS}}}Override", PartName=f"/{name}", ContentType=content_type)
    return root


def _write_zip(
    package: DocxPackage, replaced: dict[str, tuple[etree._Element, bool | None]], *, extra: dict[str, bytes]
) -> bytes:
    """Unchanged entries are copied as stored (same compressed bytes); changed and new ones are deflated.
    `replaced` gives each changed part's root and its `standalone` declaration."""
    output = io.BytesIO()
    source = io.BytesIO(package.raw)
    with zipfile.ZipFile(output, "w") as archive:
        for info in package.infos:
            if info.filename in replaced:
                target = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                target.compress_type = info.compress_type
                target.external_attr = info.external_attr
                _write_xml(archive, target, *replaced.pop(info.filename))
            else:
                _copy_raw_entry(source, info, archive)
        for name, (root, standalone) in replaced.items():
            target = zipfile.ZipInfo(name, date_time=NEW_ENTRY_DATE)
            target.compress_type = zipfile.ZIP_DEFLATED
            _write_xml(archive, target, root, standalone)
        for name, data in extra.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=NEW_ENTRY_DATE), data, zipfile.ZIP_DEFLATED, COMPRESS_LEVEL
            )
    return output.getvalue()


def _write_xml(
    archive: zipfile.ZipFile, target: zipfile.ZipInfo, root: etree._Element, standalone: bool | None
) -> None:
    """Serialises a part straight into its compressed entry, the same bytes as `ooxml.serialize()`: the whole
    document never sits in memory a second time as bytes (for a large part, that copy and lxml's growing buffer
    would take two to three times its size)."""
    target._compresslevel = COMPRESS_LEVEL  # what `writestr(compresslevel=...)` sets (no public attribute in 3.11)
    with archive.open(target, "w") as entry, etree.xmlfile(entry, encoding="UTF-8") as xml:
        xml.write_declaration(**({} if standalone is None else {"standalone": standalone}))
        xml.write(root)


def _copy_raw_entry(source: io.BytesIO, info: zipfile.ZipInfo, archive: zipfile.ZipFile) -> None:
    """Copies one entry's compressed bytes as they are (checked by CRC when the package was read).

    The same steps as `ZipFile.write()` for a directory (Python 3.11), with the data written as is:
    sizes below 50 MB never need ZIP64.
    """
    source.seek(info.header_offset)
    header = source.read(LOCAL_HEADER.size)
    fields = LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise ValueError(f"En-tête local introuvable pour {info.filename}")
    source.seek(info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1])
    data = source.read(info.compress_size)
    target = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    target.compress_type = info.compress_type
    target.external_attr = info.external_attr
    target.CRC, target.compress_size, target.file_size = info.CRC, info.compress_size, info.file_size
    archive._writecheck(target)
    archive._didModify = True
    target.header_offset = archive.fp.tell()
    archive.fp.write(target.FileHeader(False))
    archive.fp.write(data)
    archive.filelist.append(target)
    archive.NameToInfo[target.filename] = target
    archive.start_dir = archive.fp.tell()


def outline_of_stamped(package: DocxPackage, *, encart_title: str, base_vie_heading: str) -> tuple[OutlineLine, ...]:
    """The headings of a stamped document, the encart's and the base-vie article's marked (found by their text),
    and the first line of its closing block."""
    lines = []
    roles = {"encart": encart_title, "base_vie": base_vie_heading}
    found = source_outline(package)
    closing = found.closing
    for entry in found.entries:
        if closing is not None and entry.index > closing[0]:
            lines.append(OutlineLine(level=0, text=closing[1], closing=True))
            closing = None
        role = next((role for role, text in roles.items() if text and entry.text == text), "")
        if role:
            roles[role] = ""  # the first one only
        lines.append(OutlineLine(level=entry.level, text=entry.text, inserted=role))
    if closing is not None:
        lines.append(OutlineLine(level=0, text=closing[1], closing=True))
    return tuple(lines)
