"""Reads an OpenDocument spreadsheet (.ods, the format of LibreOffice Calc) into the rows an XLSX gives, for
procurement/tabular.py, which reads both the same way afterwards (header, row errors, formula refusal).

An ODS is recognised by its content, whatever its name: a zip whose `mimetype` part reads
application/vnd.oasis.opendocument.spreadsheet. Its archive passes the workbook checks of procurement/tabular.py
(number of parts, compression ratio, decompressed size), then `content.xml` is read as a stream by expat, a chunk at
a time, without building a tree: memory holds one row, never the sheet. A DOCTYPE, and with it any entity (a
« billion laughs »), is refused; no external resource is ever loaded.

Each cell gives the Python value openpyxl gives for the same XLSX cell, so that `_cell_text` turns both into the same
text: a number as an int when written without a decimal point or an exponent, a float otherwise (a currency as its
number; a percentage as a Percentage, read « 50 % » as its sheet shows it); a date as a datetime; a time of day as a
time (a duration of a day or more as a timedelta); a boolean as a bool; a text as its paragraphs joined by line breaks,
`text:s` spaces, `text:tab` and `text:line-break` read, comments (`office:annotation`) left out; a formula cell as its
formula starting with « = », which the import refuses (but `of:=TRUE()` and `of:=FALSE()`, read by `formula_value` as
the boolean they give, as the same formulas of an XLSX: procurement/tabular.py, BOOLEAN_FORMULAS; a text cell reading
« =TRUE() » stays a text). A cell covered
by a merged one is read like the others (empty, unless LibreOffice kept its content, which it also writes in an XLSX).
Hidden rows and columns are read, as in an XLSX.
With no sheet named, the first visible sheet is read, as in an XLSX: a sheet is hidden by its table style
(`table:display="false"`), declared in content.xml's automatic styles, before the sheets.

Repetitions are never expanded blindly. LibreOffice writes `table:number-rows-repeated="1048553"` for the empty rows
down to the end of a sheet and `table:number-columns-repeated="16372"` for the empty cells up to its last column:
these cost nothing (empty rows are yielded only when a row with content follows them, empty cells only when a cell
with content follows them in the row). A repeated cell with content counts toward MAX_COLUMNS and a repeated row
toward the row limits before it is expanded.
"""

import datetime
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from procurement import spreadsheets
from procurement.french import number
from procurement.tabular import (
    ALL_SHEETS_HIDDEN,
    MAX_COLUMNS,
    MAX_CSV_CELL_CHARACTERS,
    XLSX_MAX_ROW_NUMBER,
    ImportRejected,
    Percentage,
    check_workbook_archive,
    empty_first_sheet,
    formula_value,
    longer_than_header,
    missing_sheet,
    too_many_rows,
    too_wide_header,
)

OPENDOCUMENT = "application/vnd.oasis.opendocument."
CHUNK_BYTES = 64 * 1024
# The `mimetype` part holds one short line; a manifest a few kilobytes (a part's name and type each).
MAX_MIMETYPE_BYTES = 256
MAX_MANIFEST_BYTES = 1024 * 1024
# The longest run of content.xml without a tag's end (">"): a cell's text or a tag, far above what a cell may hold
# (MAX_CSV_CELL_CHARACTERS, up to 4 bytes each).
MAX_TOKEN_BYTES = 4 * 1024 * 1024

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0 "
SHEET = _TABLE + "table"
ROW = _TABLE + "table-row"
CELLS = {_TABLE + "table-cell", _TABLE + "covered-table-cell"}
PARAGRAPHS = {_TEXT + "p", _TEXT + "h"}
SPACES, TAB, LINE_BREAK = _TEXT + "s", _TEXT + "tab", _TEXT + "line-break"
# What a cell holds beside its text: a comment, a note, a drawing. Their text is not the cell's.
NOT_CELL_TEXT = {_OFFICE + "annotation", _TEXT + "note", _TEXT + "note-body"}
SHEET_NAME = _TABLE + "name"
SHEET_STYLE = _TABLE + "style-name"
# A sheet is hidden by its style (office:automatic-styles, before the body):
# <style:style style:name="ta1" style:family="table"><style:table-properties table:display="false"/>.
STYLE, STYLE_NAME, STYLE_FAMILY = _STYLE + "style", _STYLE + "name", _STYLE + "family"
TABLE_PROPERTIES, DISPLAY = _STYLE + "table-properties", _TABLE + "display"
ROWS_REPEATED = _TABLE + "number-rows-repeated"
COLUMNS_REPEATED = _TABLE + "number-columns-repeated"
FORMULA = _TABLE + "formula"
VALUE_TYPE = _OFFICE + "value-type"
VALUE = _OFFICE + "value"
DATE_VALUE = _OFFICE + "date-value"
TIME_VALUE = _OFFICE + "time-value"
BOOLEAN_VALUE = _OFFICE + "boolean-value"
STRING_VALUE = _OFFICE + "string-value"
SPACE_COUNT = _TEXT + "c"

