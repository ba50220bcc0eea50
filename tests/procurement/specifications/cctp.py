"""Five cahiers des charges as buyers write them, none with a marker, and ordinary documents the platform once
refused (a template on the author's disk, a native chart) or must name (Strict Open XML).

Built with python-docx and lxml (nothing binary is committed). Each CCTP has numbered articles, a closing block
("Fait à …", "Le Président", a signature) and a section about site installation; `EXPECTED` says where the
encart and the base-vie article belong.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import Workbook

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BODY_TEXT = "Le titulaire exécute les prestations conformément aux normes en vigueur et aux règles de l'art."


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _closing(document, town: str) -> None:
    document.add_paragraph(f"Fait à {town}, le 2 mars 2026")
    document.add_paragraph("Le Président,")
    document.add_paragraph("Jean Dupont")


def styled_articles() -> bytes:
    """Word's heading styles: "Article N – …" in Heading 1, sub-articles "4.1 …" in Heading 2, closing block."""
    document = docx.Document()
    document.add_paragraph("Cahier des clauses techniques particulières", style="Title")
    document.add_paragraph("Marché de travaux : réhabilitation de la médiathèque.")
    titles = ["Objet du marché", "Documents applicables", "Description des ouvrages", "Installation de chantier"]
    for number, title in enumerate(titles, start=1):
        document.add_heading(f"Article {number} – {title}", level=1)
        document.add_paragraph(BODY_TEXT)
        if number == 4:
            for sub, sub_title in enumerate(["Accès au chantier", "Clôtures et signalisation"], start=1):
                document.add_heading(f"4.{sub} {sub_title}", level=2)
                document.add_paragraph(BODY_TEXT)
    document.add_heading("Article 5 – Réception des travaux", level=1)
    document.add_paragraph(BODY_TEXT)
    _closing(document, "Valenciennes")
    return _save(document)


def general_provisions_chapters() -> bytes:
    """Chapters in Heading 1 ("CHAPITRE I – DISPOSITIONS GÉNÉRALES"), articles in Heading 2, a signature table."""
    document = docx.Document()
    document.add_paragraph("CCTP — Lot 2 : gros œuvre", style="Title")
    document.add_heading("CHAPITRE I – DISPOSITIONS GÉNÉRALES", level=1)
    for number, title in enumerate(["Objet", "Durée du marché"], start=1):
        document.add_heading(f"Article {number} – {title}", level=2)
        document.add_paragraph(BODY_TEXT)
    document.add_heading("CHAPITRE II – PRESCRIPTIONS TECHNIQUES", level=1)
    for number, title in enumerate(["Installations de chantier et base vie", "Matériaux"], start=3):
        document.add_heading(f"Article {number} – {title}", level=2)
        document.add_paragraph(BODY_TEXT)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Fait à Lille, le 2 mars 2026"
    table.cell(0, 1).text = "Lu et approuvé par l'entreprise"
    table.cell(1, 0).text = "Le Président"
    table.cell(1, 1).text = "Signature"
    return _save(document)


def plain_text_articles() -> bytes:
    """No heading style at all: bold "ARTICLE N : …" paragraphs, as many CCTPs typed by hand."""
    document = docx.Document()
    titles = [
        "OBJET DU MARCHÉ",
        "PIÈCES CONSTITUTIVES",
        "BASE VIE ET INSTALLATIONS DE CHANTIER",
        "NETTOYAGE",
        "GARANTIES",
    ]
    for number, title in enumerate(titles, start=1):
        document.add_paragraph().add_run(f"ARTICLE {number} : {title}").bold = True
        document.add_paragraph(BODY_TEXT)
    _closing(document, "Douai")
    return _save(document)


