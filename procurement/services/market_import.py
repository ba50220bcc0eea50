"""`import_markets` and the upload page share this code: all or nothing, every bad row named."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from procurement import locks
from procurement.enums import MarketType, Procedure
from procurement.models import Market, Organisation
from procurement.tabular import (
    DATE_FORMATS,
    ErrorList,
    ImportColumn,
    ImportRejected,
    RowError,
    RowReader,
    choice_spellings,
    french_choices,
    parse_choice,
    parse_cpv,
    parse_date,
    parse_datetime_paris,
    parse_decimal,
    parse_text,
    parse_yes_no,
    stream_table,
)

# The columns of `import_markets` (docs/formats.md): technical name, French label (the page, the model files),
# what each holds and an example that imports as it is.
IMPORT_COLUMNS = [
    ImportColumn(
        "reference",
        "Référence",
        "Référence du marché, unique\u00a0; une référence connue met à jour le marché.",
        "2026-VOIRIE-01",
        required=True,
    ),
    ImportColumn("title", "Objet", "Objet du marché.", "Requalification de la voirie du centre-ville", required=True),
    ImportColumn(
        "market_type", "Type", f"{french_choices(MarketType)}.", "Travaux", required=True, aliases=("Type de marché",)
    ),
    ImportColumn("published_on", "Date de publication", f"Date ({DATE_FORMATS}).", "20/11/2026", required=True),
    ImportColumn("execution_start", "Début d'exécution", f"Date ({DATE_FORMATS}), facultative.", "01/02/2027"),
    ImportColumn("execution_end", "Fin d'exécution", f"Date ({DATE_FORMATS}), facultative.", "31/12/2027"),
    ImportColumn(
        "insertion_hours_planned",
        "Heures d'insertion prévues",
        "Nombre d'heures (virgule décimale acceptée)\u00a0; vide\u00a0: pas de clause d'insertion.",
        "1 200",
        aliases=("Heures d'insertion",),
    ),
    ImportColumn("has_base_vie", "Base vie", "oui ou non (vide\u00a0: non).", "oui"),
    ImportColumn(
        "bid_deadline",
        "Date limite de remise des offres",
        "Date et heure de Paris (JJ/MM/AAAA HH:MM), ou date seule pour 23\u00a0h\u00a059 ce jour-là\u00a0; "
        "vide\u00a0: le lien de l'annexe reste ouvert.",
        "15/01/2027 12:00",
        aliases=("Date limite",),
    ),
    ImportColumn("procedure", "Procédure", f"{french_choices(Procedure)}.", "Appel d'offres ouvert"),
    ImportColumn(
        "estimated_amount",
        "Montant estimé (€ HT)",
        "Montant estimé en euros hors taxes.",
        "850000,00",
        aliases=("Montant estimé",),
    ),
    ImportColumn("cpv_code", "Code CPV", "Code CPV au format 45000000-7.", "45233140-2", aliases=("CPV",)),
]
COLUMNS = [column.name for column in IMPORT_COLUMNS]
REQUIRED_COLUMNS = [column.name for column in IMPORT_COLUMNS if column.required]
REFERENCE_MAX_LENGTH = Market._meta.get_field("reference").max_length
TITLE_MAX_LENGTH = Market._meta.get_field("title").max_length
_HOURS_FIELD = Market._meta.get_field("insertion_hours_planned")
# The largest value the column holds (99999999.99 for max_digits=10, decimal_places=2).
HOURS_MAXIMUM = Decimal(10) ** (_HOURS_FIELD.max_digits - _HOURS_FIELD.decimal_places) - Decimal(1).scaleb(
    -_HOURS_FIELD.decimal_places
)

_AMOUNT_FIELD = Market._meta.get_field("estimated_amount")
AMOUNT_MAXIMUM = Decimal(10) ** (_AMOUNT_FIELD.max_digits - _AMOUNT_FIELD.decimal_places) - Decimal(1).scaleb(
    -_AMOUNT_FIELD.decimal_places
)
# The procedure as a file gives it: its code (mapa, open...) or its French label, whatever the case.
MARKET_TYPE_SPELLINGS = choice_spellings(MarketType)
PROCEDURE_SPELLINGS = choice_spellings(Procedure, {"MAPA": Procedure.MAPA, "appel d'offres": Procedure.OPEN})
# The codes a refusal lists, joined once (Django builds `values` anew at each access).
MARKET_TYPE_LISTED = ", ".join(MarketType.values)
PROCEDURE_LISTED = ", ".join(Procedure.values)


@dataclass(frozen=True)
class MarketImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def summary(self) -> str:
        return f"{self.created} marché(s) créé(s), {self.updated} mis à jour, {self.unchanged} inchangé(s)."


def import_markets(*, organisation: Organisation, content: bytes, filename: str) -> MarketImportResult:
    # The rows one at a time: a file of bad rows is never held whole, only its first reasons (ErrorList).
    _columns, rows = stream_table(
        content, filename=filename, allowed=COLUMNS, required=REQUIRED_COLUMNS, columns=IMPORT_COLUMNS
    )
    errors = ErrorList()
    parsed: dict[str, tuple[int, dict]] = {}
    for line, row in rows:
        values, row_errors = _parse_row(line, row)
        errors.extend(row_errors)
        reference = values.get("reference")
        if reference and reference in parsed:
            first_line = parsed[reference][0]
            errors.append(RowError(line, "reference", f"la référence « {reference} » figure déjà ligne {first_line}"))
        elif reference:
            parsed[reference] = (line, values)
    if errors:
        raise ImportRejected(errors)
    return _save(organisation=organisation, rows=list(parsed.values()))


def _parse_row(line: int, row: dict[str, str]) -> tuple[dict, list[RowError]]:
    cells = RowReader(line, row)
    cells.read("reference", lambda text: parse_text(text, max_length=REFERENCE_MAX_LENGTH), required=True)
    cells.read("title", lambda text: parse_text(text, max_length=TITLE_MAX_LENGTH), required=True)
    cells.read(
        "market_type",
        lambda text: parse_choice(text, choices=MARKET_TYPE_SPELLINGS, listed=MARKET_TYPE_LISTED),
        required=True,
    )
    cells.read("published_on", parse_date, required=True)
    cells.read("execution_start", parse_date)
    cells.read("execution_end", parse_date)
    cells.read(
        "insertion_hours_planned",
        lambda text: parse_decimal(text, places=2, minimum=Decimal(0), maximum=HOURS_MAXIMUM),
    )
    cells.read("has_base_vie", parse_yes_no, blank=False)
    cells.read("bid_deadline", parse_datetime_paris)
    cells.read(
        "procedure",
        lambda text: parse_choice(text, choices=PROCEDURE_SPELLINGS, listed=PROCEDURE_LISTED),
        blank="",
    )
    cells.read(
        "estimated_amount",
        lambda text: parse_decimal(text, places=2, minimum=Decimal(0), maximum=AMOUNT_MAXIMUM),
    )
    cells.read("cpv_code", parse_cpv, blank="")

    start, end = cells.values.get("execution_start"), cells.values.get("execution_end")
    if start and end and end < start:
        cells.error("execution_end", "la fin d'exécution précède le début d'exécution")
    return cells.values, cells.errors


@transaction.atomic
def _save(*, organisation: Organisation, rows: list[tuple[int, dict]]) -> MarketImportResult:
    # One import of an organisation at a time: the same file sent twice at once (a double click, the page and the
    # API) would otherwise see the same references missing and create each twice (the second one refused by the
    # database's unique reference). The second import waits, then finds the markets and leaves them unchanged.
    locks.hold(purpose=locks.MARKETS, organisation_id=organisation.pk)
    existing = {
        market.reference: market
        for market in Market.objects.select_for_update().filter(
            organisation=organisation, reference__in=[values["reference"] for _, values in rows]
        )
    }
    errors = ErrorList()
    created = updated = unchanged = 0
    for line, values in rows:
        market = existing.get(values["reference"])
        if market is None:
            Market.objects.create(organisation=organisation, **values)
            created += 1
            continue
        # A file may give only one of the two dates: check it against the one already stored.
        start = values.get("execution_start", market.execution_start)
        end = values.get("execution_end", market.execution_end)
        if start and end and end < start:
            if "execution_start" in values:
                errors.append(
                    RowError(line, "execution_start", f"le début d'exécution suit la fin d'exécution ({end})")
                )
            else:
                errors.append(
                    RowError(line, "execution_end", f"la fin d'exécution précède le début d'exécution ({start})")
                )
            continue
        changed = [name for name, value in values.items() if getattr(market, name) != value]
        if changed:
            for name in changed:
                setattr(market, name, values[name])
            market.save(update_fields=[*changed, "updated_at"])
            updated += 1
        else:
            unchanged += 1
    if errors:
        # Raised inside the transaction: the markets written above are rolled back.
        raise ImportRejected(errors)
    return MarketImportResult(created=created, updated=updated, unchanged=unchanged)
