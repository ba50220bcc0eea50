"""The outline of a cahier des charges, and where a buyer expects the encart and the base-vie article.

The outline is read from the body's blocks (`controls.py`: its top-level paragraphs, and those of its content
controls, a table of contents control apart): headings by their style or outline level (Word's navigation pane),
and paragraphs that read as headings without a heading style ("Article 3 – Prix", "Chapitre II", "Dispositions
générales"). Entries and sections are block indexes. Without a marker:

- the encart goes at the end of the "dispositions générales" section when there is one, else at the end of the
  first article (the first "Article N" heading, else the first heading of the outline's top level);
- the base-vie article goes at the end of the section about site installation ("installation de chantier",
  "base vie", "cantonnement") when there is one, as its last sub-heading; else after the encart;
- nothing ever goes after the closing block ("Fait à …", "Le Président", "Lu et approuvé", signatures): the
  first such short paragraph after the last heading, annexes' headings aside (they may follow it).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from procurement.specifications.docx import ooxml
from procurement.specifications.docx.controls import Blocks

ARTICLE_HEADING = re.compile(r"^(?P<lead>\s*article\s+)(?P<number>\d+)(?P<sep>[\s.:\-–—)]*)(?P<title>.*)$", re.I)
HEADING_STYLE_NAME = re.compile(r"^(heading|titre)\s*\d", re.I)
# Headings found by their text (compared without accents, in lower case).
CHAPTER_TEXT = re.compile(r"^(chapitre|titre|partie)\s+([ivxlc]+|\d+|premier|1er)\b")
GENERAL_PROVISIONS = re.compile(r"dispositions\s+generales")
SITE_INSTALLATION = re.compile(
    r"installations?\s+(de|du)\s+chantier|base[\s\-]+vie|cantonnements?|installations?\s+communes"
)
CLOSING_TEXT = re.compile(
    r"^(fait\s+(a|le)\b|a\s+\S+,?\s+le\s+\d|le\s+president|la\s+presidente|le\s+maire|la\s+maire|"
    r"le\s+directeur|la\s+directrice|lu\s+et\s+approuve|signature|le\s+pouvoir\s+adjudicateur|"
    r"pour\s+le\s+pouvoir\s+adjudicateur|pour\s+l.acheteur|le\s+representant\s+du\s+pouvoir)"
)
ANNEX_HEADING = re.compile(r"^annexes?\b")  # headings that may follow the closing block
TABLE_OF_CONTENTS_STYLE = re.compile(r"^(toc|tm|table\s*des|sommaire)", re.I)
MAX_HEADING_CHARS = 200
CLOSING_BLOCK_ELEMENTS = 15  # without headings, a closing block is among the last elements of the body
MAX_CLOSING_CHARS = 100


def normalise(text: str) -> str:
    """Lower case without accents nor repeated spaces, for comparing headings (other non-ASCII letters and
    punctuation, such as « œ » or « – », are dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().split())


class Styles:
    """What stamping needs from styles.xml: which paragraph styles are headings, and which are numbered."""

    def __init__(self, root: etree._Element | None):
        self.outline: dict[str, int | None] = {}
        self.numbered: dict[str, bool] = {}
        self.names: dict[str, str] = {}
        raw: dict[str, tuple[str, str, int | None, bool | None]] = {}
        if root is not None:
            for style in root.iter(ooxml.w("style")):
                if style.get(ooxml.w("type")) != "paragraph":
                    continue
                children = {child.tag: child for child in style}  # not `find()`: documents have hundreds of styles
                name_el, based_el = children.get(ooxml.w("name")), children.get(ooxml.w("basedOn"))
                ppr = children.get(ooxml.W_PPR)
                raw[style.get(ooxml.w("styleId"), "")] = (
                    name_el.get(ooxml.W_VAL, "") if name_el is not None else "",
                    based_el.get(ooxml.W_VAL, "") if based_el is not None else "",
                    _outline_of(ppr),
                    _numbered_of(ppr),
                )
        for style_id in raw:
            self.names[style_id] = raw[style_id][0]
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

    def heading_style(self, level: int) -> str:
        """The id of the document's heading style of this outline level ("" when it has none)."""
        candidates = [style_id for style_id, value in self.outline.items() if value == level]
        named = [style_id for style_id in candidates if HEADING_STYLE_NAME.match(self.names.get(style_id, ""))]
        return (named or candidates or [""])[0]

    def style_of(self, paragraph: etree._Element) -> str:
        ppr = _ppr_of(paragraph)
        if ppr is not None:
            for child in ppr:  # children scanned rather than `find()`: a 200-page document has thousands
                if child.tag == ooxml.W_PSTYLE:
                    return child.get(ooxml.W_VAL, "")
        return ""

    def heading_info(self, paragraph: etree._Element, style_id: str | None = None) -> tuple[int | None, bool]:
        """(outline level or None when not a heading, numbered by Word)."""
        ppr = _ppr_of(paragraph)
        if style_id is None:
            style_id = self.style_of(paragraph)
        level = _outline_of(ppr)
        if level is None:
            level = self.outline.get(style_id)
        numbered = _numbered_of(ppr)
        if numbered is None:
            numbered = self.numbered.get(style_id, False)
        return level, numbered