NUMBER_TYPES = {"float", "currency"}
DURATION = re.compile(r"(-)?P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]*)?)S)?)?")
FORMULA_NAMESPACE = re.compile(r"[A-Za-z][\w.-]*:(?==)")

PROTECT = "il est refusé pour protéger la plateforme"
SAVE_AGAIN = (
    "Ouvrez-le dans votre tableur, enregistrez-le à nouveau au format .ods (ou .xlsx, .csv), puis importez-le."
)
UNREADABLE_ODS = f"Ce fichier n'est pas un classeur ODS lisible. {SAVE_AGAIN}"
NO_CONTENT = f"Ce fichier n'est pas un classeur ODS lisible : il n'a pas de contenu (content.xml). {SAVE_AGAIN}"
ENCRYPTED = (
    "Ce classeur ODS est protégé par un mot de passe : enregistrez-le sans mot de passe (Fichier, Enregistrer sous, "
    "case « Enregistrer avec mot de passe » décochée), puis importez-le."
)
DOCTYPE = (
    f"Ce classeur ODS déclare un DOCTYPE (des entités XML), ce qu'aucun tableur n'écrit : {PROTECT}. "
    "Enregistrez-le à nouveau depuis votre tableur."
)

# What the zip and expat readers raise on a damaged or forged file.
_READ_ERRORS = (
    expat.ExpatError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    LookupError,  # an XML declaration naming an unknown encoding
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted zip part
)


