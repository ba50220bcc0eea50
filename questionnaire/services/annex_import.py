"""`import_annexes` and the upload page share this code: all or nothing, every bad row named.

Columns: those of `import_annexes` (docs/formats.md), in any order; `name` and `submitted_at` are required, the
others optional (a missing column leaves the answer blank, or unchanged when the row updates a response). The
columns an export adds (`receipt_number`, `market_title`, `source`) are accepted and ignored, so that an export
can be imported back.

Choices made for rows that the online form would refuse or never produce:
- a commitment answered « oui » without detail is accepted: earlier tools did not always ask for one; a detail
  given with « non » is refused (the answer is contradictory); a blank commitment reads as « non »;
- a blank headcount reads as 0;
- an index score is accepted whatever the headcount (the statistics only count it from 50 employees);
- a share of women on the board given with `has_board` = non is refused;
- `submitted_at` may be a date alone (midnight, Paris time) and may not lie in the future.

A row is identified by (organisation, structure, `submitted_at`), a unique constraint: importing it again
updates that response (its answers and market; its source and receipt number stay), so the same file twice
changes nothing.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from procurement import locks
from procurement.models import Market, Organisation, User
from procurement.spreadsheets import restore
from procurement.tabular import (
    MAX_IMPORT_BYTES,
    CellError,
    ErrorList,
    ImportColumn,
    ImportRejected,
    RowError,
    RowReader,
    choice_spellings,
    french_date_time,
    parse_choice,
    parse_decimal,
    parse_siret,
    parse_text,
    parse_yes_no,
    shortened,
    stream_table,
    too_long_for_a_value,
)
from procurement.timezones import PARIS
from procurement.validators import is_ascii_digits
from questionnaire import exports
from questionnaire.enums import (
    HEADCOUNT_FIELDS,
    OFFICER_FIELDS,
    Commitment,
    EqualityIndexStatus,
    OfficerGender,
    ResponseSource,
)
from questionnaire.exports import EXPORT_ONLY_COLUMNS, IMPORT_COLUMNS, NOT_COMPUTABLE
from questionnaire.models import COMMITMENT_DETAIL_MAX_LENGTH, POLICY_TEXT_MAX_LENGTH, AnnexResponse
from questionnaire.services.latest import refresh_latest
from questionnaire.services.responses import fill_identity
from questionnaire.structures import structure_key

COLUMNS = IMPORT_COLUMNS
REQUIRED_COLUMNS = ["name", "submitted_at"]
# The columns as the page and the model files show them (French heading, what each holds, an example row that
# imports as it is); the export's own columns are accepted (and ignored) under their French heading too.
MODEL_COLUMNS = [
    ImportColumn(
        column.key,
        column.heading,
        f"{column.label} ({column.format}).",
        column.example,
        required=column.key in REQUIRED_COLUMNS,
    )
    for column in exports.COLUMNS
    if column.importable
]
EXPORT_ONLY = [ImportColumn(column.key, column.heading) for column in exports.COLUMNS if not column.importable]
NAME_MAX_LENGTH = AnnexResponse._meta.get_field("structure_name").max_length
HEADCOUNT_COLUMNS = HEADCOUNT_FIELDS
HEADCOUNT_MAXIMUM = 10_000_000
OFFICER_COLUMNS = list(OFFICER_FIELDS)
# F, H, NB, NSP or their French label (Femme…), « sans objet »; accents and case ignored.
OFFICER_CHOICES = choice_spellings(OfficerGender, {"sans objet": OfficerGender.NOT_APPLICABLE})
PERCENT_COLUMNS = ["board_women_pct", "volunteers_women_pct"]


@dataclass(frozen=True)
class AnnexImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def summary(self) -> str:
        return f"{self.created} réponse(s) créée(s), {self.updated} mise(s) à jour, {self.unchanged} inchangée(s)."


def import_annexes(
    *,
    organisation: Organisation,
    content: bytes,
    filename: str,
    entered_by: User | None = None,
    max_bytes: int | None = MAX_IMPORT_BYTES,
) -> AnnexImportResult:
    """Reads, checks every row, then saves all rows or none (ImportRejected lists every error).

    `max_bytes` bounds a web upload; the command, reading a file the operator chose, passes None.
    """
    # The rows one at a time: a file of bad rows is never held whole, only its first reasons (ErrorList).
    columns, rows = stream_table(
        content,
        filename=filename,
        allowed=[*COLUMNS, *EXPORT_ONLY_COLUMNS],
        required=REQUIRED_COLUMNS,
        max_bytes=max_bytes,
        columns=[*MODEL_COLUMNS, *EXPORT_ONLY],
    )
    markets = dict(
        Market.objects.for_organisation(organisation).values_list("reference", "pk")
        if "market_reference" in columns
        else []
    )
    now = timezone.now()
    errors = ErrorList()
    parsed: dict[tuple[str, datetime.datetime], tuple[int, dict]] = {}
    for line, row in rows:
        values, row_errors = _parse_row(line, row, markets=markets, now=now)
        errors.extend(row_errors)
        if row_errors:
            continue
        key = (structure_key(siret=values.get("siret", ""), name=values["structure_name"]), values["submitted_at"])
        if key in parsed:
            first_line = parsed[key][0]
            errors.append(
                RowError(line, "submitted_at", f"même structure et même date d'envoi que la ligne {first_line}")
            )
            continue
        parsed[key] = (line, values)
    if errors:
        raise ImportRejected(errors)
    return _save(organisation=organisation, rows=parsed, entered_by=entered_by)


def _parse_row(line: int, row: dict[str, str], *, markets: dict[str, int], now) -> tuple[dict, list[RowError]]:
    cells = RowReader(line, row)
    cells.read("siret", parse_siret, blank="")
    cells.read("name", _text(NAME_MAX_LENGTH), field="structure_name", required=True)
    cells.read("submitted_at", lambda text: _parse_moment(text, now=now), required=True)
    cells.read("market_reference", lambda text: _parse_market(text, markets), field="market_id")
    for column in HEADCOUNT_COLUMNS:
        cells.read(column, _parse_headcount, blank=0)
    cells.read("has_board", parse_yes_no)
    for column in PERCENT_COLUMNS:
        cells.read(column, _parse_percent)
    for column in OFFICER_COLUMNS:
        cells.read(column, _parse_officer, blank="")
    cells.read("policy_text", _text(POLICY_TEXT_MAX_LENGTH), blank="")
    cells.read("index_score", _parse_index, field="index", blank=("", None))
    for key in Commitment.values:
        cells.read(f"commitment_{key}", parse_yes_no, blank=False)
        cells.read(f"commitment_{key}_detail", _text(COMMITMENT_DETAIL_MAX_LENGTH), blank="")

    values = cells.values
    if values.get("has_board") is False and values.get("board_women_pct") is not None:
        cells.error("board_women_pct", "une part de femmes au CA est donnée alors que has_board vaut « non »")
    if "index" in values:
        values["equality_index_status"], values["equality_index_score"] = values.pop("index")
    for key in Commitment.values:
        if values.get(f"commitment_{key}") is False and values.get(f"commitment_{key}_detail"):
            cells.error(
                f"commitment_{key}_detail",
                f"détail donné alors que commitment_{key} vaut « non » : indiquez « oui » ou videz le détail",
            )
    return values, cells.errors


def _text(max_length: int | None):
    """Text as the export wrote it: the quote that neutralised a formula-like cell is removed first."""

    def parse(text: str) -> str:
        return parse_text(restore(text), max_length=max_length)

    return parse


_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # date
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?"  # time, seconds and fraction optional
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"  # offset
)


def _parse_moment(text: str, *, now: datetime.datetime) -> datetime.datetime:
    reason = (
        f"« {text} » n'est pas une date : écrivez JJ/MM/AAAA ou JJ/MM/AAAA HH:MM (heure de Paris), ou en ISO "
        "8601 AAAA-MM-JJ, AAAA-MM-JJTHH:MM:SS (heure de Paris) ou AAAA-MM-JJTHH:MM:SS+01:00"
    )
    try:
        french = french_date_time(text)
        if french is not None:
            day, time = french
            moment = datetime.datetime.combine(day, time or datetime.time(0, 0))
        elif _ISO_MOMENT.fullmatch(text):
            moment = datetime.datetime.fromisoformat(text)
        else:
            raise ValueError(text)
    except ValueError:
        raise CellError(reason) from None
    if timezone.is_naive(moment):
        # A time without offset is Europe/Paris time (docs/formats.md); fold=0 picks the first of an ambiguous hour.
        moment = moment.replace(tzinfo=PARIS)
    if moment > now:
        raise CellError(f"« {text} » est une date future")
    return moment.astimezone(datetime.UTC)


def _parse_market(text: str, markets: dict[str, int]) -> int:
    if text not in markets:
        raise CellError(f"aucun marché de votre organisation n'a la référence « {shortened(text)} »")
    return markets[text]


def _parse_headcount(text: str) -> int:
    if not is_ascii_digits(text):
        if text.startswith("-") and is_ascii_digits(text[1:]):
            raise CellError(f"« {text} » : un effectif ne peut pas être négatif")
        raise CellError(f"« {text} » : un effectif est un nombre entier positif ou nul")
    digits = _without_leading_zeros(text)
    # Compared by length first: int() refuses more than 4,300 digits (ValueError, a server error, not a reason).
    if len(digits) > len(str(HEADCOUNT_MAXIMUM)) or int(digits) > HEADCOUNT_MAXIMUM:
        raise CellError(f"« {text} » : effectif invraisemblable (au plus {HEADCOUNT_MAXIMUM})")
    return int(digits)


def _without_leading_zeros(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _parse_percent(text: str) -> Decimal:
    value = parse_decimal(text.removesuffix("%").strip(), places=2)
    if not Decimal(0) <= value <= Decimal(100):
        raise CellError(f"« {text} » : un pourcentage est compris entre 0 et 100")
    return value


def _parse_officer(text: str) -> str:
    return parse_choice(text, choices=OFFICER_CHOICES, listed="F, H, NB, NSP, « sans objet » ou vide")


def _parse_index(text: str) -> tuple[str, int | None]:
    if not too_long_for_a_value(text) and " ".join(text.lower().split()) == NOT_COMPUTABLE:
        return EqualityIndexStatus.NOT_COMPUTABLE, None
    digits = _without_leading_zeros(text)
    if not is_ascii_digits(text) or len(digits) > 3 or int(digits) > 100:
        raise CellError(f"« {text} » : la note de l'index est un nombre entier de 0 à 100, ou « {NOT_COMPUTABLE} »")
    return EqualityIndexStatus.SCORE, int(digits)


@transaction.atomic
def _save(
    *, organisation: Organisation, rows: dict[tuple[str, datetime.datetime], tuple[int, dict]], entered_by: User | None
) -> AnnexImportResult:
    # One import of an organisation at a time: the same file sent twice at once would otherwise find the same rows
    # missing and add each twice (the second one refused by the database: one response per structure and instant).
    locks.hold(purpose=locks.ANNEX_IMPORT, organisation_id=organisation.pk)
    existing: dict[tuple[str, datetime.datetime], AnnexResponse] = {}
    keys = set(rows)
    # A moment given to the second (as the export writes it) finds the response sent during that second: the
    # responses of these structures between the first and the last moment are read, then matched here.
    moments = [moment for _, moment in keys]
    if moments:
        for response in AnnexResponse.objects.select_for_update().filter(
            organisation=organisation,
            structure_key__in={key for key, _ in keys},
            submitted_at__gte=min(moments),
            submitted_at__lt=max(moments) + datetime.timedelta(seconds=1),
        ):
            exact = (response.structure_key, response.submitted_at)
            to_the_second = (response.structure_key, response.submitted_at.replace(microsecond=0))
            if exact in keys:
                existing[exact] = response
            elif to_the_second in keys:
                existing.setdefault(to_the_second, response)
    created: list[AnnexResponse] = []
    changed: list[AnnexResponse] = []
    changed_fields: set[str] = set()
    unchanged = 0
    now = timezone.now()
    for key, (_line, values) in rows.items():
        submitted_at = values.pop("submitted_at")
        response = existing.get(key)
        if response is None:
            response = AnnexResponse(
                organisation=organisation, source=ResponseSource.IMPORT, entered_by=entered_by, **values
            )
            fill_identity(response, submitted_at=submitted_at)
            created.append(response)
            continue
        differences = [name for name, value in values.items() if getattr(response, name) != value]
        if not differences:
            unchanged += 1
            continue
        for name in differences:
            setattr(response, name, values[name])
        response.updated_at = now  # bulk_update does not apply auto_now
        fill_identity(response)
        changed.append(response)
        changed_fields.update(differences)
    if created:
        AnnexResponse.objects.bulk_create(created, batch_size=500)
    if changed:
        AnnexResponse.objects.bulk_update(changed, [*changed_fields, "siren", "updated_at"], batch_size=500)
    if created:
        # A rewritten row keeps its structure and instant (it is found by them): only new rows move the latest.
        refresh_latest(organisation_id=organisation.pk, structure_keys=[row.structure_key for row in created])
    return AnnexImportResult(created=len(created), updated=len(changed), unchanged=unchanged)
