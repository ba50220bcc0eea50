"""Reads the CSV and XLSX files that users import, the same way for every import.

A CSV may be UTF-8 (with or without BOM) or Windows-1252, with `,` or `;` as
separator (detected from the header line). Column order is free; unknown
columns are refused by name. Errors read `ligne N : colonne : raison`, N
counting the header as line 1.

Hostile or mistaken files are refused with a reason: binary content or UTF-16 text, and formulas (a cell
starting with `=`, or a formula cell of a workbook): an import takes values, never something to evaluate.

The cell parsers below (`parse_*`) are the ones every import uses; each raises CellError with the French reason.
"""

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from procurement.validators import normalise_company_number, validate_siret

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.column} : {self.reason}"


class ImportRejected(Exception):
    """The file cannot be imported; `errors` lists every reason, in French."""

    def __init__(self, errors: list):
        self.errors = [str(error) for error in errors]
        super().__init__("\n".join(self.errors))


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_table(
    content: bytes,
    *,
    filename: str,
    allowed: list[str],
    required: list[str],
    max_bytes: int | None = MAX_IMPORT_BYTES,
) -> Table:
    """Parses an uploaded file into (line number, {column: text}) rows.

    `max_bytes` bounds what a web upload may hold; a command reading a file the operator chose passes None.
    """
    if not content or not content.strip():
        raise ImportRejected(["Le fichier est vide."])
    if max_bytes is not None and len(content) > max_bytes:
        raise ImportRejected([f"Le fichier dépasse {max_bytes // (1024 * 1024)} Mo."])
    is_xlsx = content[:4] == b"PK\x03\x04"
    # One scan of the bytes spares a per-cell check on the usual file without any "=".
    may_hold_formulas = is_xlsx or b"=" in content
    if is_xlsx:
        raw_rows = _xlsx_rows(content)
    elif filename.lower().endswith((".xlsx", ".xls", ".ods")):
        raise ImportRejected(
            ["Ce fichier n'est pas un classeur XLSX lisible : enregistrez-le au format .xlsx ou .csv."]
        )
    else:
        _refuse_binary(content)
        raw_rows = _csv_rows(content)
    if not raw_rows:
        raise ImportRejected(["Le fichier est vide."])

    columns = [str(name).strip().lower() for name in raw_rows[0]]
    _check_columns(columns, allowed=allowed, required=required)

    table = Table(columns=columns)
    formulas: list[RowError] = []
    width, all_named = len(columns), all(columns)
    # Imports may hold a million rows: CSV cells are already text (no per-cell conversion), rows are zipped.
    for offset, values in enumerate(itertools.islice(raw_rows, 1, None), start=2):
        cells = [_cell_text(value) for value in values] if is_xlsx else [value.strip() for value in values]
        if not any(cells):
            continue
        if may_hold_formulas and any(cell.startswith("=") for cell in cells):
            formulas.extend(_formula_errors(offset, columns, cells))
        if len(cells) != width:
            if len(cells) > width and any(cells[width:]):
                reason = "la ligne a plus de valeurs que l'en-tête n'a de colonnes"
                raise ImportRejected([f"ligne {offset} : — : {reason}"])
            cells += [""] * (width - len(cells))
        if all_named:
            table.rows.append((offset, dict(zip(columns, cells, strict=False))))
        else:
            table.rows.append((offset, {name: cell for name, cell in zip(columns, cells, strict=False) if name}))
    if formulas:
        raise ImportRejected(formulas)
    if not table.rows:
        raise ImportRejected(["Le fichier ne contient aucune ligne de données sous l'en-tête."])
    return table


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
        raise ImportRejected(["Ce fichier n'est ni un CSV ni un classeur XLSX : son contenu est binaire."])


