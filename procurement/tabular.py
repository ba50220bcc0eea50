"""Reads the CSV, XLSX and ODS files that users import, the same way for every import.

A workbook is recognised by its content, not its name: a zip whose `mimetype` part declares an OpenDocument
spreadsheet is an ODS (read by procurement/opendocument.py into the values openpyxl gives for an XLSX, so that
everything after the reading is shared), any other zip an XLSX.

A CSV may be UTF-8 (with or without BOM) or Windows-1252, with `,` or `;` as
separator (detected from the header line). Column order is free; unknown
columns are refused by name. Errors read `ligne N : colonne : raison`, N
counting the header as line 1.

Hostile or mistaken files are refused with a reason: binary content or UTF-16 text, and formulas (a cell
starting with `=`, or a formula cell of a workbook): an import takes values, never something to evaluate. The only
formulas read are a workbook's boolean constants, =TRUE() and =FALSE() (BOOLEAN_FORMULAS), read as boolean cells; a
text cell reading « =TRUE() » is no formula, and is refused as every text starting with `=`.
Rows are read one at a time and the reading stops at the first limit crossed, so that a small hostile file costs
little: a header wider than MAX_COLUMNS, more than MAX_IMPORT_ROWS rows in a web upload, and, for a workbook
(XLSX or ODS: a zip archive of XML parts, as a .docx is), more than MAX_XLSX_ENTRIES parts, a part compressed more
than MAX_XLSX_RATIO times (a "zip bomb") or a web upload larger than MAX_XLSX_UNCOMPRESSED_BYTES once decompressed.

A column is headed by its technical name (docs/formats.md) or by the French label its import page shows
(`ImportColumn`): one rule, `header_key`, compares them with accents, case, spaces and punctuation ignored. The
model files each import page offers (CSV, and XLSX and ODS with a « Lisez-moi » sheet) are written from the same
`ImportColumn` list, so that they always import as they are.

The cell parsers below (`parse_*`) are the ones every import uses; each raises CellError with the French reason.
Dates read AAAA-MM-JJ or JJ/MM/AAAA; a choice reads its code or its French label (`choice_spellings`).
"""

import csv
import datetime
import functools
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote

from django.core.exceptions import ValidationError

from procurement.cpv import normalise_cpv, validate_cpv
from procurement.french import file_size, number
from procurement.search import fold
from procurement.specifications.docx.safety import overcompressed
from procurement.timezones import PARIS
from procurement.validators import normalise_company_number, validate_siret

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# The formats every import reads: each file's extension and how a page names it (procurement/forms.py:
# ImportFileField writes its help text and the browser's file filter from them).
IMPORT_FORMATS = {
    ".csv": "CSV (séparateur «\u00a0;\u00a0» ou «\u00a0,\u00a0»)",
    ".xlsx": "XLSX",
    ".ods": "ODS",
}
# A web upload holds at most this many rows under its header (a year of hours of a large territory is ~100,000).
MAX_IMPORT_ROWS = 200_000
# The widest import has about 45 columns; a header cut after its last named column must fit in this.
MAX_COLUMNS = 1_000
# The longest CSV cell read (Python's default limit, set by us: a library may raise the process-wide one).
MAX_CSV_CELL_CHARACTERS = 131_072
# A workbook's parts, as for the .docx of a cahier des charges: at most this many, none compressed more than
# MAX_XLSX_RATIO times (spreadsheets compress 5 to 15 times), and for a web upload at most this much once
# decompressed in all, of which at most MAX_XLSX_SHARED_STRINGS_BYTES of shared strings (read whole by openpyxl).
MAX_XLSX_ENTRIES = 1_000
MAX_XLSX_RATIO = 100
XLSX_RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
# A sheet has at most 1,048,576 rows (Excel's limit): a row number beyond is a forged file.
XLSX_MAX_ROW_NUMBER = 1_048_576
UNREADABLE_XLSX = "Ce fichier n'est pas un classeur XLSX lisible."
BINARY_CONTENT = "Ce fichier n'est ni un CSV ni un classeur (XLSX, ODS) : son contenu est binaire."


@dataclass(frozen=True)
class Percentage:
    """A number that its sheet shows as a percentage (a cell formatted « 0 % », an ODS percentage): its value is the
    fraction (0.5), its text the percentage shown (« 50 % »), so that a share column reads 50, never 0.5."""

    fraction: int | float


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.column} : {self.reason}"


# The most reasons an import keeps: a refused file of 200,000 rows whose every cell is bad gave 2.2 million reasons,
# 1.5 GB held at once (benchmarks/imports/bench_errors.py). Past this many, the reasons are only counted, and a last
# line says how many more there are.
MAX_LISTED_ERRORS = 10_000


class ErrorList(list):
    """The reasons of a refused import, kept up to `limit` (MAX_LISTED_ERRORS), then only counted (`total`): a
    list of the first ones, in the order they were found, that ImportRejected ends with `more_errors`."""

    def __init__(self, errors: Iterable = (), *, limit: int | None = None):
        super().__init__()
        self.limit = MAX_LISTED_ERRORS if limit is None else limit
        self.total = 0
        self.extend(errors)

    def append(self, error) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(error)

    def extend(self, errors: Iterable) -> None:
        for error in errors:
            self.append(error)


def more_errors(count: int) -> str:
    """The last line of a refusal whose reasons past MAX_LISTED_ERRORS were only counted."""
    others = "autre erreur, non listée" if count == 1 else "autres erreurs, non listées"
    return (
        f"… et {number(count)} {others} : corrigez d'abord celles-ci (souvent une même colonne), "
        "puis importez à nouveau le fichier."
    )


