"""Stamps a cahier des charges: the encart, the annex link with its QR code, and the base-vie article.

Works on the raw OOXML (zipfile + lxml). Only three parts change: the main document, its relationships
and, when the package has no PNG content type yet, `[Content_Types].xml`; one PNG part is added. Every other
entry is copied with the same bytes, and the original paragraphs of the body are left as they were.

Where things go:
- the encart replaces the paragraph holding `[[ENCART_EGALITE]]` (found even when Word split it across
  runs); without one, it goes at the end of the body, before the final section properties. A placeholder
  paragraph that ends a section keeps its section break (it is emptied, not removed);
- the annex link paragraph and the QR code follow the encart's text (the caller gives the QR code's PNG, made by
  `procurement.links.qr_png` from the same link: this engine knows neither Django nor a QR library);
- for a works market with a base vie, the sanitary article replaces `[[ARTICLE_BASE_VIE]]`, or follows the
  encart. Its heading copies the last article heading: "Article 7. ..." gives "Article 8. Installations
  sanitaires" at the end of the document, "Article 3 bis. ..." between articles 3 and 4 (the following
  articles are not renumbered); headings numbered by Word (`w:numPr`) are copied with their numbering.
  Elsewhere the `[[ARTICLE_BASE_VIE]]` paragraph is removed.
"""

import copy
import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass

from lxml import etree

from procurement.specifications.docx import markup, ooxml
from procurement.specifications.docx.markup import Span
from procurement.specifications.docx.safety import DocxPackage, open_docx

ENCART_PLACEHOLDER = "[[ENCART_EGALITE]]"
BASE_VIE_PLACEHOLDER = "[[ARTICLE_BASE_VIE]]"
QR_SIZE_EMU = 1_080_000  # 3 cm
TITLE_SIZE = 28  # half-points: 14 pt
# zlib level of the rewritten parts: on a 200-page document.xml, level 3 is about 2.5 times faster than the
# default 6 for a result about 25 % larger (measured by benchmarks/specifications/bench_stamp.py).
COMPRESS_LEVEL = 3
# signature, version, flags, method, time, date, CRC, sizes, name length, extra length
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
ARTICLE_HEADING = re.compile(r"^(?P<lead>\s*article\s+)(?P<number>\d+)(?P<sep>[\s.:\-–—)]*)(?P<title>.*)$", re.I)
HEADING_STYLE_NAME = re.compile(r"^(heading|titre)\s*\d", re.I)


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
class StampResult:
    content: bytes
    encart_at_placeholder: bool
    base_vie_heading: str  # empty when the market needs no base-vie article
    warnings: tuple[str, ...] = ()  # French sentences for the user (a signature voided by the stamping)


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


class _Styles:
    """What stamping needs from styles.xml: which paragraph styles are headings, and which are numbered."""

    def __init__(self, root: etree._Element | None):
        self.outline: dict[str, int | None] = {}
        self.numbered: dict[str, bool] = {}
        raw: dict[str, tuple[str, str, int | None, bool | None]] = {}
        if root is not None:
            for style in root.iter(ooxml.w("style")):
                if style.get(ooxml.w("type")) != "paragraph":
                    continue
                style_id = style.get(ooxml.w("styleId"), "")
                name_el = style.find(ooxml.w("name"))
                based_el = style.find(ooxml.w("basedOn"))
                ppr = style.find(ooxml.W_PPR)
                raw[style_id] = (
                    name_el.get(ooxml.W_VAL, "") if name_el is not None else "",
                    based_el.get(ooxml.W_VAL, "") if based_el is not None else "",
                    _outline_of(ppr),
                    _numbered_of(ppr),
                )
        for style_id in raw:
            self.outline[style_id], self.numbered[style_id] = self._resolve(style_id, raw)

    @staticmethod
    def _resolve(style_id: str, raw) -> tuple[int | None, bool]:
        outline: int | None = None
        numbered: bool | None = None
        seen = set()
        current = style_id
        while current in raw and current not in seen:
            seen.add(current)
            name, based_on, level, has_numbering = raw[current]
            if outline is None and level is not None:
                outline = level
            if outline is None and HEADING_STYLE_NAME.match(name):
                outline = int(re.findall(r"\d", name)[0]) - 1
            if numbered is None and has_numbering is not None:
                numbered = has_numbering
            current = based_on
        return outline, bool(numbered)

    def heading_info(self, paragraph: etree._Element) -> tuple[int | None, bool]:
        """(outline level or None when not a heading, numbered by Word)."""
        ppr = paragraph.find(ooxml.W_PPR)
        style_id = ""
        if ppr is not None:
            style_el = ppr.find(ooxml.W_PSTYLE)
            style_id = style_el.get(ooxml.W_VAL, "") if style_el is not None else ""
        level = _outline_of(ppr)
        if level is None:
            level = self.outline.get(style_id)
        numbered = _numbered_of(ppr)
        if numbered is None:
            numbered = self.numbered.get(style_id, False)
        return level, numbered


