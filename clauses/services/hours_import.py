"""`import_clause_hours` and the upload page share this code: all or nothing, every bad line named.

Columns (docs/formats.md): market_reference, participant_ref, sex, birth_year, employer_siret, job_label,
job_dominance, contract_type, month, hours. Re-importing the same (participant, market, employer, month)
replaces its hours, so a file imported twice counts once.

Rows are many (a year of a large territory is ~100,000; the benchmark imports 1,000,000): every cell is
parsed once per distinct text (memoised), and the database is written with a few set-based statements
(procurement.bulk's upsert: on PostgreSQL, COPY into a staging table and one INSERT ... ON CONFLICT).
"""

import calendar
import datetime
import gc
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clauses.enums import CONTRACT_TYPE_SPELLINGS as FRENCH_CONTRACT_TYPES
from clauses.enums import JOB_DOMINANCE_SPELLINGS as FRENCH_DOMINANCES
from clauses.enums import ContractType, JobDominance, Sex
from clauses.models import (
    ClauseSettings,
    Employer,
    HoursRecord,
    InsertionClause,
    JobReference,
    Mission,
    Participant,
    normalise_label,
)
from clauses.services.participants import clause_from_market, missing_clause_reason
from procurement import locks
from procurement.bulk import upsert
from procurement.french import months, number
from procurement.models import Market, Organisation
from procurement.tabular import (
    MAX_IMPORT_BYTES,
    CellError,
    ErrorList,
    ImportColumn,
    ImportRejected,
    RowError,
    choice_spellings,
    french_choices,
    parse_choice,
    parse_decimal,
    parse_month,
    parse_siret,
    parse_text,
    quoted_shortly,
    shortened,
    stream_table,
)
from procurement.validators import is_ascii_digits

DOMINANCE_VALUES = [JobDominance.FEMALE, JobDominance.MALE, JobDominance.MIXED]
SEX_SPELLINGS = choice_spellings(Sex)
CONTRACT_TYPE_SPELLINGS = choice_spellings(ContractType, FRENCH_CONTRACT_TYPES)
DOMINANCE_SPELLINGS = {
    key: value for key, value in choice_spellings(JobDominance, FRENCH_DOMINANCES).items() if value in DOMINANCE_VALUES
}
# The columns of `import_clause_hours` (docs/formats.md): technical name, French label (the page, the model
# files), what each holds and an example that imports as it is (once the market 2026-VOIRIE-01 has a clause).
IMPORT_COLUMNS = [
    ImportColumn(
        "market_reference",
        "Référence du marché",
        "Référence d'un marché de l'organisation qui a une clause d'insertion (ou des heures prévues).",
        "2026-VOIRIE-01",
        required=True,
    ),
    ImportColumn(
        "participant_ref",
        "Identifiant participant·e",
        "Identifiant pseudonyme, le même d'un fichier à l'autre (jamais le nom de la personne).",
        "P-0001",
        required=True,
        aliases=("Identifiant participant", "Identifiant de la personne", "Référence participant"),
    ),
    ImportColumn("sex", "Sexe", f"{french_choices(Sex)}.", "Femme", required=True),
    ImportColumn("birth_year", "Année de naissance", "Quatre chiffres, facultative.", "1994"),
    ImportColumn(
        "employer_siret",
        "SIRET de l'employeur",
        "14 chiffres (espaces acceptés).",
        "732 829 320 00074",
        required=True,
        aliases=("SIRET employeur", "SIRET"),
    ),
    ImportColumn("job_label", "Métier", "Intitulé du poste occupé.", "Agent·e d'entretien", required=True),
    ImportColumn(
        "job_dominance",
        "Dominante du métier",
        "« à dominante féminine », « à dominante masculine », « mixte » (ou female, male, mixed) ; vide : déduite "
        "de la liste des métiers de l'organisation quand l'intitulé y figure, sinon non renseignée.",
        "à dominante féminine",
        aliases=("Dominante",),
    ),
    ImportColumn(
        "contract_type",
        "Type de contrat",
        f"{french_choices(ContractType)}.",
        "Intérim",
        required=True,
        aliases=("Contrat",),
    ),
    ImportColumn("month", "Mois", "MM/AAAA ou AAAA-MM.", "01/2027", required=True),
    ImportColumn(
        "hours",
        "Heures",
        "Heures du mois, nombre positif, 2 décimales au plus (virgule acceptée).",
        "151,67",
        required=True,
        aliases=("Nombre d'heures", "Heures travaillées"),
    ),
]
COLUMNS = [column.name for column in IMPORT_COLUMNS]
REQUIRED_COLUMNS = [column.name for column in IMPORT_COLUMNS if column.required]
REFERENCE_MAX_LENGTH = Participant._meta.get_field("reference").max_length
JOB_LABEL_MAX_LENGTH = Mission._meta.get_field("job_label").max_length
# A month has at most 31 × 24 hours: more is a typing error, not a statement.
MAX_HOURS_PER_MONTH = Decimal(744)
UPSERT_BATCH = 1000