class ImportRejected(Exception):
    """The file cannot be imported; `errors` lists the reasons, in French; `items` keeps them as given (RowError
    for a bad cell, a sentence for the whole file), for the API's `{ligne, champ, raison}` list. Given an ErrorList
    that stopped keeping them, both end with one sentence saying how many more there are (`more_errors`); `total`
    counts every reason."""

    def __init__(self, errors: list):
        self.items = list(errors)
        self.total = max(getattr(errors, "total", 0), len(self.items))
        if self.total > len(self.items):
            self.items.append(more_errors(self.total - len(self.items)))
        self.errors = [str(error) for error in self.items]
        super().__init__("\n".join(self.errors))


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import: its technical name, the French label the page shows and the model files head it
    with, other French headings accepted, what it holds, an example value that imports as it is."""

    name: str
    label: str
    help: str = ""
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()


def header_key(text: str) -> str:
    """What a heading is compared by: without accents, case, spaces or punctuation (« Date de publication » and
    « date_de_publication » give « datedepublication »)."""
    return "".join(char for char in fold(text) if char.isalnum())


def header_names(columns: Sequence[ImportColumn]) -> dict[str, str]:
    """Every accepted heading's key -> the column's technical name."""
    names: dict[str, str] = {}
    for column in columns:
        for heading in (column.name, column.label, *column.aliases):
            names.setdefault(header_key(heading), column.name)
    return names


def model_file(columns: Sequence[ImportColumn], *, file_format: str, title: str) -> bytes:
    """The model file of an import: French headings and the example row, and for a workbook (XLSX, ODS) a
    « Lisez-moi » sheet that lists each column (label, technical name, required or not, what it holds)."""
    from procurement.spreadsheets import model_csv, model_ods, model_xlsx

    headings = [column.label for column in columns]
    example = [column.example for column in columns]
    if file_format == "csv":
        return model_csv(headings=headings, example=example)
    readme = [(column.label, column.name, "oui" if column.required else "non", column.help) for column in columns]
    write = model_ods if file_format == "ods" else model_xlsx
    return write(headings=headings, example=example, readme=readme, title=title)


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file (a Django UploadedFile), refused on its declared size before any is read."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ImportRejected([f"Le fichier dépasse {file_size(MAX_IMPORT_BYTES)}."])
    return upload.read(MAX_IMPORT_BYTES + 1)


def read_table(content: bytes, **options) -> Table:
    """Parses an uploaded file into (line number, {column: text}) rows, keyed by technical names. The options are
    those of `stream_table`, which reads the rows one at a time."""
    names, rows = stream_table(content, **options)
    table = Table(columns=names)
    table.rows.extend(rows)
    return table


def stream_table(
    content: bytes,
    *,
    filename: str,
    allowed: list[str],
    required: list[str],
    max_bytes: int | None = MAX_IMPORT_BYTES,
    columns: Sequence[ImportColumn] = (),
    sheet: str | None = None,
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """`read_table` a row at a time, for files too large to hold as rows (a public register of 200,000 rows):
    the header is checked before this returns; the rows come one by one, and a refusal met among them (a
    formula, a line longer than the header, no row at all) is raised once they are all read, so a caller that
    writes them inside a transaction writes nothing.

    A heading is matched, accents, case and spaces ignored, with a technical name of `allowed` or a label (or
    alias) of `columns`. `max_bytes` bounds what a web upload may hold (its bytes, and with them its rows and
    its decompressed size); a command reading a file the operator chose passes None. `sheet` names the workbook's
    sheet to read (when None, the first one a person sees: hidden sheets are passed over)."""
    if not content or not content.strip():
        raise ImportRejected(["Le fichier est vide."])
    if max_bytes is not None and len(content) > max_bytes:
        raise ImportRejected([f"Le fichier dépasse {file_size(max_bytes)}."])
    limited = max_bytes is not None
    max_rows = MAX_IMPORT_ROWS if limited else None
    workbook = _workbook_format(content)
    # A workbook's cells are values (`_cell_text` makes them text), a CSV's are text already.
    is_xlsx = workbook is not None
    # One scan of the bytes spares a per-cell check on the usual file without any "=".
    may_hold_formulas = is_xlsx or b"=" in content
    if workbook == "ods":
        from procurement.opendocument import ods_rows

        raw_rows = ods_rows(content, limited=limited, max_rows=max_rows, sheet=sheet)
    elif workbook == "xlsx":
        raw_rows = _xlsx_rows(content, limited=limited, max_rows=max_rows, sheet=sheet)
    elif filename.lower().endswith(WORKBOOK_EXTENSIONS):
        raise ImportRejected([NOT_A_WORKBOOK])
    else:
        _refuse_binary(content)
        raw_rows = _csv_rows(content)
    try:
        header = next(raw_rows, None)
        if header is None:
            raise ImportRejected(["Le fichier est vide."])
        # French labels and technical names alike become the technical names.
        names = {**{header_key(name): name for name in allowed}, **header_names(columns)}
        keys = [
            names.get(header_key(name), name) if name else name for name in _header_columns(header, is_xlsx=is_xlsx)
        ]
        _check_columns(keys, allowed=allowed, required=required, columns=columns)
    except BaseException:
        raw_rows.close()
        raise
    rows = _table_rows(raw_rows, keys, is_xlsx=is_xlsx, may_hold_formulas=may_hold_formulas, max_rows=max_rows)
    return keys, rows


# Names of workbook files: one that is not a readable workbook is refused, not read as a CSV.
WORKBOOK_EXTENSIONS = (".xlsx", ".xls", ".ods", ".ots", ".fods")
NOT_A_WORKBOOK = (
    "Ce fichier n'est pas un classeur XLSX ou ODS lisible : enregistrez-le au format .xlsx, .ods ou .csv, puis "
    "importez-le."
)


def _workbook_format(content: bytes) -> str | None:
    """« ods » or « xlsx » for a workbook, recognised by its content (a zip; an OpenDocument one declares its type
    in its `mimetype` part), None for anything else."""
    if content[:4] != b"PK\x03\x04":
        return None
    from procurement.opendocument import is_opendocument, is_spreadsheet, not_a_spreadsheet, package_mimetype

    mimetype = package_mimetype(content)
    if is_spreadsheet(mimetype):
        return "ods"
    if is_opendocument(mimetype):
        raise ImportRejected([not_a_spreadsheet(mimetype)])
    return "xlsx"


def _table_rows(
    raw_rows: Iterator[list | tuple],
    columns: list[str],
    *,
    is_xlsx: bool,
    may_hold_formulas: bool,
    max_rows: int | None,
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        formulas = ErrorList()
        width, all_named = len(columns), all(columns)
        last_line = max_rows + 1 if max_rows is not None else None
        found = False
        # Imports may hold a million rows: CSV cells are already text (no per-cell conversion), rows are zipped.
        for offset, values in enumerate(raw_rows, start=2):
            if last_line is not None and offset > last_line:
                raise ImportRejected([too_many_rows(max_rows)])
            if len(values) > width:
                extra = values[width:]
                if any(_cell_text(value) for value in extra) if is_xlsx else any(value.strip() for value in extra):
                    raise ImportRejected([longer_than_header(offset)])
                values = values[:width]
            cells = [_cell_text(value) for value in values] if is_xlsx else [value.strip() for value in values]
            if not any(cells):
                continue
            if may_hold_formulas and any(cell.startswith("=") for cell in cells):
                formulas.extend(_formula_errors(offset, columns, cells))
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            found = True
            if all_named:
                yield offset, dict(zip(columns, cells, strict=False))
            else:
                yield offset, {name: cell for name, cell in zip(columns, cells, strict=False) if name}
        if formulas:
            raise ImportRejected(formulas)
        if not found:
            raise ImportRejected(["Le fichier ne contient aucune ligne de données sous l'en-tête."])
    finally:
        raw_rows.close()


def too_many_rows(max_rows: int) -> str:
    """The reason a file of more than `max_rows` rows under its header is refused (a web upload), shared by the
    readers of CSV and XLSX here and of ODS (procurement/opendocument.py), so that all three say the same."""
    return (
        f"Le fichier compte plus de {number(max_rows)} lignes sous l'en-tête, le plus qu'un import en ligne "
        "accepte : découpez-le en plusieurs fichiers (par année ou par marché, par exemple) et importez-les l'un "
        "après l'autre."
    )


def _header_columns(header: list | tuple, *, is_xlsx: bool) -> list[str]:
    columns = [(_cell_text(name) if is_xlsx else str(name).strip()).lower() for name in header]
    if len(columns) > MAX_COLUMNS:
        # A sheet formatted up to its last column, or a CSV ending in separators: the empty tail is no column.
        while columns and not columns[-1]:
            columns.pop()
        if len(columns) > MAX_COLUMNS:
            raise ImportRejected([too_wide_header(len(columns))])
    return columns


def too_wide_header(count: int) -> str:
    """The reason a header of `count` columns (up to its last named one) is refused, past MAX_COLUMNS."""
    return (
        f"L'en-tête compte {number(count)} colonnes, au plus {number(MAX_COLUMNS)} sont acceptées : vérifiez que "
        "la première ligne du fichier est celle des noms de colonnes, et supprimez les colonnes en trop."
    )


def longer_than_header(line: int) -> str:
    """The reason a row with a value beyond the header's last column is refused."""
    return f"ligne {line} : — : la ligne a plus de valeurs que l'en-tête n'a de colonnes"