def word_numbered_headings() -> bytes:
    """Headings numbered by Word ("Article %1." from numbering.xml), titles without "Article" typed."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="77"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="Article %1."/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2."/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    (first_num.addprevious if first_num is not None else numbering.append)(abstract)
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{W}" w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))

    def heading(text: str, level: int) -> None:
        paragraph = document.add_heading(text, level=level)
        ppr = paragraph._p.get_or_add_pPr()
        numpr = etree.fromstring(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level - 1}"/><w:numId w:val="77"/></w:numPr>'
        )
        ppr.find(qn("w:pStyle")).addnext(numpr)

    document.add_paragraph("Communauté urbaine — CCTP", style="Title")
    for title in ["Généralités", "Consistance des travaux", "Installation de chantier", "Exécution"]:
        heading(title, 1)
        document.add_paragraph(BODY_TEXT)
        if title == "Installation de chantier":
            heading("Accès et circulation", 2)
            document.add_paragraph(BODY_TEXT)
    document.add_paragraph("Le Président de la communauté urbaine,")
    document.add_paragraph("Fait à Arras, le 2 mars 2026")
    return _save(document)


def without_heading_styles_nor_numbering() -> bytes:
    """A document whose styles hold no heading style and which has no numbering part (as some generators write):
    "Article N - …" in plain paragraphs, the installation article, a closing block."""
    document = docx.Document()
    for number, title in enumerate(
        ["Objet", "Dispositions techniques", "Installations de chantier", "Réception"], start=1
    ):
        document.add_paragraph(f"Article {number} - {title}")
        document.add_paragraph(BODY_TEXT)
    _closing(document, "Cambrai")
    content = _save(document)
    styles = etree.fromstring(_read(content, "word/styles.xml"))
    for style in list(styles.iter(qn("w:style"))):
        name = style.find(qn("w:name"))
        if (
            name is not None
            and re.match(r"(heading|title)", name.get(qn("w:val")), re.I)
            or style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is not None
        ):
            styles.remove(style)
    rels = _read(content, "word/_rels/document.xml.rels").decode()
    rels = re.sub(r'<Relationship [^>]*Target="numbering.xml"/>', "", rels)
    types = re.sub(
        r'<Override PartName="/word/numbering.xml"[^>]*/>', "", _read(content, "[Content_Types].xml").decode()
    )
    return _rezip(
        content,
        replace={
            "word/styles.xml": etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True),
            "word/_rels/document.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
        remove={"word/numbering.xml"},
    )


@dataclass(frozen=True)
class Expected:
    first_article: str  # the heading whose section the encart ends
    next_heading: str  # the heading that follows the encart
    installation: str  # the heading of the site-installation section
    after_installation: str  # the heading that ends it
    base_vie_heading: str  # the base-vie article's heading
    closing: str  # the first paragraph of the closing block


FIVE = {
    "titres-word": (
        styled_articles,
        Expected(
            "Article 1 – Objet du marché",
            "Article 2 – Documents applicables",
            "Article 4 – Installation de chantier",
            "Article 5 – Réception des travaux",
            "4.3 Installations sanitaires",
            "Fait à Valenciennes, le 2 mars 2026",
        ),
    ),
    "dispositions-generales": (
        general_provisions_chapters,
        Expected(
            "CHAPITRE I – DISPOSITIONS GÉNÉRALES",
            "CHAPITRE II – PRESCRIPTIONS TECHNIQUES",
            "Article 3 – Installations de chantier et base vie",
            "Article 4 – Matériaux",
            "3.1 Installations sanitaires",
            "Fait à Lille, le 2 mars 2026",
        ),
    ),
    "articles-en-gras": (
        plain_text_articles,
        Expected(
            "ARTICLE 1 : OBJET DU MARCHÉ",
            "ARTICLE 2 : PIÈCES CONSTITUTIVES",
            "ARTICLE 3 : BASE VIE ET INSTALLATIONS DE CHANTIER",
            "ARTICLE 4 : NETTOYAGE",
            "3.1 Installations sanitaires",
            "Fait à Douai, le 2 mars 2026",
        ),
    ),
    "numerotation-word": (
        word_numbered_headings,
        Expected(
            "Généralités",
            "Consistance des travaux",
            "Installation de chantier",
            "Exécution",
            "Installations sanitaires",
            "Le Président de la communauté urbaine,",
        ),
    ),
    "sans-styles-de-titre": (
        without_heading_styles_nor_numbering,
        Expected(
            "Article 1 - Objet",
            "Article 2 - Dispositions techniques",
            "Article 3 - Installations de chantier",
            "Article 4 - Réception",
            "3.1 Installations sanitaires",
            "Fait à Cambrai, le 2 mars 2026",
        ),
    ),
}


# --- Ordinary documents once refused, and Strict Open XML --------------------------------------------------------


def _read(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def _rezip(
    content: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    remove: set[str] | None = None,
) -> bytes:
    replace, add, remove = replace or {}, add or {}, remove or set()
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in remove:
                target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, data in add.items():
            target.writestr(name, data)
    return output.getvalue()


def _short_cctp() -> bytes:
    document = docx.Document()
    for number, title in enumerate(["Objet", "Exécution"], start=1):
        document.add_heading(f"Article {number} – {title}", level=1)
        document.add_paragraph(BODY_TEXT)
    return _save(document)


def _settings_rels(target: str, *, external: bool = True) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R}/attachedTemplate" Target="{target}"{mode}/></Relationships>'
    ).encode()


def _with_attached_template(target: str) -> bytes:
    content = _short_cctp()
    settings = _read(content, "word/settings.xml").decode()
    if "xmlns:r=" not in settings[:2000]:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{R}" ', 1)
    settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rId1"/>', settings, count=1)
    return _rezip(
        content,
        replace={"word/settings.xml": settings.encode()},
        add={"word/_rels/settings.xml.rels": _settings_rels(target)},
    )


def local_template() -> bytes:
    """Attached to a template on the author's disk, as Word writes it."""
    return _with_attached_template("file:///C:\\Users\\agent\\AppData\\Roaming\\Microsoft\\Templates\\CCTP.dotm")