def package_mimetype(content: bytes) -> str | None:
    """The `mimetype` part of a zip package (what an OpenDocument file declares itself to be), or None for a zip
    without one (an XLSX) or a file that is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > MAX_MIMETYPE_BYTES:
                return None
            with archive.open(info) as stream:
                return stream.read(MAX_MIMETYPE_BYTES).decode("ascii").strip()
    except (KeyError, UnicodeDecodeError, *_READ_ERRORS):
        return None


def is_opendocument(mimetype: str | None) -> bool:
    return mimetype is not None and mimetype.startswith(OPENDOCUMENT)


def is_spreadsheet(mimetype: str | None) -> bool:
    return mimetype == spreadsheets.ODS


def not_a_spreadsheet(mimetype: str) -> str:
    """The reason an OpenDocument file other than a spreadsheet (a text, a presentation) is refused."""
    return (
        f"Ce fichier est un document OpenDocument ({mimetype.removeprefix(OPENDOCUMENT)}), pas un classeur : "
        "ouvrez les données dans votre tableur, enregistrez-les au format .ods (ou .xlsx, .csv), puis importez-les."
    )


def ods_rows(content: bytes, *, limited: bool, max_rows: int | None, sheet: str | None = None) -> Iterator[tuple]:
    """The rows of the first visible sheet (or of the sheet named `sheet`, even hidden) of an ODS whose `mimetype` is
    spreadsheets.ODS, as tuples of values, one row at a time; `limited` and `max_rows` are those of the web upload
    (procurement/tabular.py: stream_table)."""
    check_workbook_archive(content, limited=limited)
    reader = _SheetReader(sheet=sheet, max_rows=max_rows)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_not_encrypted(archive)
            try:
                info = archive.getinfo("content.xml")
            except KeyError:
                raise ImportRejected([NO_CONTENT]) from None
            parser = reader.parser()
            with archive.open(info) as stream:
                since_tag_end = 0
                while not reader.done:
                    chunk = stream.read(CHUNK_BYTES)
                    # expat holds a whole text or tag in memory: one longer than a cell can be is refused first.
                    end = chunk.rfind(b">")
                    since_tag_end = since_tag_end + len(chunk) if end == -1 else len(chunk) - end - 1
                    if since_tag_end > MAX_TOKEN_BYTES:
                        raise ImportRejected([_too_long_cell(reader.current_line)])
                    parser.Parse(chunk, not chunk)
                    yield from reader.take()
                    if not chunk:
                        break
    except _READ_ERRORS as error:
        raise ImportRejected([_damaged(reader.current_line)]) from error
    if not reader.names:
        raise ImportRejected(["Le fichier est vide."])
    if sheet is not None and not reader.found:
        raise ImportRejected([missing_sheet(sheet, reader.names)])
    if not reader.found:
        raise ImportRejected([ALL_SHEETS_HIDDEN])
    if sheet is None and not reader.found_value and len(reader.names) > 1:
        # As for an XLSX (procurement/tabular.py): the data may be on another sheet, which the import does not read.
        raise ImportRejected([empty_first_sheet(reader.read_name)])


def _check_not_encrypted(archive: zipfile.ZipFile) -> None:
    # A password-protected ODS keeps its zip readable, its parts encrypted: the manifest says so.
    try:
        info = archive.getinfo("META-INF/manifest.xml")
    except KeyError:
        return
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ImportRejected([UNREADABLE_ODS])
    if b"encryption-data" in archive.read(info):
        raise ImportRejected([ENCRYPTED])


def _damaged(line: int) -> str:
    return (
        f"Ce fichier n'est pas un classeur ODS lisible : son contenu est endommagé vers la ligne {line}. {SAVE_AGAIN}"
    )


def _too_long_cell(line: int) -> str:
    return (
        f"ligne {line} : — : une cellule dépasse {number(MAX_CSV_CELL_CHARACTERS)} caractères, le plus qu'un "
        "import lit : vérifiez-la, puis importez le fichier à nouveau."
    )


def _count(text: str | None) -> int:
    """A `number-…-repeated` attribute: a positive whole number (ValueError otherwise: a forged file)."""
    if text is None:
        return 1
    count = int(text)
    if count < 1:
        raise ValueError(text)
    return count


class _SheetReader:
    """expat's handlers: they follow the sheets, rows, cells and paragraphs of content.xml, and queue each row read
    (with how many times it repeats) for `take`."""

    def __init__(self, *, sheet: str | None, max_rows: int | None):
        self.sheet = sheet
        self.max_rows = max_rows
        self.names: list[str] = []  # every sheet met, in order
        self.hidden_styles: set[str] = set()  # the table styles that hide a sheet
        self.table_style: str | None = None  # the name of the table style being read
        self.found = False
        self.read_name = ""  # the name of the sheet read
        self.found_value = False  # a row with content was read
        self.reading = False  # inside the sheet read
        self.done = False
        self.ready: list[tuple[tuple, int]] = []
        self.line = 0  # rows queued so far, the header included
        self.pending_rows = 0  # empty rows, queued only if a row with content follows
        # The row being read.
        self.in_row = False
        self.row_repeat = 1
        self.row: list = []
        self.pending_cells = 0  # empty cells, kept only if a cell with content follows
        self.width = 0  # cells up to the last one with content (counted on, without keeping them, past MAX_COLUMNS)
        # The cell being read.
        self.cell: dict[str, str] | None = None
        self.depth = 0  # of the element inside the cell (the cell's own children are at 1)
        self.skip_depth = 0  # inside a comment or a note: its text is not the cell's
        self.paragraphs: list[str] = []
        self.paragraph: list[str] | None = None
        self.characters = 0

    @property
    def current_line(self) -> int:
        return self.line + self.pending_rows + 1

    def parser(self):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = CHUNK_BYTES
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self.refuse_doctype
        parser.EntityDeclHandler = self.refuse_doctype
        parser.ExternalEntityRefHandler = self.refuse_doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters_read
        return parser

    def refuse_doctype(self, *args) -> None:
        raise ImportRejected([DOCTYPE])

    def take(self) -> Iterator[tuple]:
        ready, self.ready = self.ready, []
        for row, count in ready:
            yield from itertools.repeat(row, count)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if self.cell is not None:
            self.depth += 1
            if self.skip_depth:
                return
            if name in NOT_CELL_TEXT:
                self.skip_depth = self.depth
            elif self.paragraph is not None:
                if name == SPACES:
                    self._text(" " * _count(attributes.get(SPACE_COUNT)))
                elif name == TAB:
                    self._text("\t")
                elif name == LINE_BREAK:
                    self._text("\n")
            elif self.depth == 1 and name in PARAGRAPHS:
                self.paragraph = []
            return
        if name == SHEET:
            sheet_name = attributes.get(SHEET_NAME, "")
            self.names.append(sheet_name)
            if self.found:
                # After an empty sheet read for want of a named one: that another sheet exists is all the refusal
                # needs (procurement/tabular.py: empty_first_sheet), the rest of the file is not parsed.
                self.done = True
                return
            if self.sheet == sheet_name or (
                self.sheet is None and attributes.get(SHEET_STYLE) not in self.hidden_styles
            ):
                self.found = self.reading = True
                self.read_name = sheet_name
        elif name == STYLE:
            self.table_style = attributes.get(STYLE_NAME) if attributes.get(STYLE_FAMILY) == "table" else None
        elif name == TABLE_PROPERTIES:
            if self.table_style is not None and attributes.get(DISPLAY, "").strip() == "false":
                self.hidden_styles.add(self.table_style)
        elif not self.reading:
            return
        elif name == ROW:
            self.in_row = True
            self.row_repeat = _count(attributes.get(ROWS_REPEATED))
            self.row = []
            self.pending_cells = self.width = 0
        elif name in CELLS and self.in_row:
            self.cell = attributes
            self.depth = self.skip_depth = self.characters = 0
            self.paragraphs = []
            self.paragraph = None

    def end(self, name: str) -> None:
        if self.cell is not None:
            if self.depth == 0:
                self._end_cell()
                return
            if self.skip_depth == self.depth:
                self.skip_depth = 0
            elif self.depth == 1 and self.paragraph is not None and name in PARAGRAPHS:
                self.paragraphs.append("".join(self.paragraph))
                self.paragraph = None
            self.depth -= 1
        elif name == ROW and self.in_row:
            self.in_row = False
            self._end_row()
        elif name == STYLE:
            self.table_style = None
        elif name == SHEET and self.reading:
            self.reading = False
            # An empty sheet read with no sheet named: the reading goes on to the next sheet's start, if any.
            self.done = self.found_value or self.sheet is not None

    def characters_read(self, text: str) -> None:
        if self.paragraph is not None and not self.skip_depth:
            self._text(text)

    def _text(self, text: str) -> None:
        self.characters += len(text)
        self.paragraph.append(text)
        if self.characters > MAX_CSV_CELL_CHARACTERS:
            raise ImportRejected([_too_long_cell(self.current_line)])

    def _end_cell(self) -> None:
        attributes, self.cell = self.cell, None
        repeated = attributes.get(COLUMNS_REPEATED)
        repeat = 1 if repeated is None else _count(repeated)
        value = _value(attributes, self.paragraphs)
        if value is None or (isinstance(value, str) and not value.strip()):
            # What _cell_text reads as empty: kept only if a cell with content follows.
            self.pending_cells += repeat
            return
        self.width += self.pending_cells + repeat
        if self.width > MAX_COLUMNS:
            line = self.current_line
            if line > 1:
                # The same reason as for an XLSX: a value beyond any header's last column.
                raise ImportRejected([longer_than_header(line)])
            # The header is refused at its end, with its width; nothing more of it is kept.
            self.pending_cells = 0
            return
        if self.pending_cells:
            self.row.extend([None] * self.pending_cells)
            self.pending_cells = 0
        if repeat == 1:
            self.row.append(value)
        else:
            self.row.extend([value] * repeat)

    def _end_row(self) -> None:
        if self.width > MAX_COLUMNS:
            # The same reason as for an XLSX (procurement/tabular.py counts the header up to its last name).
            raise ImportRejected([too_wide_header(self.width)])
        if not self.row:
            self.pending_rows += self.row_repeat
            return
        last = self.line + self.pending_rows + self.row_repeat
        if self.max_rows is not None and last > self.max_rows + 1:
            raise ImportRejected([too_many_rows(self.max_rows)])
        if last > XLSX_MAX_ROW_NUMBER:
            raise ImportRejected(
                [
                    f"Ce classeur ODS compte plus de {number(XLSX_MAX_ROW_NUMBER)} lignes, le plus qu'une "
                    f"feuille de tableur en a : {PROTECT}. Découpez-le en plusieurs fichiers, ou enregistrez-le "
                    "au format .csv."
                ]
            )
        if self.pending_rows:
            self.ready.append(((), self.pending_rows))
        self.ready.append((tuple(self.row), self.row_repeat))
        self.line, self.pending_rows = last, 0
        self.found_value = True


def _value(attributes: dict[str, str], paragraphs: list[str]):
    """A cell's value, as openpyxl gives the same cell of an XLSX (see the module's docstring)."""
    formula = attributes.get(FORMULA)
    if formula is not None:
        formula = FORMULA_NAMESPACE.sub("", formula.strip(), count=1)
        return formula_value(formula if formula.startswith("=") else "=" + formula)
    text = "\n".join(paragraphs) if paragraphs else None
    kind = attributes.get(VALUE_TYPE)
    if kind == "string" and STRING_VALUE not in attributes:
        return text
    try:
        if kind == "percentage":
            return Percentage(_number_value(attributes[VALUE]))
        if kind in NUMBER_TYPES:
            return _number_value(attributes[VALUE])
        if kind == "date":
            return datetime.datetime.fromisoformat(attributes[DATE_VALUE])
        if kind == "time":
            return _duration(attributes[TIME_VALUE])
        if kind == "boolean":
            return attributes[BOOLEAN_VALUE].strip() in ("true", "1")
        if kind == "string" and STRING_VALUE in attributes:
            return attributes[STRING_VALUE]
    except (KeyError, ValueError, OverflowError):
        pass  # a value the cell does not hold, or cannot: its text, as shown
    return text


def _number_value(text: str) -> int | float:
    # As openpyxl reads an XLSX number: an int unless written with a decimal point or an exponent.
    text = text.strip()
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return int(text)


def _duration(text: str) -> datetime.time | datetime.timedelta:
    """An ISO 8601 duration (PT10H30M00S) -> a time of day, as openpyxl reads a time cell, or a timedelta when it is
    negative or a day or more."""
    match = DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    negative, days, hours, minutes, seconds = match.groups()
    value = datetime.timedelta(
        days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0), seconds=float(seconds or 0)
    )
    if negative:
        return -value
    if value < datetime.timedelta(days=1):
        return (datetime.datetime.min + value).time()
    return value