ALL_SHEETS_HIDDEN = (
    "Toutes les feuilles du classeur sont masquées : l'import lit la première feuille visible. Affichez la feuille "
    "des données (clic droit sur un onglet, « Afficher »), placez-la en premier, puis importez à nouveau le fichier."
)


def missing_sheet(sheet: str, names: Sequence[str]) -> str:
    """The reason a workbook without the sheet an import reads (`sheet`) is refused."""
    return (
        f"Le classeur n'a pas de feuille « {sheet} » (feuilles présentes : {', '.join(names)}) : importez le "
        "fichier publié tel quel."
    )


FORMULA_REASON = "les formules ne sont pas acceptées : importez la valeur (copier, puis « collage des valeurs »)"


def _formula_errors(line: int, columns: list[str], cells: list[str]) -> list[RowError]:
    return [
        RowError(line, columns[index] if index < len(columns) and columns[index] else "—", FORMULA_REASON)
        for index, cell in enumerate(cells)
        if cell.startswith("=")
    ]


def _refuse_binary(content: bytes) -> None:
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(
            ["Le fichier est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 » ou en .xlsx, puis importez-le."]
        )
    if b"\x00" in head:
        raise ImportRejected([BINARY_CONTENT])


def _check_columns(
    keys: list[str], *, allowed: list[str], required: list[str], columns: Sequence[ImportColumn] = ()
) -> None:
    errors = []
    named = [name for name in keys if name]
    unknown = [name for name in named if name not in allowed]
    labels = {column.name: column.label for column in columns}
    if unknown:
        errors.append(
            "Colonnes inconnues : "
            + ", ".join(unknown)
            + ". Colonnes attendues : "
            + ", ".join(column_heading(name, labels) for name in allowed)
            + "."
        )
    # One count of every name: comparing each name with all the others took minutes for a wide header.
    duplicated = sorted(name for name, count in Counter(named).items() if count > 1)
    if duplicated:
        errors.append("Colonnes en double : " + ", ".join(column_heading(name, labels) for name in duplicated) + ".")
    missing = [name for name in required if name not in named]
    if missing:
        errors.append(
            "Colonnes obligatoires absentes : " + ", ".join(column_heading(name, labels) for name in missing) + "."
        )
    if errors:
        raise ImportRejected(errors)


