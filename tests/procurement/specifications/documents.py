"""Realistic cahiers des charges built with python-docx: headers, footers, headings, tables, images, sections."""

import io

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree
from PIL import Image

ARTICLES = [
    "Objet du marché",
    "Pièces contractuelles",
    "Description des prestations",
    "Délais d'exécution",
    "Prix et règlement",
    "Pénalités",
    "Dispositions diverses",
]


def png_bytes(color=(0, 0, 145), size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _header_footer(document, title: str) -> None:
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{title} — Agglomération A"
    footer = section.footer.paragraphs[0]
    footer.text = "Cahier des clauses techniques particulières — page "
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            element = run._r.makeelement(qn("w:instrText"), {})
            element.text = text
        run._r.append(element)


def _table(document, rows: int = 3) -> None:
    table = document.add_table(rows=rows, cols=3)
    table.style = "Table Grid" if "Table Grid" in [s.name for s in document.styles] else None
    for index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            cell.text = f"Poste {index + 1}.{column + 1}"


def _split_placeholder(document, text: str = "[[ENCART_EGALITE]]") -> None:
    paragraph = document.add_paragraph()
    # Word splits a placeholder when its parts carry different formatting or revision marks.
    cut1, cut2 = 9, 12
    paragraph.add_run(text[:cut1])
    paragraph.add_run(text[cut1:cut2]).bold = True
    paragraph.add_run(text[cut2:]).italic = True


def _article(document, number: int, title: str) -> None:
    document.add_heading(f"Article {number}. {title}", level=1)
    document.add_paragraph(
        f"Le présent article {number} précise {title.lower()}. Le titulaire s'engage à respecter les stipulations "
        "du présent cahier des charges et des pièces auxquelles il renvoie."
    )


def complete_cctp() -> bytes:
    """Header, footer, numbered articles, a table, an image, two sections, the placeholder split in 3 runs."""
    document = docx.Document()
    _header_footer(document, "CCTP")
    document.add_heading("Cahier des clauses techniques particulières", level=0)
    _article(document, 1, ARTICLES[0])
    document.add_picture(io.BytesIO(png_bytes()), width=Cm(3))
    _article(document, 2, ARTICLES[1])
    _split_placeholder(document)
    for number, title in enumerate(ARTICLES[2:4], start=3):
        _article(document, number, title)
    _table(document)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for number, title in enumerate(ARTICLES[4:], start=5):
        _article(document, number, title)
    document.add_paragraph("Fait à Valenciennes, le 2 mars 2026.")
    return _save(document)


def without_placeholder() -> bytes:
    """Numbered articles 1 to 7, header, footer, table, image; no placeholder."""
    document = docx.Document()
    _header_footer(document, "CCAP")
    for number, title in enumerate(ARTICLES, start=1):
        _article(document, number, title)
        if number == 3:
            _table(document, rows=4)
        if number == 5:
            document.add_picture(io.BytesIO(png_bytes((200, 30, 30))), width=Cm(2))
    return _save(document)


def auto_numbered() -> bytes:
    """Headings numbered by Word (w:numPr to a numbering definition), base-vie placeholder between articles."""
    document = docx.Document()
    _header_footer(document, "CCAP")
    numbering = document.part.numbering_part.element
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="Article %1 -"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{_W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for index, title in enumerate(ARTICLES):
        heading = document.add_heading(title, level=1)
        ppr = heading._p.get_or_add_pPr()
        numpr = etree.fromstring(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
        ppr.find(qn("w:pStyle")).addnext(numpr)
        document.add_paragraph(f"Stipulations relatives à : {title.lower()}.")
        if index == 2:
            document.add_paragraph("[[ARTICLE_BASE_VIE]]")
            document.add_heading("Sous-partie non numérotée", level=2)
    return _save(document)


def placeholder_ends_section() -> bytes:
    """The placeholder paragraph carries the section break of the first section."""
    document = docx.Document()
    document.add_paragraph("Première section, en portrait.")
    document.add_section(WD_SECTION.NEW_PAGE)
    holder = next(p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.sectPr is not None)
    holder.add_run("[[ENCART_EGALITE]]")
    document.add_paragraph("Seconde section.")
    return _save(document)


def minimal() -> bytes:
    """No heading, no style: plain paragraphs."""
    document = docx.Document()
    for index in range(3):
        paragraph = document.add_paragraph(f"Paragraphe {index + 1} du règlement de consultation.")
        paragraph.runs[0].font.size = Pt(11)
    return _save(document)


def with_placeholder_in_table_and_hyperlink() -> bytes:
    """The placeholder sits alone in a table cell; the document has an external hyperlink (allowed)."""
    document = docx.Document()
    document.add_paragraph("Voir le site de l'acheteur.")
    paragraph = document.paragraphs[0]
    rel_id = document.part.relate_to("https://www.example.org/", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, True)
    link = paragraph._p.makeelement(qn("w:hyperlink"), {qn("r:id"): rel_id})
    run = paragraph._p.makeelement(qn("w:r"), {})
    text = paragraph._p.makeelement(qn("w:t"), {})
    text.text = "www.example.org"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Encart"
    table.cell(0, 1).text = "[[ENCART_EGALITE]]"
    document.add_paragraph("Après le tableau.")
    return _save(document)


def _field(paragraph, instruction: list[str], result: str) -> None:
    """A complex field as Word writes it: begin, the instruction over several runs, separate, result, end."""

    def run_with(tag: str, **attributes):
        run = paragraph.add_run()
        element = run._r.makeelement(qn(tag), {qn(name): value for name, value in attributes.items()})
        run._r.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    for part in instruction:
        run_with("w:instrText", **{"xml:space": "preserve"}).text = part
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(result)
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def with_ordinary_fields() -> bytes:
    """Fields an ordinary cahier des charges holds, none of which runs or fetches anything: a table of contents, a
    HYPERLINK field to a URL (followed on a click only), a cross-reference, a date, a picture included from a local
    file, a simple NUMPAGES field, nested fields; and "DDE" as plain text."""
    document = docx.Document()
    _header_footer(document, "CCTP")
    _field(document.add_paragraph(), [" TOC \\o ", '"1-3" \\h \\z \\u '], "Table des matières")
    _article(document, 1, ARTICLES[0])
    paragraph = document.add_paragraph("Le site de l'acheteur : ")
    _field(paragraph, [' HYPERLINK "https://www.example.org/', 'marches/" '], "www.example.org")
    paragraph = document.add_paragraph("Voir l'article ")
    _field(paragraph, [" REF _Ref1 \\r \\h "], "1")
    paragraph = document.add_paragraph("Mis à jour le ")
    _field(paragraph, [' DATE \\@ "dd/MM/yyyy" '], "02/03/2026")
    _field(document.add_paragraph(), [' INCLUDEPICTURE "images/logo-acheteur.png" \\* MERGEFORMAT '], "")
    paragraph = document.add_paragraph("Le document compte ")
    simple = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): " NUMPAGES "})
    result = simple.makeelement(qn("w:r"), {})
    text = result.makeelement(qn("w:t"), {})
    text.text = "2"
    result.append(text)
    simple.append(result)
    paragraph._p.append(simple)
    paragraph.add_run(" pages.")
    paragraph = document.add_paragraph("Lots : ")
    # IF { NUMPAGES } > 1 "plusieurs" "un seul": a field nested in another's instruction.
    paragraph.add_run()._r.append(paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "begin"}))
    _instruction_run(paragraph, " IF ")
    _field(paragraph, [" NUMPAGES "], "2")
    _instruction_run(paragraph, ' > 1 "plusieurs" "un seul" ')
    paragraph.add_run()._r.append(paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "separate"}))
    paragraph.add_run("plusieurs")
    paragraph.add_run()._r.append(paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))
    document.add_paragraph("Avis de la DDE (direction départementale de l'équipement) : favorable.")
    _article(document, 2, ARTICLES[1])
    return _save(document)


def _instruction_run(paragraph, text: str) -> None:
    element = paragraph._p.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
    element.text = text
    paragraph.add_run()._r.append(element)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

ALL = {
    "complete_cctp": complete_cctp,
    "without_placeholder": without_placeholder,
    "auto_numbered": auto_numbered,
    "placeholder_ends_section": placeholder_ends_section,
    "minimal": minimal,
    "placeholder_in_table": with_placeholder_in_table_and_hyperlink,
    "ordinary_fields": with_ordinary_fields,
}
