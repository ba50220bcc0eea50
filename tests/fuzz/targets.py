"""The readers of uploaded files as fuzz targets: their seed files, how one case is run, and the oracle, shared by
the fuzz tests (tests/fuzz/test_*_fuzz.py) and the long-run command (tools/fuzz.py). The imported tabular and data
files are here; the documents (cahiers des charges, annex attachments) in tests/fuzz/document_targets.py.

Oracle: a case returns normally, or raises the target's declared refusal (ImportRejected, DecpRefused,
UnsafeDocument, ValidationError) whose every message is non-empty French text; any other exception is a finding.
The targets that write (the three imports, the DECP import, the Egapro load) run each case in a savepoint rolled
back at its end, against `World`: an organisation and the markets its files refer to."""

import io
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.fuzz import document_targets
from tests.fuzz.document_mutations import document_cases
from tests.fuzz.mutate import Case
from tests.fuzz.tabular_mutations import import_cases

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"


@dataclass(frozen=True)
class Seed:
    """A file a target's cases mutate: `name` says where it comes from (a corpus path, or how it was built)."""

    name: str
    data: bytes
    kind: str  # which mutations apply: « zip », « csv », « json », « xml » (imports); « docx », « bytes » (documents)
    filename: str
    options: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class World:
    """What the writing targets import into; `organisation` is created by `make_world`."""

    organisation: object


def seed_rng(rng_seed: int, rank: int) -> int:
    """The rng seed of the cases of a target's `rank`-th seed file, in a campaign of seed `rng_seed`."""
    return rng_seed * 1000 + rank


class Finding(Exception):
    """A case broke the oracle: an undeclared exception, or a refusal without a French reason."""

    def __init__(self, *, target: str, seed: Seed, case: Case, rng_seed: int, reason: str):
        self.target, self.seed, self.case, self.rng_seed, self.reason = target, seed, case, rng_seed, reason
        number = case.mutation.split(":")[0].removeprefix("case ")
        repeat = (
            f"--rng-seed {rng_seed // 1000} --cases {int(number) + 1} --only-case {number}" if number.isdigit() else ""
        )
        super().__init__(
            f"{target} : {seed.name} (rng_seed={rng_seed}, {case.mutation}) : {reason}\n"
            f"Reproduire : .venv/bin/python tools/fuzz.py --target {target} --seed-file '{seed.name}' {repeat}"
        )


# --- the oracle ------------------------------------------------------------------------------------------------

_FRENCH_MARKS = re.compile(
    r"[àâçéèêëîïôûùœ«»]|\b(?:le|la|les|de|des|du|est|pas|lignes?|au|un|une|ou|colonnes?|fichier|valeur)\b", re.I
)
# What Python's and the libraries' exceptions say. A French reason may echo the file's text (a cell, an unknown
# heading), which the mutations never fill with these English phrases.
_ENGLISH_MARKS = re.compile(
    r"\b(?:invalid literal|has no attribute|not supported|unexpected|traceback|could not|out of range|must be|"
    r"is not|expected|[A-Za-z]+Error)\b",
    re.I,
)


def is_french_reason(message: str) -> bool:
    text = message.strip()
    return bool(text) and bool(_FRENCH_MARKS.search(text)) and not _ENGLISH_MARKS.search(text)


def refusal_messages(refusal: Exception) -> list[str]:
    """ImportRejected's `errors`, a ValidationError's `messages`, or the exception's text."""
    errors = getattr(refusal, "errors", None)
    if errors is None:
        errors = getattr(refusal, "messages", None)
    return list(errors) if errors is not None else [str(refusal)]


# --- targets ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    seeds: Callable[[], list[Seed]]
    run: Callable[[Seed, bytes, World | None], object]
    refusal: Callable[[], type[Exception]]
    needs_database: bool = False
    mutations: Callable[..., Iterator[Case]] = import_cases  # (data, count=, rng_seed=, kind=) → cases

    def cases(self, seed: Seed, *, count: int, rng_seed: int) -> Iterator[Case]:
        return self.mutations(seed.data, count=count, rng_seed=rng_seed, kind=seed.kind)

    def check(self, seed: Seed, case: Case, *, rng_seed: int, world: World | None = None) -> str:
        """« accepted » or « refused »; raises Finding when the case breaks the oracle."""
        refusal = self.refusal()
        try:
            if self.needs_database:
                _in_savepoint(lambda: self.run(seed, case.data, world))
            else:
                self.run(seed, case.data, world)
        except refusal as refused:
            messages = refusal_messages(refused)
            wrong = [message for message in messages if not is_french_reason(message)]
            if not messages or wrong:
                raise Finding(
                    target=self.name,
                    seed=seed,
                    case=case,
                    rng_seed=rng_seed,
                    reason=f"refus sans raison en français : {wrong or messages!r}"[:2000],
                ) from refused
            return "refused"
        except Exception as error:  # noqa: BLE001 (any other exception is what the fuzzing looks for)
            raise Finding(
                target=self.name,
                seed=seed,
                case=case,
                rng_seed=rng_seed,
                reason=f"{type(error).__module__}.{type(error).__qualname__}: {str(error)[:500]}",
            ) from error
        return "accepted"