def column_heading(name: str, labels: Mapping[str, str]) -> str:
    """A column as a header's refusal names it: the French label the import page shows, then the technical name
    (« Date de publication (published_on) »); the technical name alone for a column without label."""
    label = labels.get(name)
    return f"{label} ({name})" if label and label != name else name


_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their ends, as io.StringIO(text, newline="") gives them, one slice at a time: a
    StringIO holds its text as 4 bytes a character, 4 times a large file's size."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = _decode(content)
    first_line = re.match(r"[^\r\n]*", text).group()
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    csv.field_size_limit(MAX_CSV_CELL_CHARACTERS)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ImportRejected([_csv_error(error, line=reader.line_num)]) from error


def _csv_error(error: csv.Error, *, line: int) -> str:
    # The csv module's reasons are English; each one a file can meet is told in French.
    reason = str(error)
    if reason.startswith("field larger than field limit"):
        return (
            f"Le fichier CSV est mal formé : une cellule de la ligne {line} dépasse "
            f"{number(MAX_CSV_CELL_CHARACTERS)} caractères. "
            'Un guillemet « " » ouvert et jamais refermé englobe souvent toute la suite du fichier : '
            "vérifiez les guillemets de cette ligne, ou enregistrez le fichier à nouveau depuis votre tableur."
        )
    if "NUL" in reason:
        return BINARY_CONTENT
    return (
        f"Le fichier CSV est mal formé à la ligne {line} : enregistrez-le à nouveau au format « CSV UTF-8 » "
        "depuis votre tableur, puis importez-le."
    )


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as error:
            line = content[: error.start + 3].count(b"\n") + 1
            raise ImportRejected(
                [
                    "Le fichier s'annonce en UTF-8 (il commence par la marque BOM) mais contient à la ligne "
                    f"{line} des caractères qui ne sont pas de l'UTF-8 : enregistrez-le à nouveau au format "
                    "« CSV UTF-8 », puis importez-le."
                ]
            ) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


# What openpyxl and the zip and XML readers under it raise on a damaged or forged workbook.
_XLSX_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError
    ValueError,  # also defusedxml's refusal of XML entities
    LookupError,  # KeyError, IndexError, and an XML declaration naming an unknown encoding
    TypeError,
    AttributeError,
    ArithmeticError,
    EOFError,
    OSError,
    NotImplementedError,  # a zip version or a compression method zipfile does not know
)


def _xlsx_rows(content: bytes, *, limited: bool, max_rows: int | None, sheet: str | None = None) -> Iterator[tuple]:
    import openpyxl

    check_workbook_archive(content, limited=limited)
    if max_rows is not None:
        _check_xlsx_row_count(content, max_rows=max_rows)
    content = _strict_as_transitional(_xlsx_with_declared_names(content))
    try:
        # data_only=False: a formula cell reads as its formula (refused), not as a cached value that may be stale.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except _XLSX_READ_ERRORS as error:
        raise ImportRejected([UNREADABLE_XLSX]) from error
    try:
        if not workbook.worksheets:
            raise ImportRejected(["Le fichier est vide."])
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ImportRejected([missing_sheet(sheet, workbook.sheetnames)])
        worksheet = workbook[sheet] if sheet is not None else _first_visible_sheet(workbook.worksheets)
        # The sheet's declared dimension is not trusted: each row is as long as its last cell, not padded.
        worksheet.reset_dimensions()
        rows = _xlsx_values(worksheet)
        line = 0
        # Blank rows under the header are held back until a row with a value follows, so that line numbers stay
        # those of the sheet; those after the last value are never given: LibreOffice saves rows formatted down to
        # the sheet's last (1,048,576), which are no rows of data and must not count against MAX_IMPORT_ROWS.
        held_blank = 0
        found_value = False
        while True:
            try:
                row = next(rows, None)
            except _XLSX_READ_ERRORS as error:
                raise ImportRejected([_damaged_xlsx(line + 1)]) from error
            if row is None:
                if not found_value and sheet is None and len(workbook.sheetnames) > 1:
                    raise ImportRejected([empty_first_sheet(worksheet.title)])
                return
            line += 1
            if line > XLSX_MAX_ROW_NUMBER:
                # A row past the last of any sheet: past the row limit of an upload too, which says what to do.
                raise ImportRejected([too_many_rows(max_rows) if max_rows is not None else _damaged_xlsx(line)])
            if not row or _blank_xlsx_row(row):  # openpyxl fills a gap between row numbers with empty rows
                if line > 1:
                    held_blank += 1
                    continue
            else:
                found_value = True
            for _ in range(held_blank):
                yield ()
            held_blank = 0
            yield row
    finally:
        workbook.close()


def _first_visible_sheet(worksheets: Sequence):
    """The first sheet a person sees: a hidden one (« hidden », or « veryHidden », which only a macro shows) holds
    the lists of a data validation or a calculation, not the data."""
    for worksheet in worksheets:
        if getattr(worksheet, "sheet_state", "visible") == "visible":
            return worksheet
    raise ImportRejected([ALL_SHEETS_HIDDEN])


def _xlsx_values(worksheet) -> Iterator[tuple]:
    """The rows' values, read from openpyxl's public cell attributes (`data_type`, `number_format`): a formula cell's
    value through `formula_value` (a text cell that reads « =TRUE() » stays a text), a number of a percentage format
    as a Percentage (what the sheet shows)."""
    shows_percent: dict[str, bool] = {}
    for row in worksheet.iter_rows():
        values = []
        for cell in row:
            value = cell.value
            kind = cell.data_type
            if kind == "f" and isinstance(value, str):
                value = formula_value(value)
            elif kind == "n" and isinstance(value, int | float) and not isinstance(value, bool) and cell.has_style:
                code = _number_format(cell)
                percent = shows_percent.get(code)
                if percent is None:
                    percent = shows_percent[code] = "%" in _FORMAT_LITERALS.sub("", code)
                if percent:
                    value = Percentage(value)
            values.append(value)
        yield tuple(values)


