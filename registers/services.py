"""Writes of the public registers: loading the published Egapro file (`import_egapro`), and fetching it at night.

The file (« index-egalite-fh »: the current XLSX, sheet « Données publiques Index Egapro », or the older `;` CSV;
every year in one file) is read a row at a time through procurement/tabular.py, its header checked before anything
is written; its rows are then written in batches (procurement/bulk.py) inside one transaction that first removes
the previous load: readers see the old load or the new one, never a mix, and a refused file leaves the old load.

Conventions of the file: `NC` = not computable (the index too, when fewer than 75 points could be computed); an
empty note = the note does not apply to that size bracket; `Entreprises UES (SIREN)` lists the other members of a
UES as `NAME (SIREN)` joined by commas, names that may hold commas themselves: members are found by their
9-digit groups in brackets.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from procurement import bulk, locks
from procurement.tabular import ErrorList, ImportRejected, RowError, shortened, stream_table
from procurement.validators import is_ascii_digits
from registers import enums
from registers.http import fetch
from registers.models import EgaproLoad, PublishedIndex, UesMember

BATCH_ROWS = 5000
SIREN = re.compile(r"[0-9]{9}")
# A member's SIREN in brackets; its name runs from the previous member's closing bracket. The name is the text in
# between, not part of the pattern: a lazy `(.*?)` before the bracket rescanned the rest of the cell from every
# position, and a 100 kB cell without a bracketed SIREN took a minute and a half.
UES_SIREN = re.compile(r"\(\s*([0-9]{9})\s*\)")
MIN_YEAR, MAX_YEAR = 2018, 2100


@dataclass(frozen=True)
class LoadResult:
    load: EgaproLoad

    @property
    def summary(self) -> str:
        load = self.load
        years = f"{load.first_year} à {load.last_year}" if load.first_year != load.last_year else f"{load.first_year}"
        return (
            f"{load.rows} index publiés ({years}) et {load.ues_members} entreprises membres d'une UES chargés\u00a0; "
            "le chargement précédent est remplacé."
        )


def parse_ues_members(text: str) -> list[tuple[str, str]]:
    """`A (123456789),B, C ET D (987654321)` -> [("A", "123456789"), ("B, C ET D", "987654321")]."""
    members, start = [], 0
    for match in UES_SIREN.finditer(text or ""):
        members.append((text[start : match.start()].strip().strip(" ,").strip(), match.group(1)))
        start = match.end()
    return members


def _note(text: str, *, line: int, column: str, maximum: int) -> tuple[int | str | None, RowError | None]:
    text = text.strip()
    if not text:
        return None, None
    if text.upper() == enums.NOT_COMPUTABLE:
        return enums.NOT_COMPUTABLE, None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    # NaN and infinity (« nan », « inf », « 1e400 ») compare false or fall outside: refused before int().
    if not 0 <= value <= maximum or value != int(value):
        return None, RowError(line, column, f"« {shortened(text)} » : attendu une note de 0 à {maximum} ou « NC »")
    return int(value), None


def _read_row(line: int, row: dict[str, str]) -> tuple[dict | None, list[tuple[str, str]], list[RowError]]:
    """One row of the file -> the PublishedIndex values, its UES members, its errors."""
    errors: list[RowError] = []
    cell = {column: row.get(column.lower(), "") for column in enums.COLUMNS}
    year_text = cell[enums.YEAR].strip().removesuffix(".0")
    # Four digits before int(), which raises ValueError past 4,300 of them.
    if not (len(year_text) == 4 and is_ascii_digits(year_text)) or not MIN_YEAR <= int(year_text) <= MAX_YEAR:
        errors.append(RowError(line, enums.YEAR, f"« {shortened(year_text)} » n'est pas une année"))
    siren = "".join(cell[enums.SIREN].split())
    if not SIREN.fullmatch(siren):
        errors.append(RowError(line, enums.SIREN, f"« {shortened(cell[enums.SIREN])} » : attendu 9 chiffres"))
    notes = {}
    for key, column in enums.NOTES.items():
        notes[key], error = _note(cell[column], line=line, column=column, maximum=50)
        if error:
            errors.append(error)
    index, error = _note(cell[enums.INDEX], line=line, column=enums.INDEX, maximum=100)
    if error:
        errors.append(error)
    if errors:
        return None, [], errors
    values = {
        "year": int(year_text),
        "siren": siren,
        "company_name": cell[enums.COMPANY_NAME][:255],
        "structure": cell[enums.STRUCTURE][:100],
        "headcount_bracket": cell[enums.HEADCOUNT_BRACKET][:50],
        "ues_name": cell[enums.UES_NAME][:255],
        "region": cell[enums.REGION][:100],
        "department": cell[enums.DEPARTMENT][:100],
        "country": cell[enums.COUNTRY][:100],
        "naf": cell[enums.NAF][:255],
        "index": index if isinstance(index, int) else None,
        "index_not_computable": index == enums.NOT_COMPUTABLE,
        "notes": notes,
    }
    return values, parse_ues_members(cell[enums.UES_MEMBERS]), []


INDEX_FIELDS = [
    "year",
    "siren",
    "company_name",
    "structure",
    "headcount_bracket",
    "ues_name",
    "region",
    "department",
    "country",
    "naf",
    "index",
    "index_not_computable",
    "notes",
]
MEMBER_FIELDS = ["year", "siren", "name", "ues_siren", "index", "index_not_computable"]


def _batches(rows: Iterator[tuple[int, dict[str, str]]], errors: ErrorList) -> Iterator[tuple[dict, dict]]:
    """Batches of at most BATCH_ROWS rows: ({(year, siren): index values}, {(year, siren): member values}); the
    reasons of bad rows go to `errors` as they are met (the first MAX_LISTED_ERRORS kept, the others counted). A key
    repeated in the file keeps its last row."""
    indexes: dict = {}
    members: dict = {}
    for line, row in rows:
        values, ues_members, row_errors = _read_row(line, row)
        if row_errors:
            errors.extend(row_errors)
            continue
        indexes[(values["year"], values["siren"])] = tuple(values[name] for name in INDEX_FIELDS)
        for name, siren in ues_members:
            if siren != values["siren"]:
                members[(values["year"], siren)] = (
                    values["year"],
                    siren,
                    name[:255],
                    values["siren"],
                    values["index"],
                    values["index_not_computable"],
                )
        if len(indexes) >= BATCH_ROWS:
            yield indexes, members
            indexes, members = {}, {}
    yield indexes, members


def import_egapro(*, content: bytes, filename: str, source: str = "", loaded_by=None) -> LoadResult:
    """Replaces the published indexes with the file's, in one transaction; raises ImportRejected (nothing
    changed) with every reason, `ligne N : colonne : raison`, the header's first."""
    _columns, rows = _read(content, filename=filename)
    # Bounded while the file is read, as every import's: a file of bad rows is never held as all its reasons.
    errors = ErrorList()
    count = 0
    years: set[int] = set()
    with transaction.atomic():
        # One load at a time: a second one waits, then replaces the first one's rows as a whole.
        locks.hold(purpose=locks.PUBLISHED_INDEXES, organisation_id=0)
        UesMember.objects.all().delete()
        PublishedIndex.objects.all().delete()
        for indexes, members in _batches(rows, errors):
            if errors:
                continue  # keep reading, to list every bad row; nothing will be kept
            for model, fields, batch in ((PublishedIndex, INDEX_FIELDS, indexes), (UesMember, MEMBER_FIELDS, members)):
                bulk.upsert(
                    model=model,
                    fields=fields,
                    rows=list(batch.values()),
                    unique_fields=["year", "siren"],
                    update_fields=fields[2:],
                )
            count += len(indexes)
            years.update(year for year, _siren in indexes)
        if errors:
            raise ImportRejected(errors)
        # A company that filed its own index is no "member" for that year: its own row stands (one SQL statement).
        own = PublishedIndex.objects.filter(year=OuterRef("year"), siren=OuterRef("siren"))
        UesMember.objects.filter(Exists(own)).delete()
        load = EgaproLoad.objects.create(
            source=(source or filename)[:500],
            rows=PublishedIndex.objects.count(),
            ues_members=UesMember.objects.count(),
            first_year=min(years) if years else None,
            last_year=max(years) if years else None,
            loaded_by=loaded_by,
        )
        EgaproLoad.objects.exclude(pk=load.pk).delete()
    return LoadResult(load=load)


