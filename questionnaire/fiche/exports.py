"""The fiche de renseignements of a market, for the pièces candidature: DOCX (our OOXML writer) and PDF.

Both carry the questionnaire on paper (its wording in `texts`), the buyer's encart as introduction, the market's
reference and the link (with its QR code) to answer online. `fiche_document` serves them rendered once per
version (procurement.documents): a second download of the same fiche is read from the cache.
"""

import base64
import functools
import sys
from pathlib import Path

from django.template.loader import get_template, render_to_string
from lxml import etree

from procurement import documents
from procurement.links import qr_png
from procurement.specifications.docx import markup, ooxml, package
from procurement.specifications.docx.markup import Span
from procurement.specifications.docx.package import QR_MEDIA, TEXT_WIDTH, qr_paragraph, write_package
from procurement.templatetags.encart import encart_html
from questionnaire.enums import QUESTIONNAIRE_VERSION
from questionnaire.fiche import texts as wording
from questionnaire.fiche.selectors import FicheContext

CHECKBOX = "☐"
PDF_TEMPLATE = "questionnaire/fiche/fiche_pdf.html"
DOCX = "docx"
PDF = "pdf"


@functools.cache
def layout_version() -> str:
    """What the fiche looks like, whatever the market: the questionnaire's version, the paper wording, the code that
    writes it (this module, the OOXML writer) and the PDF template. Any change of them (a new option, a deploy) is a
    new cache key."""
    wording_values = [
        f"{name}={getattr(wording, name)!r}" for name in sorted(dir(wording)) if name.isupper() and name[0] != "_"
    ]
    code = [Path(module.__file__).read_bytes() for module in (sys.modules[__name__], ooxml, markup, package)]
    return documents.content_digest(
        [
            QUESTIONNAIRE_VERSION,
            *wording_values,
            *code,
            get_template(PDF_TEMPLATE).template.source,
            documents.PDF_VARIANT,
        ]
    )


def fiche_document(context: FicheContext, *, kind: str) -> bytes:
    """The market's fiche as DOCX or PDF, rendered once per (layout, market, buyer) and then read from the cache."""
    render = {DOCX: fiche_docx, PDF: fiche_pdf}[kind]
    return documents.rendered_once(
        kind=f"fiche-{kind}", inputs=[layout_version(), *context.inputs()], render=lambda: render(context)
    )


def fiche_docx(context: FicheContext) -> bytes:
    relationships = ooxml.Relationships()
    relationships.add(ooxml.REL_STYLES, "styles.xml")
    image_id = relationships.add(ooxml.REL_IMAGE, "media/qr.png")
    writer = ooxml.ParagraphWriter(relationships.hyperlink)
    return write_package(
        _fiche_body(context, writer, image_id),
        relationships=relationships,
        media={QR_MEDIA: qr_png(context.annex_url)},
    )


def _encart(context: FicheContext, writer: ooxml.ParagraphWriter) -> list[etree._Element]:
    """The buyer's validated encart; nothing when it has none yet."""
    if not context.encart_body:
        return []
    title = writer.paragraph([Span(context.encart_title, bold=True)], keep_next=True)
    return [title, *writer.blocks(markup.parse(context.encart_body))]


def _fiche_body(context: FicheContext, writer: ooxml.ParagraphWriter, image_id: str) -> list[etree._Element]:
    def para(text: str = "", *, bold: bool = False, size: int | None = None, keep_next: bool = False):
        return writer.paragraph([Span(text, bold=bold)] if text else [], size_half_points=size, keep_next=keep_next)

    def heading(text: str):
        return writer.paragraph([Span(text, bold=True)], size_half_points=24, keep_next=True, space_after=120)

    elements = [
        para(context.organisation_name, bold=True),
        para(f"Marché {context.market_reference} — {context.market_title}"),
        writer.paragraph([Span(wording.FICHE_TITLE, bold=True)], size_half_points=32, space_after=240),
        *_encart(context, writer),
        *(para(sentence) for sentence in wording.FICHE_NOTICE),
        writer.paragraph(
            [
                Span(f"Marché {context.market_reference} : vous pouvez aussi répondre en ligne à l'adresse "),
                Span(context.annex_url, href=context.annex_url),
                Span(" ou en scannant le QR code ci-dessous."),
            ],
            keep_next=True,
        ),
        qr_paragraph(
            rel_id=image_id, description=f"QR code du questionnaire en ligne du marché {context.market_reference}"
        ),
        heading(wording.IDENTITY_SECTION),
        *(
            para(f"{label} : {wording.DOTTED_LINE[: 80 - len(label)]}", keep_next=True)
            for label in wording.IDENTITY_FIELDS
        ),
        heading(wording.STAFF_SECTION),
        _table(wording.STAFF_COLUMNS, _staff_rows()),
        para(wording.NON_BINARY_NOTE, size=16),
        heading(wording.GOVERNANCE_SECTION),
        para(wording.BOARD_QUESTION, keep_next=True),
        para(_boxes(wording.YES_NO_CHOICES)),
        para(wording.BOARD_SHARE),
        para(wording.OFFICERS_QUESTION, keep_next=True),
        _table(
            wording.OFFICERS_COLUMNS,
            [[row] + [CHECKBOX] * len(wording.OFFICERS_CHOICES) for row in wording.OFFICERS_ROWS],
        ),
        para(),
        para(wording.VOLUNTEERS_SHARE),
        heading(wording.POLICY_SECTION),
        para(wording.POLICY_QUESTION, keep_next=True),
        *(para(wording.DOTTED_LINE) for _ in range(wording.POLICY_LINES)),
        para(wording.POLICY_LIMIT, size=16),
        writer.paragraph([Span(wording.INDEX_SECTION, bold=True)], keep_next=True),
        para(wording.INDEX_QUESTION, keep_next=True),
        *(para(line, keep_next=True) for line in _index_lines()[:-1]),
        para(_index_lines()[-1]),
        heading(wording.COMMITMENTS_TITLE),
    ]
    for commitment in wording.COMMITMENTS:
        elements += [
            writer.paragraph(
                [Span(commitment, bold=True), Span(f"    {_boxes(wording.YES_NO_CHOICES)}")], keep_next=True
            ),
            para(f"{wording.COMMITMENT_DETAIL} :", keep_next=True),
            para(wording.DOTTED_LINE, keep_next=True),
            para(wording.DOTTED_LINE),
        ]
    elements += [heading(wording.ATTACHMENTS_SECTION), para(wording.ATTACHMENTS)]
    return elements