# A percent sign of a number format, outside its quoted texts ("…") and escaped characters (\%).
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')


def _number_format(cell) -> str:
    """The cell's number format (« 0 % », « General »); a style the workbook does not define (a forged file) is
    « General », as Excel shows it."""
    try:
        return cell.number_format or "General"
    except LookupError:
        return "General"


def _blank_xlsx_row(row: tuple) -> bool:
    """What `_cell_text` reads as a row of empty texts, without converting each value."""
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def empty_first_sheet(name: str) -> str:
    """The reason a workbook whose first sheet (`name`) is empty, while it has others, is refused: shared by the XLSX
    reader here and the ODS one (procurement/opendocument.py)."""
    return (
        f"La première feuille du classeur (« {name} ») est vide : l'import lit la première feuille. Placez-y les "
        "données (en-tête sur la première ligne), ou déplacez la feuille des données en premier, puis importez à "
        "nouveau le fichier."
    )


_PART_NAME = re.compile(rb"""PartName\s*=\s*["']([^"']+)["']""")
_MANIFEST_MAX_BYTES = 1024 * 1024


def _xlsx_with_declared_names(content: bytes) -> bytes:
    """Office reads part names without case, and "\\" as "/": some writers store "xl\\workbook.xml" or
    "xl/SharedStrings.xml" where [Content_Types].xml declares "/xl/workbook.xml" and "/xl/sharedStrings.xml".
    openpyxl looks each part up by its exact name: such a workbook is rewritten with the declared names (its sizes
    were checked by `check_workbook_archive`); any other is returned as it is."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            manifest = next(
                (info for info in infos if info.filename.replace("\\", "/").lower() == "[content_types].xml"), None
            )
            if manifest is None or manifest.file_size > _MANIFEST_MAX_BYTES:
                return content
            declared = {"[content_types].xml": "[Content_Types].xml"}
            for name in _PART_NAME.findall(archive.read(manifest)):
                part = unquote(name.decode("utf-8", errors="replace")).lstrip("/")
                declared[part.lower()] = part
            renamed = {}
            for info in infos:
                name = info.filename.replace("\\", "/")
                name = declared.get(name.lower(), name)
                if name != info.filename:
                    renamed[info.filename] = name
            if not renamed or len({renamed.get(info.filename, info.filename) for info in infos}) < len(infos):
                return content
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as rewritten:
                for info in infos:
                    rewritten.writestr(renamed.get(info.filename, info.filename), archive.read(info))
            return buffer.getvalue()
    except _XLSX_READ_ERRORS as error:
        raise ImportRejected([UNREADABLE_XLSX]) from error


# Excel's « Feuille de calcul Open XML stricte » (ISO/IEC 29500 Strict) names its XML namespaces and relationship
# types http://purl.oclc.org/ooxml/AREA/NAME where the usual (Transitional) workbook, the one openpyxl reads, names
# them http://schemas.openxmlformats.org/AREA/2006/NAME; the parts an import reads (workbook, sheets, shared strings,
# styles) are otherwise the same. Only quoted names (an attribute's value) are mapped, never a cell's text.
_STRICT_NAME = re.compile(rb"""(?<=["'])http://purl\.oclc\.org/ooxml/(\w+)/(\w+)""")
_STRICT_NAMES_DIFFERING = {b"extendedProperties": b"extended-properties"}
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"


def _transitional_name(match: re.Match) -> bytes:
    area, name = match.groups()
    return b"http://schemas.openxmlformats.org/%s/2006/%s" % (area, _STRICT_NAMES_DIFFERING.get(name, name))


def _strict_as_transitional(content: bytes) -> bytes:
    """A Strict workbook (its package relationships name the Strict office document) rewritten with the Transitional
    names of its XML parts (`_STRICT_NAME`), so that openpyxl reads it as Excel does; any other is returned as it
    is. Its sizes were checked by `check_workbook_archive`."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            package = next((info for info in infos if info.filename.replace("\\", "/").lower() == "_rels/.rels"), None)
            if package is None or package.file_size > _MANIFEST_MAX_BYTES or _STRICT_MARK not in archive.read(package):
                return content
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as rewritten:
                for info in infos:
                    data = archive.read(info)
                    if info.filename.lower().endswith((".xml", ".rels")):
                        data = _STRICT_NAME.sub(_transitional_name, data)
                    rewritten.writestr(info.filename, data)
            return buffer.getvalue()
    except _XLSX_READ_ERRORS as error:
        raise ImportRejected([UNREADABLE_XLSX]) from error


def _damaged_xlsx(line: int) -> str:
    return (
        f"Ce fichier n'est pas un classeur XLSX lisible : sa feuille est endommagée vers la ligne {line}. "
        "Ouvrez-le dans votre tableur, enregistrez-le à nouveau au format .xlsx (ou .csv), puis importez-le."
    )


def check_workbook_archive(content: bytes, *, limited: bool) -> None:
    """The limits of a workbook's zip archive, shared by the XLSX reader here and the ODS one
    (procurement/opendocument.py): at most MAX_XLSX_ENTRIES parts, none compressed more than MAX_XLSX_RATIO times
    and, for a web upload (`limited`), at most MAX_XLSX_UNCOMPRESSED_BYTES decompressed. The idea of
    procurement/specifications/docx/safety.py for workbooks: sizes and ratios are read from the zip directory before
    anything is decompressed (zipfile then stops each part at its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError) as error:
        raise ImportRejected([UNREADABLE_XLSX]) from error
    protect = "il est refusé pour protéger la plateforme"
    if len(infos) > MAX_XLSX_ENTRIES:
        raise ImportRejected([f"Ce classeur contient plus de {number(MAX_XLSX_ENTRIES)} éléments : {protect}."])
    total = sum(info.file_size for info in infos)
    if overcompressed(infos, max_ratio=MAX_XLSX_RATIO, check_from_bytes=XLSX_RATIO_CHECK_FROM_BYTES):
        raise ImportRejected(
            [
                f"Ce classeur est anormalement compressé (plus de {MAX_XLSX_RATIO} fois) : il ressemble à une "
                f"« bombe de décompression » et {protect}. Enregistrez-le à nouveau depuis votre tableur, ou au "
                "format .csv."
            ]
        )
    shared_strings = sum(info.file_size for info in infos if info.filename.lower().endswith("sharedstrings.xml"))
    if limited and (total > MAX_XLSX_UNCOMPRESSED_BYTES or shared_strings > MAX_XLSX_SHARED_STRINGS_BYTES):
        raise ImportRejected(
            [
                f"Ce classeur dépasse {file_size(MAX_XLSX_UNCOMPRESSED_BYTES)} une fois décompressé (ou "
                f"{file_size(MAX_XLSX_SHARED_STRINGS_BYTES)} de textes) : {protect}. Découpez-le en "
                "plusieurs fichiers, ou enregistrez-le au format .csv."
            ]
        )


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _check_xlsx_row_count(content: bytes, *, max_rows: int) -> None:
    """Counts the rows of the workbook's XML parts, a chunk at a time, before openpyxl parses any (opening a
    workbook, openpyxl reads a whole sheet that does not declare its size): a small workbook of a million rows
    is refused in a fraction of a second. Every part is counted, whatever its name, so that a sheet cannot hide
    behind an unusual path; the rows of other sheets count too."""
    limit = max_rows + 1  # and the header
    count = 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                if not info.filename.lower().endswith(".xml"):
                    continue
                with archive.open(info) as stream:
                    carry = b""
                    while chunk := stream.read(1024 * 1024):
                        data = carry + chunk
                        # A row tag holds one "<", its first byte: a cut at the last "<" never splits a match.
                        cut = data.rfind(b"<")
                        cut = len(data) if cut == -1 else cut
                        count += len(_ROW_TAG.findall(data, 0, cut))
                        carry = data[cut:]
                        if count > limit:
                            raise ImportRejected([too_many_rows(max_rows)])
                    count += len(_ROW_TAG.findall(carry))
    except _XLSX_READ_ERRORS as error:
        raise ImportRejected([UNREADABLE_XLSX]) from error
    if count > limit:
        raise ImportRejected([too_many_rows(max_rows)])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, Percentage):
        return format((Decimal(str(value.fraction)) * 100).normalize(), "f") + "\u00a0%"
    if isinstance(value, datetime.timedelta):
        return _duration_text(value)
    if isinstance(value, bool):  # as a French spreadsheet shows it, not Python's « True »
        return BOOLEAN_TEXTS[value]
    if isinstance(value, int | datetime.time):
        return str(value)
    return _formula_object_text(value)