@dataclass(frozen=True)
class HoursImportResult:
    rows: int
    participants: int
    missions: int
    hours: Decimal
    clauses_created: int
    replaced: int = 0
    replaced_months: tuple[datetime.date, ...] = ()

    @property
    def summary(self) -> str:
        text = (
            f"{self.rows} ligne(s) importée(s) : {number(self.hours)} heures pour {self.participants} "
            f"participant·e(s) et {self.missions} mission(s)."
        )
        if self.replaced:
            text += (
                f" {self.replaced} relevé(s) mensuel(s) déjà enregistré(s) ont été remplacé(s) par ceux du fichier "
                f"(mois de {months(list(self.replaced_months))}) : leurs heures ne sont pas ajoutées deux fois."
            )
        if self.clauses_created:
            text += (
                f" {self.clauses_created} clause(s) d'insertion créée(s) depuis les heures prévues et les dates "
                "d'exécution des marchés."
            )
        return text


@dataclass
class _Mission:
    line: int
    participant_ref: str
    market_id: int
    siret: str
    contract_type: str
    job_label: str
    job_dominance: str
    first_month: datetime.date
    last_month: datetime.date


class _Memo:
    """Parses each distinct text once; remembers errors too."""

    __slots__ = ("parse", "cache")

    def __init__(self, parse: Callable[[str], object]):
        self.parse = parse
        self.cache: dict[str, object] = {}

    def __call__(self, text: str):
        try:
            return self.cache[text]
        except KeyError:
            try:
                value = self.parse(text)
            except CellError as error:
                # Its reason as RowReader gives it: the cell quoted at most MAX_QUOTED_CHARACTERS long.
                value = CellError(quoted_shortly(str(error), text))
            self.cache[text] = value
            return value


def import_clause_hours(
    *, organisation: Organisation, content: bytes, filename: str, max_bytes: int | None = MAX_IMPORT_BYTES
) -> HoursImportResult:
    with _without_cyclic_gc():
        # The rows one at a time: a file of bad rows is never held whole, only its first reasons (ErrorList).
        _columns, rows = stream_table(
            content,
            filename=filename,
            allowed=COLUMNS,
            required=REQUIRED_COLUMNS,
            max_bytes=max_bytes,
            columns=IMPORT_COLUMNS,
        )
        parsed = _Parser(organisation).parse(rows)
        return _save(organisation=organisation, parsed=parsed)


def import_clause_hours_rows(
    *, organisation: Organisation, rows: list[tuple[int, dict[str, str]]]
) -> HoursImportResult:
    """The same import from rows already split into cells (the API's JSON statements): (number, {column: text})
    pairs, the number naming the row in errors. Same checks, same all-or-nothing, same replacement of hours."""
    if not rows:
        raise ImportRejected(["Aucun relevé à importer."])
    parsed = _Parser(organisation).parse(rows)
    return _save(organisation=organisation, parsed=parsed)