class _RolledBack(Exception):
    pass


def _in_savepoint(action: Callable[[], object]) -> None:
    from django.db import transaction

    try:
        with transaction.atomic():
            action()
            raise _RolledBack
    except _RolledBack:
        pass


def _import_rejected() -> type[Exception]:
    from procurement.tabular import ImportRejected

    return ImportRejected


def _decp_refused() -> type[Exception]:
    from procurement.awards.reader import DecpRefused

    return DecpRefused


def _unsafe_document() -> type[Exception]:
    from procurement.specifications.docx.safety import UnsafeDocument

    return UnsafeDocument


def _validation_error() -> type[Exception]:
    from django.core.exceptions import ValidationError

    return ValidationError


def _files(folder: Path, *suffixes: str) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.suffix.lower() in suffixes and path.is_file())


def _corpus_seed(path: Path, kind: str) -> Seed:
    return Seed(name=str(path.relative_to(ROOT)), data=path.read_bytes(), kind=kind, filename=path.name)


# The three imports: (module, service, columns) and a few valid rows of each (tests/hostile_imports.py).
IMPORTS = {
    "markets": ("procurement.services.market_import", "import_markets"),
    "annexes": ("questionnaire.services.annex_import", "import_annexes"),
    "clause_hours": ("clauses.services.hours_import", "import_clause_hours"),
}


def _import_columns(path: str) -> list:
    import importlib

    module = importlib.import_module(IMPORTS[path][0])
    return list(getattr(module, "MODEL_COLUMNS", None) or module.IMPORT_COLUMNS)


def _model_seeds(path: str) -> list[Seed]:
    from procurement.tabular import model_file

    columns = _import_columns(path)
    seeds = []
    for file_format in ("csv", "xlsx", "ods"):
        data = model_file(columns, file_format=file_format, title=f"Modèle {path}")
        seeds.append(
            Seed(
                name=f"model_file({path}, {file_format})",
                data=data,
                kind="csv" if file_format == "csv" else "zip",
                filename=f"modele-{path}.{file_format}",
                options={"import": path},
            )
        )
    return seeds


def _rows_seed(path: str, *, count: int = 6) -> Seed:
    from tests.hostile_imports import csv_of, valid_rows

    return Seed(
        name=f"valid_rows({path}, {count}) as CSV",
        data=csv_of(valid_rows(path, count)),
        kind="csv",
        filename=f"{path}.csv",
        options={"import": path},
    )


@cache
def _header_of(data: bytes, filename: str) -> tuple[str, ...]:
    """The headings of a corpus file's first row, lower-cased: the columns the reading target allows for it, so
    that its rows are read (a file of another import's columns would stop at its header)."""
    from procurement import tabular
    from procurement.opendocument import ods_rows

    workbook = tabular._workbook_format(data)
    if workbook == "ods":
        rows = ods_rows(data, limited=True, max_rows=tabular.MAX_IMPORT_ROWS)
    elif workbook == "xlsx":
        rows = tabular._xlsx_rows(data, limited=True, max_rows=tabular.MAX_IMPORT_ROWS)
    else:
        rows = tabular._csv_rows(data)
    try:
        header = next(rows, None) or ()
    finally:
        rows.close()
    names = [tabular._cell_text(name).lower() if workbook else str(name).strip().lower() for name in header]
    return tuple(dict.fromkeys(name for name in names if name))


def _reading_seeds(suffixes: tuple[str, ...], kind: str) -> Callable[[], list[Seed]]:
    def seeds() -> list[Seed]:
        found = [_corpus_seed(path, kind) for path in _files(CORPUS / "imports", *suffixes)]
        models = [seed for path in IMPORTS for seed in _model_seeds(path) if seed.filename.endswith(suffixes)]
        return found + models

    return seeds


def _allowed_for(seed: Seed) -> list[str]:
    """A corpus file's own headings (read once, when its first case runs); none for a file refused as it is,
    whose mutations are read all the same."""
    from procurement.tabular import ImportRejected

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl on the parts it does not read
        try:
            return list(_header_of(seed.data, seed.filename))
        except ImportRejected:
            return []


def _read(seed: Seed, data: bytes, world: World | None) -> object:
    from procurement.tabular import read_table

    if "import" in seed.options:
        columns = _import_columns(seed.options["import"])
        names = [column.name for column in columns]
        return read_table(data, filename=seed.filename, allowed=names, required=[], columns=columns)
    return read_table(data, filename=seed.filename, allowed=_allowed_for(seed), required=[])


def _import_seeds() -> list[Seed]:
    return [seed for path in IMPORTS for seed in (*_model_seeds(path), _rows_seed(path))]


def _import(seed: Seed, data: bytes, world: World | None) -> object:
    import importlib

    module, function = IMPORTS[seed.options["import"]]
    service = getattr(importlib.import_module(module), function)
    return service(organisation=world.organisation, content=data, filename=seed.filename)