def _outline_of(ppr: etree._Element | None) -> int | None:
    if ppr is None:
        return None
    outline = ppr.find(ooxml.w("outlineLvl"))
    if outline is None:
        return None
    value = outline.get(ooxml.W_VAL, "")
    return int(value) if value.isdigit() and int(value) < 9 else None


def _numbered_of(ppr: etree._Element | None) -> bool | None:
    if ppr is None:
        return None
    numpr = ppr.find(ooxml.W_NUMPR)
    if numpr is None:
        return None
    num_id = numpr.find(ooxml.w("numId"))
    return num_id is not None and num_id.get(ooxml.W_VAL, "0") != "0"


@dataclass
class _Scan:
    encart_placeholders: list[etree._Element]
    base_vie_placeholders: list[etree._Element]
    text_articles: list[tuple[int, etree._Element, re.Match]]  # (body index, paragraph, match)


_NAMESPACES = {"w": ooxml.W_NS}
# Pre-filters run by libxml2 on each paragraph's string value; the exact text is then checked in Python.
_MAY_HOLD_PLACEHOLDER = etree.XPath(".//w:p[contains(., '[')]", namespaces=_NAMESPACES)
_MAY_BE_ARTICLE = etree.XPath("w:p[contains(., 'rticle') or contains(., 'RTICLE')]", namespaces=_NAMESPACES)


def _own_text(paragraph: etree._Element) -> str:
    """The paragraph's text without the text of paragraphs nested in its text boxes."""
    if next(paragraph.iter(ooxml.W_TXBX), None) is None:
        return ooxml.paragraph_text(paragraph)
    parts = []
    for node in paragraph.iter(ooxml.W_T):
        owner = node.getparent()
        while owner is not None and owner.tag != ooxml.W_P:
            owner = owner.getparent()
        if owner is paragraph:
            parts.append(node.text or "")
    return "".join(parts)


def _scan(body: etree._Element, *, want_articles: bool) -> _Scan:
    """Placeholders anywhere in the body (not in text boxes); "Article N" headings among top-level paragraphs."""
    scan = _Scan([], [], [])
    candidates = _MAY_HOLD_PLACEHOLDER(body)
    if candidates:
        in_textboxes: set = set()
        for textbox in body.iter(ooxml.W_TXBX):
            in_textboxes.update(textbox.iter(ooxml.W_P))
        for paragraph in candidates:
            if paragraph in in_textboxes:
                continue
            text = _own_text(paragraph)
            if ENCART_PLACEHOLDER in text:
                scan.encart_placeholders.append(paragraph)
            elif BASE_VIE_PLACEHOLDER in text:
                scan.base_vie_placeholders.append(paragraph)
    if want_articles:
        for paragraph in _MAY_BE_ARTICLE(body):
            match = ARTICLE_HEADING.match(_own_text(paragraph))
            if match:
                scan.text_articles.append((body.index(paragraph), paragraph, match))
    return scan


def _headings(body: etree._Element, styles: _Styles) -> list[tuple[int, etree._Element, int, bool]]:
    """Top-level heading paragraphs: (body index, paragraph, outline level, numbered by Word)."""
    headings = []
    for index, child in enumerate(body):
        if child.tag == ooxml.W_P:
            level, numbered = styles.heading_info(child)
            if level is not None:
                headings.append((index, child, level, numbered))
    return headings


def _top_level_index(body: etree._Element, element: etree._Element) -> int:
    while element.getparent() is not body:
        element = element.getparent()
    return body.index(element)


def _replace_placeholder(placeholder: etree._Element, elements: list[etree._Element]) -> None:
    for element in elements:
        placeholder.addprevious(element)
    _remove_placeholder(placeholder)


def _remove_placeholder(placeholder: etree._Element) -> None:
    ppr = placeholder.find(ooxml.W_PPR)
    parent = placeholder.getparent()
    ends_section = ppr is not None and ppr.find(ooxml.W_SECTPR) is not None
    only_in_cell = parent.tag == ooxml.w("tc") and len(parent.findall(ooxml.W_P)) == 1
    # A table cell needs one paragraph; a paragraph ending a section carries its section break.
    if ends_section or only_in_cell:
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
    scan: _Scan, headings_of, anchor: int, title: str, writer: ooxml.ParagraphWriter
) -> etree._Element:
    """The base-vie article's heading, numbered like the document's articles around `anchor` (a body index)."""
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
    headings = headings_of()
    if headings:
        top_level = min(level for _, _, level, _ in headings)
        numbered = [item for item in headings if item[2] == top_level and item[3]]
        candidates = numbered or [item for item in headings if item[2] == top_level]
        before = [item for item in candidates if item[0] < anchor]
        reference = before[-1] if before else candidates[0]
        return _heading_copy(reference[1], title)
    return writer.paragraph([Span(title, bold=True)], keep_next=True, size_half_points=24)