# A boolean cell as French Excel and LibreOffice show it; `parse_yes_no` reads these words as « oui », « non ».
BOOLEAN_TEXTS = {True: "VRAI", False: "FAUX"}
# The boolean constants written as formulas, the only formulas an import reads (as the boolean they give): LibreOffice
# saves a boolean cell it read from an XLSX (and a cell where =VRAI() was typed) as `<f>TRUE()</f>` in an XLSX and
# `of:=TRUE()` in an ODS (tests/corpus/imports/README.md); Excel keeps `=TRUE` typed without brackets as `<f>TRUE</f>`.
# Function names are stored in English whatever the language of the spreadsheet; their case does not matter. Only a
# formula cell is read so: a text cell reading « =TRUE() » is a text starting with « = », refused as in a CSV.
BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False, "=TRUE": True, "=FALSE": False}


def formula_value(formula: str) -> bool | str:
    """The value a workbook's formula cell (XLSX or ODS, its formula starting with « = ») is read as: the boolean of a
    constant of BOOLEAN_FORMULAS, else the formula itself, which the import refuses."""
    constant = BOOLEAN_FORMULAS.get(formula.strip().upper())
    return formula if constant is None else constant


def _duration_text(value: datetime.timedelta) -> str:
    """A duration (a cell formatted « [h]:mm », as hours worked) as its spreadsheet shows it: « 36:30:00 », not
    Python's « 1 day, 12:30:00 »."""
    seconds = round(value.total_seconds())
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _formula_object_text(value) -> str:
    """An array formula (entered with Ctrl+Maj+Entrée) or a data table comes from openpyxl as an object, not as
    the text of its formula: it reads as a formula ("=..."), so that it is refused as every formula is."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, ArrayFormula):
        return "=" + (value.text or "").lstrip("=")
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    return str(value).strip()


class CellError(ValueError):
    """A cell's value is wrong; the message is the French reason."""


class RowReader:
    """Reads one row's cells into `values`, each through its parser; every reason lands in `errors`.

    A column absent from the file is skipped (the field keeps its value); a blank cell is an error when
    `required`, else it gives `blank`."""

    def __init__(self, line: int, row: dict[str, str]):
        self.line = line
        self.row = row
        self.values: dict = {}
        self.errors: list[RowError] = []

    def read(self, column: str, parse, *, field: str | None = None, required: bool = False, blank=None) -> None:
        if column not in self.row:
            return
        text = self.row[column].strip()
        if not text:
            if required:
                self.error(column, "valeur obligatoire manquante")
            else:
                self.values[field or column] = blank
            return
        try:
            self.values[field or column] = parse(text)
        except CellError as error:
            self.error(column, quoted_shortly(str(error), text))

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))