@contextmanager
def _without_cyclic_gc():
    """A million rows are millions of live dicts and tuples: Python's cycle collector walked them all again and
    again while they were built (half of the reading time in the benchmark). They hold no reference cycles, so
    the collector is paused during the import and resumed after it, whatever happens."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Parsed:
    rows: int
    participants: dict[str, tuple[str, int | None]]
    missions: dict[tuple[str, int, str], _Mission]
    hours: list[tuple[tuple[str, int, str], datetime.date, Decimal]]
    clauses_to_create: dict[int, Market]


class _Parser:
    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        self.markets = {market.reference: market for market in Market.objects.filter(organisation=organisation)}
        self.markets_with_clause = set(
            InsertionClause.objects.filter(market__organisation=organisation).values_list("market_id", flat=True)
        )
        settings = ClauseSettings.objects.filter(organisation=organisation).first() or ClauseSettings()
        jobs = JobReference.objects.filter(organisation=organisation)
        shares = dict(jobs.values_list("normalised_label", "women_share"))
        self.clauses_to_create: dict[int, Market] = {}
        self.this_year = timezone.localdate().year
        self.dominance_of_label = _Memo(lambda label: settings.dominance_of(shares.get(normalise_label(label))))
        self.parsers = {
            "market_reference": _Memo(self._market),
            "participant_ref": _Memo(_text(REFERENCE_MAX_LENGTH)),
            "sex": _Memo(_sex),
            "birth_year": _Memo(self._birth_year),
            "employer_siret": _Memo(_siret),
            "job_label": _Memo(_text(JOB_LABEL_MAX_LENGTH)),
            "job_dominance": _Memo(_dominance),
            "contract_type": _Memo(_contract_type),
            "month": _Memo(parse_month),
            "hours": _Memo(_hours),
        }

    def parse(self, rows: Iterable[tuple[int, dict[str, str]]]) -> _Parsed:
        errors = ErrorList()
        participants: dict[str, tuple[int, str, int | None]] = {}
        missions: dict[tuple[str, int, str], _Mission] = {}
        seen: dict[tuple[tuple[str, int, str], datetime.date], int] = {}
        hours: list[tuple[tuple[str, int, str], datetime.date, Decimal]] = []
        optional = {"birth_year": None, "job_dominance": ""}

        # The hot loop of a million-row import: one dictionary look-up per cell once its text has been seen.
        columns = [(column, memo.cache, memo) for column, memo in self.parsers.items()]
        for line, row in rows:
            values = {}
            bad = False
            for column, cache, parse in columns:
                text = row.get(column, "")
                value = cache.get(text)
                if value is None:
                    if not text:
                        if column in optional:
                            values[column] = optional[column]
                            continue
                        errors.append(RowError(line, column, "valeur obligatoire manquante"))
                        bad = True
                        continue
                    value = parse(text)
                if isinstance(value, CellError):
                    errors.append(RowError(line, column, str(value)))
                    bad = True
                else:
                    values[column] = value
            if bad:
                continue

            reference, sex, birth_year = values["participant_ref"], values["sex"], values["birth_year"]
            known = participants.get(reference)
            if known is None:
                participants[reference] = (line, sex, birth_year)
            elif known[1] != sex:
                errors.append(RowError(line, "sex", f"« {sex} » diffère du sexe donné ligne {known[0]} ({known[1]})"))
                continue
            elif known[2] != birth_year:
                errors.append(
                    RowError(
                        line,
                        "birth_year",
                        f"« {birth_year or ''} » diffère de l'année donnée ligne {known[0]} ({known[2] or 'vide'})",
                    )
                )
                continue

            market_id, siret, month = values["market_reference"], values["employer_siret"], values["month"]
            key = (reference, market_id, siret)
            first_line = seen.get((key, month))
            if first_line is not None:
                errors.append(
                    RowError(
                        line,
                        "month",
                        f"le mois {month:%Y-%m} figure déjà ligne {first_line} pour ce·tte participant·e, ce marché "
                        "et cet employeur",
                    )
                )
                continue
            seen[(key, month)] = line
            hours.append((key, month, values["hours"]))

            dominance = values["job_dominance"] or self.dominance_of_label(values["job_label"])
            mission = missions.get(key)
            if mission is None:
                missions[key] = _Mission(
                    line, reference, market_id, siret, values["contract_type"], values["job_label"], dominance,
                    month, month,
                )  # fmt: skip
                continue
            mission.first_month = min(mission.first_month, month)
            if month >= mission.last_month:
                # The latest month's statement describes the contract as it stands.
                mission.last_month = month
                mission.contract_type = values["contract_type"]
                mission.job_label = values["job_label"]
                mission.job_dominance = dominance

        if errors:
            raise ImportRejected(errors)
        return _Parsed(
            rows=len(hours),
            participants={reference: (sex, year) for reference, (_, sex, year) in participants.items()},
            missions=missions,
            hours=hours,
            clauses_to_create=self.clauses_to_create,
        )

    def _market(self, text: str) -> int:
        market = self.markets.get(text)
        if market is None:
            raise CellError(f"aucun marché de votre organisation n'a la référence « {shortened(text)} »")
        if market.pk in self.markets_with_clause:
            return market.pk
        reason = missing_clause_reason(market)
        if reason is not None:
            raise CellError(reason)
        self.clauses_to_create[market.pk] = market
        return market.pk

    def _birth_year(self, text: str) -> int:
        if not (len(text) == 4 and is_ascii_digits(text)) or not 1900 <= int(text) <= self.this_year:
            raise CellError(f"« {text} » n'est pas une année de naissance (quatre chiffres, 1900 à {self.this_year})")
        return int(text)


def _text(max_length: int) -> Callable[[str], str]:
    return lambda text: parse_text(text, max_length=max_length)


def _sex(text: str) -> str:
    return parse_choice(text, choices=SEX_SPELLINGS, listed=", ".join(Sex.values))


def _contract_type(text: str) -> str:
    return parse_choice(text, choices=CONTRACT_TYPE_SPELLINGS, listed=", ".join(ContractType.values))


def _dominance(text: str) -> str:
    return parse_choice(text, choices=DOMINANCE_SPELLINGS, listed=f"{', '.join(DOMINANCE_VALUES)}, ou vide")


def _siret(text: str) -> str:
    return parse_siret(text, quote_value=False)


def _hours(text: str) -> Decimal:
    value = parse_decimal(text, places=2)
    if value <= 0:
        raise CellError(f"« {text} » doit être supérieur à 0")
    if value > MAX_HOURS_PER_MONTH:
        raise CellError(f"« {text} » dépasse {MAX_HOURS_PER_MONTH} heures, le maximum d'un mois")
    return value.quantize(Decimal("0.01"))


def last_day_of(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@transaction.atomic
def _save(*, organisation: Organisation, parsed: _Parsed) -> HoursImportResult:
    # One hours import of an organisation at a time: the same statement sent twice at once (a double click, a
    # retried API call) would otherwise record the same clauses twice, or deadlock on the rows both write.
    locks.hold(purpose=locks.CLAUSE_HOURS, organisation_id=organisation.pk)
    clauses_to_create = _still_without_clause(parsed.clauses_to_create)
    InsertionClause.objects.bulk_create([clause_from_market(market) for market in clauses_to_create])
    participant_ids = _save_participants(organisation, parsed.participants)
    employer_ids = _save_employers(organisation, {key[2] for key in parsed.missions})
    mission_ids = _save_missions(organisation, parsed.missions, participant_ids, employer_ids)
    rows = [(mission_ids[key], month, hours) for key, month, hours in parsed.hours]
    replaced = _already_stored(organisation, rows)
    write_hours(rows)
    return HoursImportResult(
        rows=len(rows),
        participants=len(parsed.participants),
        missions=len(parsed.missions),
        hours=sum((hours for _, _, hours in rows), Decimal("0.00")),
        clauses_created=len(clauses_to_create),
        replaced=len(replaced),
        replaced_months=tuple(sorted({month for _, month in replaced})),
    )


def _still_without_clause(markets: dict[int, Market]) -> list[Market]:
    """The markets read without a clause that still have none, locked (clauses.services.participants.lock_market):
    a clause saved by hand, or a mission's, may have been recorded since the file was read."""
    if not markets:
        return []
    locked = (
        Market.objects.select_for_update(no_key=True)
        .filter(pk__in=markets)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = list(locked)
    recorded = set(InsertionClause.objects.filter(market__in=locked).values_list("market_id", flat=True))
    return [markets[pk] for pk in locked if pk not in recorded]


def _already_stored(organisation: Organisation, rows: list[tuple]) -> set[tuple[int, datetime.date]]:
    """The (mission, month) of `rows` that already have hours: the import replaces them."""
    keys = {(mission_id, month) for mission_id, month, _ in rows}
    stored = HoursRecord.objects.filter(
        mission__participant__organisation=organisation, month__in={month for _, month in keys}
    ).values_list("mission_id", "month")
    return {key for key in stored.iterator(chunk_size=10_000) if key in keys}


def _save_participants(organisation: Organisation, participants: dict[str, tuple[str, int | None]]) -> dict[str, int]:
    existing = {
        reference: (sex, year)
        for reference, sex, year in Participant.objects.filter(organisation=organisation).values_list(
            "reference", "sex", "birth_year"
        )
    }
    changed = [
        (organisation.pk, reference, sex, year)
        for reference, (sex, year) in participants.items()
        if existing.get(reference) != (sex, year)
    ]
    write_participants(changed)
    return dict(Participant.objects.filter(organisation=organisation).values_list("reference", "pk"))


def write_participants(rows: list[tuple[int, str, str, int | None]]) -> None:
    """Stores (organisation id, reference, sex, birth year) rows. The statement is the latest word on sex and birth
    year: a participant already known by its reference is updated."""
    upsert(
        model=Participant,
        fields=["organisation_id", "reference", "sex", "birth_year"],
        rows=rows,
        unique_fields=["organisation_id", "reference"],
        update_fields=["sex", "birth_year"],
    )


def write_hours(rows: list[tuple[int, datetime.date, Decimal]]) -> None:
    """Stores (mission id, month, hours) rows: a month already stored for its mission gets the new hours."""
    upsert(
        model=HoursRecord,
        fields=["mission_id", "month", "hours"],
        rows=rows,
        unique_fields=["mission_id", "month"],
        update_fields=["hours"],
    )


def _save_employers(organisation: Organisation, sirets: set[str]) -> dict[str, int]:
    known = dict(Employer.objects.filter(organisation=organisation).values_list("siret", "pk"))
    new = [Employer(organisation=organisation, siret=siret) for siret in sirets if siret not in known]
    if new:
        Employer.objects.bulk_create(new, batch_size=UPSERT_BATCH, ignore_conflicts=True)
        known = dict(Employer.objects.filter(organisation=organisation).values_list("siret", "pk"))
    return known


def _save_missions(
    organisation: Organisation,
    missions: dict[tuple[str, int, str], _Mission],
    participant_ids: dict[str, int],
    employer_ids: dict[str, int],
) -> dict[tuple[str, int, str], int]:
    fields = ("participant_id", "market_id", "employer_id", "pk", "contract_type", "job_label", "job_dominance")
    existing = {
        (row[0], row[1], row[2]): row[3:]
        for row in Mission.objects.filter(participant__organisation=organisation).values_list(*fields, "start", "end")
    }
    latest_months = dict(
        HoursRecord.objects.filter(mission__participant__organisation=organisation)
        .values("mission_id")
        .annotate(latest=Max("month"))
        .values_list("mission_id", "latest")
        .order_by()
    )
    writes = []
    for key, mission in missions.items():
        ids = (participant_ids[key[0]], mission.market_id, employer_ids[key[2]])
        start, end = mission.first_month, last_day_of(mission.last_month)
        described = (mission.contract_type, mission.job_label, mission.job_dominance)
        stored = existing.get(ids)
        if stored is not None:
            pk, stored_contract, stored_label, stored_dominance, stored_start, stored_end = stored
            # Hours widen a mission's dates; an ongoing mission (no end) stays ongoing.
            start = min(start, stored_start) if stored_start else start
            end = None if stored_end is None and stored_start is not None else max(end, stored_end or end)
            if latest_months.get(pk, mission.last_month) > mission.last_month:
                # A later month is already stored: its statement still describes the contract (« le relevé du
                # mois le plus récent », docs/formats.md), not this file's earlier months.
                described = (stored_contract, stored_label, stored_dominance)
            if (*described, start, end) == (
                stored_contract, stored_label, stored_dominance, stored_start, stored_end
            ):  # fmt: skip
                continue
        writes.append((*ids, *described, start, end))
    updated = ["contract_type", "job_label", "job_dominance", "start", "end"]
    upsert(
        model=Mission,
        fields=["participant_id", "market_id", "employer_id", *updated],
        rows=writes,
        unique_fields=["participant_id", "market_id", "employer_id"],
        update_fields=updated,
    )
    by_ids = {
        (participant_id, market_id, employer_id): pk
        for participant_id, market_id, employer_id, pk in Mission.objects.filter(
            participant__organisation=organisation
        ).values_list("participant_id", "market_id", "employer_id", "pk")
    }
    return {
        key: by_ids[(participant_ids[key[0]], mission.market_id, employer_ids[key[2]])]
        for key, mission in missions.items()
    }
