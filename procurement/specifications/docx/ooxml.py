"""Small WordprocessingML toolkit on lxml: the safe parser, names, and the elements we write.

Element children are written in the order the OOXML schema requires (Word repairs files otherwise):
`w:pPr` before runs; inside `w:rPr`: `b`, `color`, `sz`, `szCs`, `u`.
"""

import posixpath
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from lxml import etree

from procurement.specifications.docx.markup import Block, Span

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"

REL_OFFICE_DOCUMENT = f"{R_NS}/officeDocument"
REL_HYPERLINK = f"{R_NS}/hyperlink"
REL_IMAGE = f"{R_NS}/image"
REL_STYLES = f"{R_NS}/styles"
REL_NUMBERING = f"{R_NS}/numbering"

CT_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
CT_NUMBERING = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"

HYPERLINK_COLOR = "0563C1"
# The largest identifier Word reads back: drawing ids (wp:docPr/@id) are unsigned 32-bit, list ids (numId,
# abstractNumId) signed 32-bit; the safe bound for both.
MAX_IDENTIFIER = 2**31 - 1


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_P, W_R, W_T, W_PPR, W_RPR, W_BODY, W_SECTPR = (w(t) for t in ("p", "r", "t", "pPr", "rPr", "body", "sectPr"))
W_PSTYLE, W_NUMPR, W_TAB, W_TXBX = w("pStyle"), w("numPr"), w("tab"), w("txbxContent")
W_VAL = w("val")


def safe_parser() -> etree.XMLParser:
    """No entity expansion, no network, no DTD loading; callers still refuse any DOCTYPE."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def serialize(root: etree._Element, *, standalone: bool | None = True) -> bytes:
    if standalone is None:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone)


# Word reads a decimal number as a 32-bit integer: 10 digits (leading zeros aside) at most.
MAX_DECIMAL_DIGITS = 10


def decimal_number(value: str | None) -> int | None:
    """An attribute's decimal number (a list, level or drawing id), or None: ASCII digits only, as Word reads them
    (str.isdigit() also accepts "²", which int() refuses), and at most MAX_DECIMAL_DIGITS of them (int() raises
    ValueError past 4,300 digits: a forged drawing id made the upload a server error)."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    digits = value.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_DECIMAL_DIGITS else None


def free_identifier(used: AbstractSet[int]) -> int:
    """A new identifier beside `used`: the next after the largest, or, when that would pass what Word reads back
    (a document already numbering near the limit), the smallest one not taken."""
    largest = max(used, default=0)
    if largest < MAX_IDENTIFIER:
        return largest + 1
    return next(candidate for candidate in range(1, len(used) + 2) if candidate not in used)


def paragraph_text(paragraph: etree._Element) -> str:
    """The text a reader sees in a paragraph: `w:t` only (not deleted text, not field codes)."""
    return "".join([node.text or "" for node in paragraph.iter(W_T)])