# The most characters of a cell a reason quotes. A workbook's cell is a shared string that any number of cells can
# name: a 100 kB string named by 20,000 rows of a 767 kB file made 2 GB of reasons quoting it whole.
MAX_QUOTED_CHARACTERS = 100


def shortened(text: str) -> str:
    """A cell's text as a reason quotes it: cut to MAX_QUOTED_CHARACTERS, its length said."""
    if len(text) <= MAX_QUOTED_CHARACTERS:
        return text
    return f"{text[:MAX_QUOTED_CHARACTERS]}… ({number(len(text))} caractères)"


def quoted_shortly(reason: str, text: str) -> str:
    """`reason` with the cell's `text` it quotes `shortened`.

    Its cost does not grow with the text where it can be avoided: a file may name a text of 10,000 characters in
    each of millions of cells (benchmarks/imports/bench_errors.py), and str.replace prepares its search of a long
    text in time of its length (17 µs for 10,000 characters, more than all the rest of a bad cell's work). A reason
    shorter than the text cannot quote it (a parser that quotes `shortened` already); a reason opening with
    « {text} », as most do, is cut in place."""
    if len(text) <= MAX_QUOTED_CHARACTERS or len(reason) < len(text):
        return reason
    if reason.startswith(QUOTE_OPENING) and reason.startswith(text, len(QUOTE_OPENING)) and not text.startswith("«"):
        return f"{QUOTE_OPENING}{shortened(text)}{reason[len(QUOTE_OPENING) + len(text) :]}"
    return reason.replace(text, shortened(text), 1)


# How a reason opens when it quotes the cell first (« abc » n'est pas une date…).
QUOTE_OPENING = "« "


# The longest cell a value other than a free text is read from: a date, a number, a choice, a SIRET or a code is a
# few dozen characters at most, spaces included. A longer cell is refused with its parser's usual reason (quoting it
# `shortened`) before any other work: folding, splitting or normalising a text of 10,000 characters in each of
# millions of cells was most of the time of refusing such a file (benchmarks/imports/bench_errors.py).
MAX_VALUE_CHARACTERS = 100


def too_long_for_a_value(text: str) -> bool:
    """Whether `text` is longer than any value a parser other than `parse_text` reads (MAX_VALUE_CHARACTERS)."""
    return len(text) > MAX_VALUE_CHARACTERS


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FRENCH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
DATE_FORMATS = "JJ/MM/AAAA ou AAAA-MM-JJ"


def _date(text: str) -> datetime.date:
    """AAAA-MM-JJ or JJ/MM/AAAA (ValueError otherwise). Python also reads "20260115" or "2026-W03-4", which nobody
    means in a spreadsheet: refused."""
    if ISO_DATE.fullmatch(text):
        return datetime.date.fromisoformat(text)
    french = FRENCH_DATE.fullmatch(text)
    if french:
        day, month, year = (int(part) for part in french.groups())
        return datetime.date(year, month, day)
    raise ValueError(text)


def parse_date(text: str) -> datetime.date:
    try:
        return _date(text.strip())
    except ValueError:
        raise CellError(f"« {shortened(text)} » n'est pas une date au format {DATE_FORMATS}") from None


FRENCH_DATE_TIME = re.compile(
    r"([0-9]{1,2}/[0-9]{1,2}/[0-9]{4})(?:[ T]+(?:à +)?([0-9]{1,2})[:hH]([0-9]{2})(?::([0-9]{2}))?)?"
)


def french_date_time(text: str) -> tuple[datetime.date, datetime.time | None] | None:
    """« 20/11/2026 », « 20/11/2026 14:30 » or « 20/11/2026 14h30 » -> (date, time or None); None when the text
    is not written so (ValueError for an impossible date or time)."""
    if too_long_for_a_value(text):
        return None
    match = FRENCH_DATE_TIME.fullmatch(" ".join(text.split()))
    if match is None:
        return None
    day, hour, minute, second = match.groups()
    time = None if hour is None else datetime.time(int(hour), int(minute), int(second or 0))
    return _date(day), time


ISO_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)


def parse_datetime_paris(text: str) -> datetime.datetime:
    """ISO 8601, as AAAA-MM-JJTHH:MM (or a space for the T, seconds allowed) in Paris time, or with its offset
    (Z, +01:00); a date alone (AAAA-MM-JJ) means the end of that day, 23:59 in Paris. -> an aware datetime."""
    match = ISO_DATE_TIME.fullmatch(text.strip())
    try:
        french = french_date_time(text)
        if french is not None:
            day, time = french
            return datetime.datetime.combine(day, time or datetime.time(23, 59), tzinfo=PARIS)
        if match is None:
            raise ValueError(text)
        day, time, offset = match.groups()
        if time is None:
            return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(23, 59), tzinfo=PARIS)
        value = datetime.datetime.fromisoformat(f"{day}T{time}{(offset or '').replace('Z', '+00:00')}")
    except ValueError:
        raise CellError(
            f"« {shortened(text)} » n'est pas une date et heure au format JJ/MM/AAAA HH:MM ou AAAA-MM-JJTHH:MM "
            "(heure de Paris), ou une date seule"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=PARIS)


def parse_cpv(text: str) -> str:
    """A CPV code as NNNNNNNN-N (spaces and dots removed), its division and known check digit checked."""
    # A text too long to be a code is validated as no code (""), refused with the same reason.
    code = "" if too_long_for_a_value(text) else normalise_cpv(text)
    try:
        validate_cpv(code)
    except ValidationError as error:
        raise CellError(f"« {shortened(text)} » : {error.messages[0]}") from None
    return code