def _ppr_of(paragraph: etree._Element) -> etree._Element | None:
    """The paragraph properties: always the paragraph's first child when there are any."""
    first = paragraph[0] if len(paragraph) else None
    return first if first is not None and first.tag == ooxml.W_PPR else None


_OUTLINE_LEVEL = ooxml.w("outlineLvl")


def _outline_of(ppr: etree._Element | None) -> int | None:
    if ppr is None:
        return None
    outline = next((child for child in ppr if child.tag == _OUTLINE_LEVEL), None)
    if outline is None:
        return None
    value = ooxml.decimal_number(outline.get(ooxml.W_VAL))
    return value if value is not None and value < 9 else None


def _numbered_of(ppr: etree._Element | None) -> bool | None:
    if ppr is None:
        return None
    numpr = next((child for child in ppr if child.tag == ooxml.W_NUMPR), None)
    if numpr is None:
        return None
    num_id = numpr.find(ooxml.w("numId"))
    return num_id is not None and num_id.get(ooxml.W_VAL, "0") != "0"


def own_text(paragraph: etree._Element) -> str:
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


@dataclass(frozen=True)
class Entry:
    """One heading of the outline: its block index (`controls.Blocks`), its level (0 = top) and text."""

    index: int
    level: int
    text: str
    styled: bool  # a heading by its style (Word's navigation pane shows it), not only by its text
    numbered: bool  # numbered by Word (w:numPr)

    @cached_property
    def key(self) -> str:
        return normalise(self.text)


_NAMESPACES = {"w": ooxml.W_NS}
# Pre-filters run by libxml2 (a 200-page document has thousands of paragraphs and a few dozen headings): paragraphs
# with a style or an outline level, and paragraphs whose string value holds a word a typed heading starts with.
_STYLED = "w:pPr/w:pStyle or w:pPr/w:outlineLvl"
# The first word of the paragraph's text, in lower case: one of the words a typed heading starts with.
_FIRST_WORD = (
    "substring-before(concat(translate(normalize-space(substring(., 1, 14)), "
    "'ABCDEHILNOPRST', 'abcdehilnoprst'), ' '), ' ')"
)
_TYPED = f"contains('|article|chapitre|titre|partie|dispositions|', concat('|', {_FIRST_WORD}, '|'))"
# The body's own paragraphs; with content controls, also those of every control's content (one query for all: the
# paragraphs of the controls that stay closed, a table of contents, are then left out).
_MAY_BE_STYLED_HEADING = etree.XPath(f"w:p[{_STYLED}]", namespaces=_NAMESPACES)
_MAY_BE_TYPED_HEADING = etree.XPath(f"w:p[{_TYPED}]", namespaces=_NAMESPACES)
_MAY_BE_STYLED_HEADING_WITH_CONTROLS = etree.XPath(
    f"w:p[{_STYLED}] | .//w:sdtContent/w:p[{_STYLED}]", namespaces=_NAMESPACES
)
_MAY_BE_TYPED_HEADING_WITH_CONTROLS = etree.XPath(
    f"w:p[{_TYPED}] | .//w:sdtContent/w:p[{_TYPED}]", namespaces=_NAMESPACES
)