def _index_lines() -> list[str]:
    """One box per answer of the online question; the score and its year beside the first."""
    _first, *others = wording.INDEX_CHOICES
    return [f"{CHECKBOX} {wording.INDEX_SCORE} — {wording.INDEX_YEAR}"] + [f"{CHECKBOX} {choice}" for choice in others]


def _boxes(choices: list[str]) -> str:
    return "    ".join(f"{CHECKBOX} {choice}" for choice in choices)


def _staff_rows() -> list[list[str]]:
    """One row per scope and the total, with empty cells to fill in."""
    return [[row] + [""] * (len(wording.STAFF_COLUMNS) - 1) for row in wording.STAFF_ROWS]


def _table(header: list[str], rows: list[list[str]]) -> etree._Element:
    w = ooxml.w
    table = etree.Element(w("tbl"), nsmap={"w": ooxml.W_NS})
    properties = etree.SubElement(table, w("tblPr"))
    etree.SubElement(properties, w("tblW"), {w("w"): "5000", w("type"): "pct"})
    borders = etree.SubElement(properties, w("tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        etree.SubElement(borders, w(side), {w("val"): "single", w("sz"): "4", w("space"): "0", w("color"): "auto"})
    etree.SubElement(properties, w("tblLook"), {w("val"): "04A0"})
    first = TEXT_WIDTH // 4
    other = (TEXT_WIDTH - first) // (len(header) - 1)
    widths = [first] + [other] * (len(header) - 1)
    grid = etree.SubElement(table, w("tblGrid"))
    for width in widths:
        etree.SubElement(grid, w("gridCol"), {w("w"): str(width)})
    for index, cells in enumerate([header, *rows]):
        row = etree.SubElement(table, w("tr"))
        row_properties = etree.SubElement(row, w("trPr"))
        etree.SubElement(row_properties, w("cantSplit"))
        if index == 0:
            # Repeated at the top of each page the table runs onto.
            etree.SubElement(row_properties, w("tblHeader"))
        for position, (text, width) in enumerate(zip(cells, widths, strict=True)):
            cell = etree.SubElement(row, w("tc"))
            cell_properties = etree.SubElement(cell, w("tcPr"))
            etree.SubElement(cell_properties, w("tcW"), {w("w"): str(width), w("type"): "dxa"})
            bold = index == 0 or position == 0
            centered = position > 0
            paragraph = etree.SubElement(cell, ooxml.W_P)
            if centered:
                ppr = etree.SubElement(paragraph, ooxml.W_PPR)
                etree.SubElement(ppr, w("jc"), {w("val"): "center"})
            if text:
                run = etree.SubElement(paragraph, ooxml.W_R)
                if bold:
                    etree.SubElement(etree.SubElement(run, ooxml.W_RPR), w("b"))
                etree.SubElement(run, ooxml.W_T).text = text
    return table


def fiche_html(context: FicheContext) -> str:
    qr = base64.b64encode(qr_png(context.annex_url)).decode("ascii")
    return render_to_string(
        PDF_TEMPLATE,
        {
            "fiche": context,
            "logo_data_uri": documents.image_data_uri(context.organisation_logo),
            "index_lines": _index_lines(),
            "wording": wording,
            "encart_html": encart_html(context.encart_body),
            "qr_data_uri": f"data:image/png;base64,{qr}",
            "staff_rows": _staff_rows(),
            "officer_rows": wording.OFFICERS_ROWS,
            "officer_cells": wording.OFFICERS_CHOICES,
            "policy_lines": range(wording.POLICY_LINES),
            "checkbox": CHECKBOX,
        },
    )


def fiche_pdf(context: FicheContext) -> bytes:
    return documents.html_to_pdf(fiche_html(context))