def _read(content: bytes, *, filename: str):
    allowed = [column.lower() for column in enums.COLUMNS]
    try:
        columns, rows = stream_table(
            content,
            filename=filename,
            allowed=allowed,
            required=[],
            max_bytes=None,
            sheet=enums.EGAPRO_SHEET if content[:4] == b"PK\x03\x04" else None,
        )
    except ImportRejected as rejected:
        raise ImportRejected([f"{filename} : {error}" for error in rejected.errors]) from None
    try:
        check_header(columns, filename=filename)
    except ImportRejected:
        rows.close()
        raise
    return columns, rows


def check_header(columns: list[str], *, filename: str) -> None:
    named = set(columns)
    missing = [column for column in enums.REQUIRED_COLUMNS if column.lower() not in named]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1,
                    column,
                    f"colonne absente de l'en-tête de {filename} : ce n'est pas le fichier des index publiés tel que "
                    "publié (« index-egalite-fh »), ou sa forme a changé. Rien n'a été chargé.",
                )
                for column in missing
            ]
        )


def fetch_and_import_egapro() -> LoadResult | None:
    """The nightly task's work: fetch EGAPRO_FILE_URL and load it; None when no URL is set (dev, tests)."""
    url = settings.EGAPRO_FILE_URL
    if not url:
        return None
    answer = fetch(url, timeout=settings.EGAPRO_FILE_TIMEOUT_SECONDS, max_bytes=settings.EGAPRO_FILE_MAX_BYTES)
    if answer.status != 200:
        raise ImportRejected([f"{url} : statut {answer.status} (attendu 200) : rien n'a été chargé."])
    filename = url.rsplit("/", 1)[-1] or "index-egalite-fh.xlsx"
    return import_egapro(content=answer.body, filename=filename, source=url)