def _paragraphs(blocks: Blocks, plain: etree.XPath, with_controls: etree.XPath) -> list[etree._Element]:
    """The paragraphs among the blocks that `plain` selects in the body (`with_controls` in the body and in the
    content of its controls)."""
    if not blocks.spans:
        return plain(blocks.body)
    opened = set(blocks.containers)
    return [paragraph for paragraph in with_controls(blocks.body) if paragraph.getparent() in opened]


# A line of a table of contents not in a "toc N" style: a PAGEREF field, or a link to a "_Toc" bookmark.
_HAS_TABLE_OF_CONTENTS_LINK = etree.XPath(
    "boolean(.//w:instrText[contains(., 'PAGEREF')] or .//w:hyperlink[starts-with(@w:anchor, '_Toc')])",
    namespaces=_NAMESPACES,
)


def read_outline(blocks: Blocks, styles: Styles) -> list[Entry]:
    entries: list[Entry] = []
    by_text: list[tuple[int, str, str, int | None]] = []  # (index, text, kind, level of the styled heading above)
    last_styled: int | None = None
    styled_by: dict[int, str] = {}  # block index of a styled heading → its style id
    heading_styles = {style_id for style_id, level in styles.outline.items() if level is not None}
    styled = [
        paragraph
        for paragraph in _paragraphs(blocks, _MAY_BE_STYLED_HEADING, _MAY_BE_STYLED_HEADING_WITH_CONTROLS)
        if styles.style_of(paragraph) in heading_styles
        or paragraph.find(f"{ooxml.W_PPR}/{ooxml.w('outlineLvl')}") is not None
    ]
    candidates = set(styled).union(_paragraphs(blocks, _MAY_BE_TYPED_HEADING, _MAY_BE_TYPED_HEADING_WITH_CONTROLS))
    if not candidates:
        return []
    for index, child in enumerate(blocks.items):
        if child not in candidates:
            continue
        text = own_text(child).strip()
        style_id = styles.style_of(child)
        if (
            not text
            or len(text) > MAX_HEADING_CHARS
            or TABLE_OF_CONTENTS_STYLE.match(styles.names.get(style_id, style_id))
        ):
            continue
        level, numbered = styles.heading_info(child, style_id)
        if level is not None:
            entry = Entry(index, level, text, True, numbered)
            previous = entries[-1] if entries else None
            if previous is not None and _continues(
                previous, entry, same_style=styled_by.get(previous.index) == style_id
            ):
                entries[-1] = Entry(previous.index, previous.level, f"{previous.text} {text}", True, True)
                continue
            entries.append(entry)
            styled_by[index] = style_id
            last_styled = level
            continue
        if _reads_as_sentence(text) or _HAS_TABLE_OF_CONTENTS_LINK(child):
            continue
        key = normalise(text)
        if CHAPTER_TEXT.match(key):
            by_text.append((index, text, "chapter", last_styled))
        elif ARTICLE_HEADING.match(text):
            by_text.append((index, text, "article", last_styled))
        elif GENERAL_PROVISIONS.match(key) and len(key) < 60:
            by_text.append((index, text, "provisions", last_styled))
    has_chapters = any(kind == "chapter" for _, _, kind, _ in by_text)
    for index, text, kind, above in by_text:
        # Under a styled heading, one level below it; under typed chapters, one level below them.
        level = 0 if kind == "chapter" else (1 if has_chapters else 0)
        if above is not None and kind != "chapter":
            level = min(above + 1, 8)
        entries.append(Entry(index, level, text, False, False))
    return sorted(entries, key=lambda entry: entry.index)


def _continues(previous: Entry, entry: Entry, *, same_style: bool) -> bool:
    """A long heading that its author broke with Enter: right after a heading numbered by Word, a paragraph of the
    same level and style that Word does not number, and that has no number of its own, is its second line (the
    texts must not go between the two)."""
    return (
        previous.index == entry.index - 1
        and previous.styled
        and previous.numbered
        and not entry.numbered
        and previous.level == entry.level
        and same_style
        and not SECTION_NUMBER.match(entry.text)
        and not CHAPTER_TEXT.match(entry.key)
    )