def parse_decimal(
    text: str, *, places: int = 2, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal:
    if too_long_for_a_value(text):
        raise CellError(f"« {shortened(text)} » n'est pas un nombre")
    normalised = text.replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        value = Decimal(normalised)
    except ArithmeticError:
        raise CellError(f"« {shortened(text)} » n'est pas un nombre") from None
    if not value.is_finite():
        raise CellError(f"« {shortened(text)} » n'est pas un nombre")
    if -value.as_tuple().exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise CellError(f"« {shortened(text)} » a plus de {places} décimales")
    if minimum is not None and value < minimum:
        raise CellError(f"« {shortened(text)} » doit être supérieur ou égal à {minimum}")
    if maximum is not None and value > maximum:
        raise CellError(f"« {shortened(text)} » doit être inférieur ou égal à {maximum}")
    return value


ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})(?:-01)?")
FRENCH_MONTH = re.compile(r"(?:0?1/)?([0-9]{1,2})/([0-9]{4})")


def parse_month(text: str) -> datetime.date:
    """AAAA-MM or MM/AAAA (or AAAA-MM-01 and 01/MM/AAAA, what a spreadsheet's month cell becomes) -> the month's
    first day."""
    match = ISO_MONTH.fullmatch(text.strip())
    year, month = (match.group(1), match.group(2)) if match else (None, None)
    french = FRENCH_MONTH.fullmatch(text.strip()) if match is None else None
    if french:
        month, year = french.groups()
    if year is None or not 1 <= int(month) <= 12 or int(year) < 1900:
        raise CellError(f"« {shortened(text)} » n'est pas un mois au format MM/AAAA ou AAAA-MM")
    return datetime.date(int(year), int(month), 1)


def parse_yes_no(text: str) -> bool:
    """« oui » or « non », or a boolean cell of a workbook (« VRAI », « FAUX », as `_cell_text` reads it)."""
    lowered = "" if too_long_for_a_value(text) else text.strip().lower()
    if lowered in ("oui", "vrai"):
        return True
    if lowered in ("non", "faux"):
        return False
    raise CellError(f"« {shortened(text)} » : attendu « oui » ou « non »")


def choice_key(text: str) -> str:
    """How a choice is compared: accents, case and repeated spaces ignored (« Intérim » is « interim »)."""
    return " ".join(fold(text).split())


def choice_spellings(choices, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every spelling a file may use for a value of `choices` (a TextChoices): its code, its French label and
    the `aliases` (spelling -> code), compared by `choice_key` -> the code stored."""
    spellings = {choice_key(value): value for value in choices.values}
    for value, label in choices.choices:
        spellings.setdefault(choice_key(label), value)
    for spelling, value in (aliases or {}).items():
        spellings.setdefault(choice_key(spelling), value)
    return spellings


def french_choices(choices, *, values: Iterable[str] | None = None) -> str:
    """The list an import page and a reason show: « Femme (F), Homme (H)… »."""
    wanted = set(values) if values is not None else None
    return ", ".join(
        f"{label} ({value})" if choice_key(label) != choice_key(value) else label
        for value, label in choices.choices
        if wanted is None or value in wanted
    )


def parse_choice(text: str, *, choices: Iterable[str] | Mapping[str, str], listed: str | None = None) -> str:
    """One of `choices` whatever its case, accents and spacing, returned as `choices` spells it. A mapping maps
    each accepted spelling to the value stored; `listed` replaces the list the reason shows."""
    spellings = (
        tuple(choices.items()) if isinstance(choices, Mapping) else tuple((choice, choice) for choice in choices)
    )
    accepted, longest = _accepted_spellings(spellings)
    # A text far longer than every spelling is none of them: it is not folded (a shared string of 10,000 letters in
    # every cell of a 200,000-row workbook cost four minutes of folding, benchmarks/imports/bench_errors.py), nor
    # even split into words when longer still (MAX_VALUE_CHARACTERS of spaces allowed between them).
    bound = 2 * longest + 16
    words = None if len(text) > bound + MAX_VALUE_CHARACTERS else " ".join(text.split())
    value = None if words is None or len(words) > bound else accepted.get(choice_key(words))
    if value is None:
        raise CellError(
            f"« {shortened(text)} » : valeurs possibles : {listed or ', '.join(dict.fromkeys(accepted.values()))}"
        )
    return value


@functools.lru_cache(maxsize=64)
def _accepted_spellings(spellings: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], int]:
    """{choice_key(spelling): value} of (spelling, value) pairs, and the longest key. Folded once per list of choices,
    not for every cell: folding the 20 spellings of a list was most of the cost of a cell of choice (10 to 26 µs)."""
    accepted = {choice_key(spelling): value for spelling, value in spellings}
    return accepted, max((len(key) for key in accepted), default=0)


def parse_text(text: str, *, max_length: int | None = None) -> str:
    """The cell's text (read_table has already stripped it), at most `max_length` characters."""
    if max_length is not None and len(text) > max_length:
        raise CellError(f"{len(text)} caractères, au plus {max_length}")
    return text


def parse_siret(text: str, *, quote_value: bool = True) -> str:
    """A SIRET as people write it (spaces, dots) -> its 14 digits, Luhn key checked.

    The reason names the value (« 123 » : Le SIRET doit comporter exactement 14 chiffres.); the clause-hours
    import, whose statements show the value beside it, keeps its shorter reason (`quote_value=False`)."""
    # A text too long to be a SIRET is validated as no digits (""), refused with the same reason.
    siret = "" if too_long_for_a_value(text) else normalise_company_number(text)
    try:
        validate_siret(siret)
    except ValidationError as error:
        if quote_value:
            raise CellError(f"« {shortened(text)} » : {error.messages[0]}") from None
        raise CellError(error.messages[0].rstrip(".")) from None
    return siret