def bare_normal_template() -> bytes:
    """Attached to a bare "Normal.dotm" (Word for Mac, some converters)."""
    return _with_attached_template("Normal.dotm")


def network_template() -> bytes:
    """Attached to a template on a network share: fetched when the file opens (credentials leak), still refused."""
    return _with_attached_template("file://serveur.example/modeles/CCTP.dotm")


def linked_picture(target: str) -> bytes:
    """A picture inserted with « Insérer et lier »: the document keeps only its address (`r:link`)."""
    content = _short_cctp()
    rels = _read(content, "word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdLinked1" Type="{R}/image" Target="{target}" TargetMode="External"/></Relationships>',
    )
    return _rezip(content, replace={"word/_rels/document.xml.rels": rels.encode()})


def _workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Lot", "Montant"])
    sheet.append(["Gros œuvre", 120000])
    sheet.append(["Second œuvre", 80000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CHART_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir w:val="col" xmlns:w="x"/><c:grouping val="clustered"/>
<c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:strRef><c:f>Sheet!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/>
<c:pt idx="0"><c:v>Gros œuvre</c:v></c:pt><c:pt idx="1"><c:v>Second œuvre</c:v></c:pt></c:strCache></c:strRef></c:cat>
<c:val><c:numRef><c:f>Sheet!$B$2:$B$3</c:f><c:numCache><c:ptCount val="2"/><c:pt idx="0"><c:v>120000</c:v></c:pt>
<c:pt idx="1"><c:v>80000</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser>
<c:axId val="1"/><c:axId val="2"/></c:barChart>
<c:catAx><c:axId val="1"/><c:scaling/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx>
<c:valAx><c:axId val="2"/><c:scaling/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart>
<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>""".replace(
    '<c:barDir w:val="col" xmlns:w="x"/>', '<c:barDir val="col"/>'
)


def native_chart() -> bytes:
    """A native Word chart (word/charts/chart1.xml) whose data is its embedded workbook, as Word saves it."""
    content = _short_cctp()
    document = _read(content, "word/document.xml").decode()
    drawing = (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:extent cx="5486400" cy="3200400"/><wp:docPr id="1" name="Graphique 1"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{R}" r:id="rIdChart1"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    document = document.replace("<w:sectPr", drawing + "<w:sectPr", 1)
    rels = _read(content, "word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdChart1" Type="{R}/chart" Target="charts/chart1.xml"/></Relationships>',
    )
    types = (
        _read(content, "[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Default Extension="xlsx" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'
            '<Override PartName="/word/charts/chart1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>',
        )
    )
    chart_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R}/package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
        "</Relationships>"
    )
    return _rezip(
        content,
        replace={
            "word/document.xml": document.encode(),
            "word/_rels/document.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
        add={
            "word/charts/chart1.xml": CHART_XML.encode(),
            "word/charts/_rels/chart1.xml.rels": chart_rels.encode(),
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": _workbook(),
        },
    )


def chart_with_ole_workbook() -> bytes:
    """The same chart, its "workbook" an OLE object (.bin): still refused."""
    content = native_chart()
    chart_rels = _read(content, "word/charts/_rels/chart1.xml.rels").decode()
    chart_rels = chart_rels.replace("/package", "/oleObject").replace(".xlsx", ".bin")
    return _rezip(
        content,
        replace={"word/charts/_rels/chart1.xml.rels": chart_rels.encode()},
        add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(512)},
        remove={"word/embeddings/Microsoft_Excel_Worksheet.xlsx"},
    )


STRICT_NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
}


def strict_open_xml() -> bytes:
    """What Word writes with "Strict Open XML Document": every part in the purl.oclc.org namespaces, the
    package relationships included (so the transitional officeDocument relationship is not there)."""
    content = _short_cctp()
    replace = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                text = archive.read(name).decode()
                for transitional, strict in STRICT_NAMESPACES.items():
                    text = text.replace(transitional, strict)
                replace[name] = text.encode()
    return _rezip(content, replace=replace)


# --- Block-level content controls, as public buyers' Word templates wrap sections in them --------------------------


def controlled_cctp() -> bytes:
    """A CCTP whose "Dispositions générales" article and site-installation article are ordinary headings, for
    `in_content_control` to wrap; a closing block."""
    document = docx.Document()
    document.add_paragraph("Cahier des clauses techniques particulières", style="Title")
    document.add_heading("Article 1 – Objet du marché", level=1)
    document.add_paragraph(BODY_TEXT)
    document.add_heading("Article 2 – Dispositions générales", level=1)
    document.add_paragraph("Le présent CCTP complète le CCAP.")
    document.add_paragraph(BODY_TEXT)
    document.add_heading("Article 3 – Installation de chantier", level=1)
    document.add_paragraph(BODY_TEXT)
    document.add_heading("3.1 Accès au chantier", level=2)
    document.add_paragraph("Les accès sont balisés.")
    document.add_heading("Article 4 – Réception des travaux", level=1)
    document.add_paragraph(BODY_TEXT)
    _closing(document, "Arras")
    return _save(document)


def _content_control(
    children: list, *, lock: str = "", gallery: str = "", alias: str = "Section", kind: str = ""
) -> etree._Element:
    control = etree.Element(qn("w:sdt"))
    properties = etree.SubElement(control, qn("w:sdtPr"))
    etree.SubElement(properties, qn("w:alias")).set(qn("w:val"), alias)
    etree.SubElement(properties, qn("w:id")).set(qn("w:val"), str(zlib.crc32(alias.encode()) % 10**8))
    if lock:
        etree.SubElement(properties, qn("w:lock")).set(qn("w:val"), lock)
    if kind:
        etree.SubElement(properties, qn(f"w:{kind}"))
    if gallery:
        part = etree.SubElement(properties, qn("w:docPartObj"))
        etree.SubElement(part, qn("w:docPartGallery")).set(qn("w:val"), gallery)
        etree.SubElement(part, qn("w:docPartUnique"))
    content = etree.SubElement(control, qn("w:sdtContent"))
    content.extend(children)
    return control


def in_content_control(content: bytes, first: str, last: str, **options) -> bytes:
    """`content` with the body's blocks from the one reading `first` to the one reading `last` (or from the
    content control holding them: controls nest) wrapped in a block-level content control (rich text; `lock`:
    "contentLocked", "sdtContentLocked"; `gallery`: "Table of Contents"; `kind`: "group", "richText"...)."""
    document = etree.fromstring(_read(content, "word/document.xml"))
    body = document.find(qn("w:body"))

    def reads(child, text: str) -> bool:
        return "".join(node.text or "" for node in child.iter(qn("w:t"))).startswith(text)

    children = list(body)
    start = next(index for index, child in enumerate(children) if reads(child, first))
    stop = next(index for index, child in enumerate(children) if index >= start and reads(child, last))
    control = _content_control([], **options)
    children[start].addprevious(control)
    control.find(qn("w:sdtContent")).extend(children[start : stop + 1])
    return _rezip(content, replace={"word/document.xml": etree.tostring(document, xml_declaration=True)})


def with_table_of_contents(content: bytes, lines: list[str], *, before: str) -> bytes:
    """A table of contents control before the paragraph reading `before`, as LibreOffice writes one: its lines in
    a "Contents 1" style, typed like the headings they list, without page fields."""
    document = etree.fromstring(_read(content, "word/document.xml"))
    body = document.find(qn("w:body"))
    anchor = next(child for child in body if "".join(node.text or "" for node in child.iter(qn("w:t"))) == before)
    paragraphs = []
    for text in ["Table des matières", *lines]:
        paragraph = etree.Element(qn("w:p"))
        style = etree.SubElement(etree.SubElement(paragraph, qn("w:pPr")), qn("w:pStyle"))
        style.set(qn("w:val"), "Contents1")
        etree.SubElement(etree.SubElement(paragraph, qn("w:r")), qn("w:t")).text = text
        paragraphs.append(paragraph)
    control = _content_control([], gallery="Table of Contents", alias="Sommaire")
    anchor.addprevious(control)
    control.find(qn("w:sdtContent")).extend(paragraphs)
    return _rezip(content, replace={"word/document.xml": etree.tostring(document, xml_declaration=True)})