def _reads_as_sentence(text: str) -> bool:
    """ "Article 5 du CCAG-Travaux est applicable." is a sentence of the body, not a heading."""
    return text.rstrip().endswith((".", ";", ",")) and len(text.split()) > 6


def closing_start(blocks: Blocks, outline: list[Entry], end: int) -> int:
    """The block index where the closing block starts ("Fait à …", "Le Président", signatures), else `end`."""
    found = closing_line(blocks, outline, end)
    return found[0] if found is not None else end


def closing_line(blocks: Blocks, outline: list[Entry], end: int) -> tuple[int, str] | None:
    """Where the closing block starts (its block index) and its first line, None without one.

    Looked for after the last heading that is not an annex's (a "Le Président : M. Dupont" line in the first
    article, or on the cover page, is not a closing; annexes may follow it), or among the last elements of a
    document without headings. A closing line is short and not a sentence ("Le Président de la commission d'appel
    d'offres désigne …" is body text)."""
    body_headings = [entry for entry in outline if not ANNEX_HEADING.match(entry.key)] or outline[:1]
    first = body_headings[-1].index + 1 if body_headings else max(end - CLOSING_BLOCK_ELEMENTS, 0)
    for index in range(first, end):
        child = blocks[index]
        if child.tag == ooxml.W_P:
            paragraphs = [child]
        elif child.tag == ooxml.w("tbl"):
            paragraphs = child.iter(ooxml.W_P)  # a signature table
        else:
            continue
        for paragraph in paragraphs:
            text = own_text(paragraph).strip()
            if _is_closing_line(text):
                return index, text
    return None


def _is_closing_line(text: str) -> bool:
    text = text.strip()
    return (
        len(text) <= MAX_CLOSING_CHARS and not _reads_as_sentence(text) and bool(CLOSING_TEXT.match(normalise(text)))
    )


def section_end(outline: list[Entry], entry: Entry, limit: int) -> int:
    """The block index just after `entry`'s section: the next heading of the same or a higher level."""
    for other in outline:
        if other.index > entry.index and other.level <= entry.level:
            return min(other.index, limit)
    return limit


def first_article(outline: list[Entry], limit: int) -> Entry | None:
    """The "dispositions générales" section, else the first "Article N", else the first top-level heading."""
    usable = [entry for entry in outline if entry.index < limit]
    provisions = next((entry for entry in usable if GENERAL_PROVISIONS.search(entry.key)), None)
    if provisions is not None:
        return provisions
    article = next((entry for entry in usable if ARTICLE_HEADING.match(entry.text)), None)
    if article is not None:
        return article
    levels = sorted({entry.level for entry in usable})
    for level in levels:
        at_level = [entry for entry in usable if entry.level == level]
        if len(at_level) >= 2 or level == levels[-1]:
            return at_level[0]  # a level holding a single heading is the document's title
    return None


def site_installation(outline: list[Entry], limit: int) -> Entry | None:
    return next((entry for entry in outline if entry.index < limit and SITE_INSTALLATION.search(entry.key)), None)


def subsections(outline: list[Entry], entry: Entry, end: int) -> list[Entry]:
    inside = [other for other in outline if entry.index < other.index < end and other.level > entry.level]
    if not inside:
        return []
    top = min(other.level for other in inside)
    return [other for other in inside if other.level == top]


SECTION_NUMBER = re.compile(r"^(?P<lead>\s*(?:article\s+)?)(?P<number>\d+(?:\.\d+)*)(?P<sep>[\s.:\-–—)]*)", re.I)


def next_number(text: str) -> str | None:
    """ "5.2 Clôture" gives "5.3"; "Article 4 – Accès" gives "Article 5"; None when the text has no number."""
    match = SECTION_NUMBER.match(text)
    if match is None:
        return None
    parts = match.group("number").split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return f"{match.group('lead').lstrip()}{'.'.join(parts)}{match.group('sep') or ' '}"


def first_child_number(text: str) -> str | None:
    """ "Article 5 – Installation de chantier" gives "5.1 "; None when the text has no number."""
    match = SECTION_NUMBER.match(text)
    if match is None:
        return None
    return f"{match.group('number')}.1 "