def _check_columns(columns: list[str], *, allowed: list[str], required: list[str]) -> None:
    errors = []
    named = [name for name in columns if name]
    unknown = [name for name in named if name not in allowed]
    if unknown:
        errors.append(
            "Colonnes inconnues : " + ", ".join(unknown) + ". Colonnes attendues : " + ", ".join(allowed) + "."
        )
    duplicated = sorted({name for name in named if named.count(name) > 1})
    if duplicated:
        errors.append("Colonnes en double : " + ", ".join(duplicated) + ".")
    missing = [name for name in required if name not in named]
    if missing:
        errors.append("Colonnes obligatoires absentes : " + ", ".join(missing) + ".")
    if errors:
        raise ImportRejected(errors)


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode(content)
    header = text.splitlines()[0] if text else ""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportRejected([f"Le fichier CSV est mal formé : {error}."]) from error


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _xlsx_rows(content: bytes) -> list[list]:
    import openpyxl

    try:
        # data_only=False: a formula cell reads as its formula (refused), not as a cached value that may be stale.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRejected(["Ce fichier n'est pas un classeur XLSX lisible."]) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
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
            self.error(column, str(error))

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> datetime.date:
    # Only AAAA-MM-JJ: Python also reads "20260115" or "2026-W03-4", which nobody means in a spreadsheet.
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"« {text} » n'est pas une date au format AAAA-MM-JJ") from None


def parse_decimal(
    text: str, *, places: int = 2, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal:
    normalised = text.replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        value = Decimal(normalised)
    except ArithmeticError:
        raise CellError(f"« {text} » n'est pas un nombre") from None
    if not value.is_finite():
        raise CellError(f"« {text} » n'est pas un nombre")
    if -value.as_tuple().exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise CellError(f"« {text} » a plus de {places} décimales")
    if minimum is not None and value < minimum:
        raise CellError(f"« {text} » doit être supérieur ou égal à {minimum}")
    if maximum is not None and value > maximum:
        raise CellError(f"« {text} » doit être inférieur ou égal à {maximum}")
    return value


ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})(?:-01)?")


def parse_month(text: str) -> datetime.date:
    """AAAA-MM (or AAAA-MM-01, what a spreadsheet's month cell becomes) -> the month's first day."""
    match = ISO_MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise CellError(f"« {text} » n'est pas un mois au format AAAA-MM")
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def parse_yes_no(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered == "oui":
        return True
    if lowered == "non":
        return False
    raise CellError(f"« {text} » : attendu « oui » ou « non »")


def parse_choice(text: str, *, choices: Iterable[str] | Mapping[str, str], listed: str | None = None) -> str:
    """One of `choices` whatever its case and spacing, returned as `choices` spells it. A mapping maps each
    accepted spelling (in lowercase) to the value stored; `listed` replaces the list the reason shows."""
    accepted = dict(choices) if isinstance(choices, Mapping) else {choice.lower(): choice for choice in choices}
    value = accepted.get(" ".join(text.lower().split()))
    if value is None:
        raise CellError(f"« {text} » : valeurs possibles : {listed or ', '.join(accepted.values())}")
    return value


def parse_text(text: str, *, max_length: int | None = None) -> str:
    """The cell's text (read_table has already stripped it), at most `max_length` characters."""
    if max_length is not None and len(text) > max_length:
        raise CellError(f"{len(text)} caractères, au plus {max_length}")
    return text


def parse_siret(text: str, *, quote_value: bool = True) -> str:
    """A SIRET as people write it (spaces, dots) -> its 14 digits, Luhn key checked.

    The reason names the value (« 123 » : Le SIRET doit comporter exactement 14 chiffres.); the clause-hours
    import, whose statements show the value beside it, keeps its shorter reason (`quote_value=False`)."""
    siret = normalise_company_number(text)
    try:
        validate_siret(siret)
    except ValidationError as error:
        if quote_value:
            raise CellError(f"« {text} » : {error.messages[0]}") from None
        raise CellError(error.messages[0].rstrip(".")) from None
    return siret