def stamp_package(package: DocxPackage, *, texts: StampTexts, qr_code_png: bytes) -> StampResult:
    """Stamps an opened package; `qr_code_png` is the PNG of the QR code of `texts.annex_url`."""
    document = package.document
    body = document.find(ooxml.W_BODY)
    rels_name = ooxml.rels_part_of(package.main_part)
    relationships = ooxml.Relationships(
        copy.deepcopy(package.document_rels) if package.document_rels is not None else None
    )
    writer = ooxml.ParagraphWriter(relationships.hyperlink)
    scan = _scan(body, want_articles=texts.with_base_vie)

    media_name = _free_name(package.names, posixpath.join(posixpath.dirname(package.main_part), "media"), "egalite-qr")
    image_id = relationships.add(
        ooxml.REL_IMAGE, posixpath.relpath(media_name, posixpath.dirname(package.main_part) or ".")
    )
    encart = [writer.paragraph([Span(texts.encart_title, bold=True)], keep_next=True, size_half_points=TITLE_SIZE)]
    encart += writer.blocks(markup.parse(texts.encart_body))
    encart.append(writer.paragraph(annex_link_spans(texts), keep_next=True))
    encart.append(
        ooxml.picture_paragraph(
            rel_id=image_id,
            docpr_id=package.max_docpr_id + 1,
            size_emu=QR_SIZE_EMU,
            name="QR code fiche de renseignements",
            description=f"QR code du lien de la fiche de renseignements égalité du marché {texts.market_reference}",
        )
    )

    final_sectpr = body[-1] if len(body) and body[-1].tag == ooxml.W_SECTPR else None
    if scan.encart_placeholders:
        encart_anchor = _top_level_index(body, scan.encart_placeholders[0])
    else:
        encart_anchor = len(body) - (1 if final_sectpr is not None else 0)
    base_vie_heading = ""
    article: list[etree._Element] = []
    if texts.with_base_vie:
        anchor = _top_level_index(body, scan.base_vie_placeholders[0]) if scan.base_vie_placeholders else encart_anchor
        heading = _article_heading(
            scan, lambda: _headings(body, _Styles(package.styles)), anchor, texts.base_vie_title, writer
        )
        base_vie_heading = ooxml.paragraph_text(heading)
        article = [heading, *writer.blocks(markup.parse(texts.base_vie_body))]

    follows_encart = texts.with_base_vie and not scan.base_vie_placeholders
    encart_block = encart + (article if follows_encart else [])
    if scan.encart_placeholders:
        _replace_placeholder(scan.encart_placeholders[0], encart_block)
        for extra in scan.encart_placeholders[1:]:
            _remove_placeholder(extra)
    elif final_sectpr is not None:
        for element in encart_block:
            final_sectpr.addprevious(element)
    else:
        body.extend(encart_block)
    for index, placeholder in enumerate(scan.base_vie_placeholders):
        if index == 0 and texts.with_base_vie:
            _replace_placeholder(placeholder, article)
        else:
            _remove_placeholder(placeholder)

    replaced = {
        package.main_part: ooxml.serialize(document, standalone=package.document_standalone),
        rels_name: ooxml.serialize(relationships.root),
    }
    content_types = _with_png_content_type(package.content_types, media_name)
    if content_types is not None:
        replaced["[Content_Types].xml"] = ooxml.serialize(content_types)
    content = _write_zip(package, replaced, extra={media_name: qr_code_png})
    return StampResult(
        content=content,
        encart_at_placeholder=bool(scan.encart_placeholders),
        base_vie_heading=base_vie_heading,
        warnings=tuple(package.warnings),
    )


def _free_name(names: set[str], folder: str, stem: str) -> str:
    candidate = posixpath.join(folder, f"{stem}.png")
    counter = 1
    while candidate in names:
        counter += 1
        candidate = posixpath.join(folder, f"{stem}-{counter}.png")
    return candidate


def _with_png_content_type(root: etree._Element, media_name: str) -> etree._Element | None:
    """The content types with PNG declared, or None when they already declare it (the part stays as is)."""
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "")
        for element in root
        if element.tag == f"{{{ooxml.CT_NS}}}Default"
    }
    has_rels = "rels" in defaults
    if defaults.get("png") == "image/png" and has_rels:
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
    return root


def _write_zip(package: DocxPackage, replaced: dict[str, bytes], *, extra: dict[str, bytes]) -> bytes:
    """Unchanged entries are copied as stored (same compressed bytes); changed and new ones are deflated."""
    output = io.BytesIO()
    source = io.BytesIO(package.raw)
    written = set()
    with zipfile.ZipFile(output, "w") as archive:
        for info in package.infos:
            if info.filename in replaced:
                target = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                target.compress_type = info.compress_type
                target.external_attr = info.external_attr
                archive.writestr(target, replaced[info.filename], compresslevel=COMPRESS_LEVEL)
                written.add(info.filename)
            else:
                _copy_raw_entry(source, info, archive)
        for name, data in [*((n, d) for n, d in replaced.items() if n not in written), *extra.items()]:
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED, COMPRESS_LEVEL
            )
    return output.getvalue()


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