def resolve_target(source_part: str, target: str) -> str:
    """The part name a relationship target points to, relative to the source part's folder."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def rels_part_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


# --- What we write ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunStyle:
    bold: bool = False
    size_half_points: int | None = None
    hyperlink: bool = False


class ParagraphWriter:
    """Builds paragraphs; asks `link_id(url)` for the relationship id of each hyperlink."""

    def __init__(self, link_id, *, bullet_num_id=None):
        self.link_id = link_id
        # When given, `bullet_num_id()` returns the numbering (`w:numId`) of a bullet list: list items are then a
        # real Word list; otherwise they start with a "•" and a tab.
        self.bullet_num_id = bullet_num_id

    def paragraph(
        self,
        spans: Iterable[Span],
        *,
        style_id: str = "",
        keep_next: bool = False,
        bullet: bool = False,
        space_after: int | None = None,
        size_half_points: int | None = None,
        base_ppr: etree._Element | None = None,
        base_rpr: etree._Element | None = None,
    ) -> etree._Element:
        paragraph = etree.Element(W_P, nsmap={"w": W_NS})
        num_id = self.bullet_num_id() if bullet and self.bullet_num_id is not None else ""
        if base_ppr is not None:
            paragraph.append(base_ppr)
        else:
            ppr = _ppr(
                style_id=style_id,
                keep_next=keep_next,
                bullet=bullet and not num_id,
                space_after=space_after,
                num_id=num_id,
            )
            if len(ppr):
                paragraph.append(ppr)
        if bullet and not num_id:
            paragraph.append(_run("•", RunStyle(size_half_points=size_half_points)))
            tab_run = etree.SubElement(paragraph, W_R)
            etree.SubElement(tab_run, W_TAB)
        for span in spans:
            style = RunStyle(bold=span.bold, size_half_points=size_half_points, hyperlink=bool(span.href))
            run = _run(span.text, style, base_rpr=base_rpr)
            if span.href:
                link = etree.SubElement(paragraph, w("hyperlink"), nsmap={"r": R_NS})
                link.set(f"{{{R_NS}}}id", self.link_id(span.href))
                link.append(run)
            else:
                paragraph.append(run)
        return paragraph

    def blocks(self, blocks: Iterable[Block], **kwargs) -> list[etree._Element]:
        return [self.paragraph(block.spans, bullet=block.is_list_item, **kwargs) for block in blocks]


def no_break_hyphens(paragraph: etree._Element) -> etree._Element:
    """The paragraph with each « - » of its text a non-breaking hyphen (`w:noBreakHyphen`), after which Word never
    breaks a line: a link keeps its token whole. Its text reads the same (python-docx, a copy in Word)."""
    for node in list(paragraph.iter(W_T)):
        if "-" not in (node.text or ""):
            continue
        run = node.getparent()
        position = run.index(node)
        run.remove(node)
        for index, piece in enumerate(node.text.split("-")):
            if index:
                run.insert(position, etree.Element(w("noBreakHyphen")))
                position += 1
            if piece:
                text = etree.Element(W_T)
                text.text = piece
                run.insert(position, text)
                position += 1
    return paragraph


def _ppr(*, style_id: str, keep_next: bool, bullet: bool, space_after: int | None, num_id: str = "") -> etree._Element:
    ppr = etree.Element(W_PPR)
    if style_id:
        etree.SubElement(ppr, W_PSTYLE).set(W_VAL, style_id)
    if keep_next:
        etree.SubElement(ppr, w("keepNext"))
    if num_id:
        ppr.append(numbering_properties(num_id))
    if space_after is not None:
        spacing = etree.SubElement(ppr, w("spacing"))
        spacing.set(w("after"), str(space_after))
    if bullet:
        ind = etree.SubElement(ppr, w("ind"))
        ind.set(w("left"), "720")
        ind.set(w("hanging"), "360")
    return ppr


def numbering_properties(num_id: str, level: int = 0) -> etree._Element:
    """`w:numPr`: the paragraph is an item of the list `num_id` (`"0"`: explicitly not numbered)."""
    numpr = etree.Element(W_NUMPR)
    etree.SubElement(numpr, w("ilvl")).set(W_VAL, str(level))
    etree.SubElement(numpr, w("numId")).set(W_VAL, num_id)
    return numpr


def _run(text: str, style: RunStyle, *, base_rpr: etree._Element | None = None) -> etree._Element:
    run = etree.Element(W_R)
    rpr = _rpr(style, base_rpr)
    if rpr is not None:
        run.append(rpr)
    node = etree.SubElement(run, W_T)
    node.text = text
    if text != text.strip():
        node.set(f"{{{XML_NS}}}space", "preserve")
    return run


def _rpr(style: RunStyle, base_rpr: etree._Element | None) -> etree._Element | None:
    if base_rpr is not None:
        return etree.fromstring(etree.tostring(base_rpr))
    if not (style.bold or style.size_half_points or style.hyperlink):
        return None
    rpr = etree.Element(W_RPR)
    if style.bold:
        etree.SubElement(rpr, w("b"))
    if style.hyperlink:
        etree.SubElement(rpr, w("color")).set(W_VAL, HYPERLINK_COLOR)
    if style.size_half_points:
        etree.SubElement(rpr, w("sz")).set(W_VAL, str(style.size_half_points))
        etree.SubElement(rpr, w("szCs")).set(W_VAL, str(style.size_half_points))
    if style.hyperlink:
        etree.SubElement(rpr, w("u")).set(W_VAL, "single")
    return rpr


def picture_paragraph(*, rel_id: str, docpr_id: int, size_emu: int, name: str, description: str) -> etree._Element:
    """A paragraph holding one inline picture (`r:embed` = rel_id), `size_emu` wide and high."""
    nsmap = {"w": W_NS, "wp": WP_NS, "a": A_NS, "pic": PIC_NS, "r": R_NS}
    paragraph = etree.Element(W_P, nsmap=nsmap)
    run = etree.SubElement(paragraph, W_R)
    drawing = etree.SubElement(run, w("drawing"))
    inline = etree.SubElement(drawing, f"{{{WP_NS}}}inline")
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    etree.SubElement(inline, f"{{{WP_NS}}}extent", cx=str(size_emu), cy=str(size_emu))
    etree.SubElement(inline, f"{{{WP_NS}}}effectExtent", l="0", t="0", r="0", b="0")
    etree.SubElement(inline, f"{{{WP_NS}}}docPr", id=str(docpr_id), name=name, descr=description)
    frame = etree.SubElement(inline, f"{{{WP_NS}}}cNvGraphicFramePr")
    etree.SubElement(frame, f"{{{A_NS}}}graphicFrameLocks", noChangeAspect="1")
    graphic = etree.SubElement(inline, f"{{{A_NS}}}graphic")
    data = etree.SubElement(graphic, f"{{{A_NS}}}graphicData", uri=PIC_NS)
    pic = etree.SubElement(data, f"{{{PIC_NS}}}pic")
    nv = etree.SubElement(pic, f"{{{PIC_NS}}}nvPicPr")
    etree.SubElement(nv, f"{{{PIC_NS}}}cNvPr", id="0", name=name)
    etree.SubElement(nv, f"{{{PIC_NS}}}cNvPicPr")
    fill = etree.SubElement(pic, f"{{{PIC_NS}}}blipFill")
    etree.SubElement(fill, f"{{{A_NS}}}blip").set(f"{{{R_NS}}}embed", rel_id)
    stretch = etree.SubElement(fill, f"{{{A_NS}}}stretch")
    etree.SubElement(stretch, f"{{{A_NS}}}fillRect")
    sppr = etree.SubElement(pic, f"{{{PIC_NS}}}spPr")
    xfrm = etree.SubElement(sppr, f"{{{A_NS}}}xfrm")
    etree.SubElement(xfrm, f"{{{A_NS}}}off", x="0", y="0")
    etree.SubElement(xfrm, f"{{{A_NS}}}ext", cx=str(size_emu), cy=str(size_emu))
    geometry = etree.SubElement(sppr, f"{{{A_NS}}}prstGeom", prst="rect")
    etree.SubElement(geometry, f"{{{A_NS}}}avLst")
    return paragraph


class Relationships:
    """A `.rels` part being extended: new ids never collide with the existing ones."""

    def __init__(self, root: etree._Element | None = None):
        self.root = (
            root if root is not None else etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
        )
        self.ids = {rel.get("Id") for rel in self.root}
        self._external: dict[str, str] = {}
        self._counter = 0

    def _new_id(self) -> str:
        while True:
            self._counter += 1
            candidate = f"rIdEgalite{self._counter}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def add(self, rel_type: str, target: str, *, external: bool = False) -> str:
        if external and target in self._external:
            return self._external[target]
        rel_id = self._new_id()
        rel = etree.SubElement(self.root, f"{{{PKG_REL_NS}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
        if external:
            rel.set("TargetMode", "External")
            self._external[target] = rel_id
        return rel_id

    def hyperlink(self, url: str) -> str:
        return self.add(REL_HYPERLINK, url, external=True)