def _decp_seeds() -> list[Seed]:
    return [
        _corpus_seed(path, "json" if path.suffix == ".json" else "xml")
        for path in _files(CORPUS / "decp", ".json", ".xml")
    ]


def _read_decp(seed: Seed, data: bytes, world: World | None) -> object:
    from procurement.awards.normalise import normalise
    from procurement.awards.reader import read_records, sniff_format

    sniff_format(data[:4096])
    return [normalise(record) for record in read_records(io.BytesIO(data))]


def _import_decp(seed: Seed, data: bytes, world: World | None) -> object:
    from procurement.awards.services import import_decp

    organisation = world.organisation
    organisation.siren = decp_buyer_siren(seed.data)
    return import_decp(organisation=organisation, stream=io.BytesIO(data), filename=seed.filename)


@cache
def decp_buyer_siren(data: bytes) -> str:
    """The SIREN of the first buyer of a DECP file: the organisation a DECP case imports as (its contracts)."""
    from procurement.awards.reader import read_records
    from procurement.awards.services import _buyer_id

    for record in read_records(io.BytesIO(data)):
        buyer = _buyer_id(record.data, record.kind)
        if buyer[:9].isdigit():
            return buyer[:9]
    return "217500016"


def _egapro_seeds() -> list[Seed]:
    from tests.registers.factories import csv_file, sample_rows, xlsx_file

    rows = sample_rows()
    return [
        Seed("registers factories: xlsx_file(sample_rows())", xlsx_file(rows), "zip", "index-egalite-fh.xlsx"),
        Seed("registers factories: csv_file(sample_rows())", csv_file(rows), "csv", "index-egalite-fh.csv"),
    ]


def _import_egapro(seed: Seed, data: bytes, world: World | None) -> object:
    from registers.services import import_egapro

    return import_egapro(content=data, filename=seed.filename)


TARGETS = {
    target.name: target
    for target in (
        Target(
            "csv",
            "procurement.tabular.read_table : CSV du corpus et modèles",
            _reading_seeds((".csv",), "csv"),
            _read,
            _import_rejected,
        ),
        Target(
            "xlsx",
            "procurement.tabular.read_table : XLSX du corpus et modèles",
            _reading_seeds((".xlsx",), "zip"),
            _read,
            _import_rejected,
        ),
        Target(
            "ods",
            "procurement.tabular.read_table (procurement/opendocument.py) : ODS du corpus et modèles",
            _reading_seeds((".ods",), "zip"),
            _read,
            _import_rejected,
        ),
        Target(
            "imports",
            "import_markets, import_annexes, import_clause_hours : modèles et lignes valides",
            _import_seeds,
            _import,
            _import_rejected,
            needs_database=True,
        ),
        Target(
            "decp",
            "procurement/awards/reader.py (read_records, sniff_format) puis normalise",
            _decp_seeds,
            _read_decp,
            _decp_refused,
        ),
        Target(
            "decp-import",
            "procurement.awards.services.import_decp",
            _decp_seeds,
            _import_decp,
            _decp_refused,
            needs_database=True,
        ),
        Target(
            "egapro",
            "registers.services.import_egapro : fichiers des tests de tests/registers/",
            _egapro_seeds,
            _import_egapro,
            _import_rejected,
            needs_database=True,
        ),
        Target(
            "stamping",
            "procurement/specifications/docx : stamp_docx, le document complété relu ; corpus docx/public et "
            "documents des tests",
            document_targets.stamping_seeds,
            document_targets.run_stamping,
            _unsafe_document,
            mutations=document_cases,
        ),
        Target(
            "attachments",
            "questionnaire/services/attachments.py : check_upload et sniff_content_type ; corpus attachments",
            document_targets.attachment_seeds,
            document_targets.run_attachment,
            _validation_error,
            mutations=document_cases,
        ),
    )
}


def make_world() -> World:
    """An organisation and the markets the files of the three imports refer to (tests/hostile_imports.py), as
    tests/hostile_child.py builds them; needs the database."""
    from procurement.models import Organisation
    from tests.hostile_imports import MARKET_REFERENCES, create_reference_markets

    existing = Organisation.objects.filter(slug="fuzz").first()
    if existing is not None:
        return World(organisation=existing)
    organisation = Organisation.objects.create(name="Fuzz", slug="fuzz", siren="217500016")
    create_reference_markets(organisation, [*MARKET_REFERENCES, *_model_market_references()])
    return World(organisation=organisation)


def _model_market_references() -> list[str]:
    """The market references the model files' example rows name (so that their rows import as they are)."""
    from tests.hostile_imports import MARKET_REFERENCES

    references = []
    for path in IMPORTS:
        for column in _import_columns(path):
            if column.name == "market_reference" and column.example:
                references.append(column.example)
    return [reference for reference in dict.fromkeys(references) if reference not in MARKET_REFERENCES]
