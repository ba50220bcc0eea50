"""A Word document of headings and paragraphs (the « Phrases pour le rapport »), written with the project's OOXML
tooling (procurement.specifications.docx): no other library.

The headings use the built-in style ids `Heading1` and `Heading2` (shown « Titre 1 », « Titre 2 » in a French
Word), declared in the document's styles: pasted into the yearly report, they take the report's own heading
styles, and they appear in Word's navigation pane and table of contents.
"""

import io
import zipfile

from procurement.specifications.docx import ooxml
from procurement.specifications.docx.markup import Span
from procurement.specifications.docx.package import DATE_TIME, STYLES, write_package

HEADING_STYLES = """<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:after="120"/></w:pPr><w:rPr><w:b/>\
<w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>\
<w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="100"/>\
<w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>"""


def heading_document(*, title: str, subtitle: str, sections: list[tuple[str, list[str]]]) -> bytes:
    """A title, a subtitle, then for each (heading, paragraphs) a level-1 heading and its paragraphs."""
    relationships = ooxml.Relationships()
    relationships.add(ooxml.REL_STYLES, "styles.xml")
    writer = ooxml.ParagraphWriter(relationships.hyperlink)
    elements = [writer.paragraph([Span(title)], style_id="Title"), writer.paragraph([Span(subtitle)])]
    for heading, paragraphs in sections:
        elements.append(writer.paragraph([Span(heading)], style_id="Heading1"))
        elements.extend(writer.paragraph([Span(text)]) for text in paragraphs)
    package = write_package(elements, relationships=relationships, media={})
    return _with_styles(package, STYLES.replace("</w:styles>", HEADING_STYLES + "</w:styles>"))


def _with_styles(package: bytes, styles: str) -> bytes:
    """The same package with its styles part replaced (entries, order and dates kept)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = styles.encode() if info.filename == "word/styles.xml" else source.read(info)
            copy.writestr(zipfile.ZipInfo(info.filename, date_time=DATE_TIME), data, zipfile.ZIP_DEFLATED)
    return output.getvalue()
