"""`import_decp`: the one import of a DECP file, called by the command, the upload page and the API.

A file is read as a stream (reader.py), each of the organisation's contracts normalised with its located report
(normalise.py), then matched to a market in batches: by its merge key (the same contract imported before), else
by reference (the DECP id) for a market staff typed, else a new market. Everything happens in one transaction:
a file refused halfway (truncated at its end) stores nothing, not even the record of its import.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.db import connection, transaction

from procurement import locks
from procurement.awards.enums import FieldSource, MarketHistoryKind
from procurement.awards.normalise import PROCEDURES, Contract, cpv_for_market, normalise
from procurement.awards.reader import CONCESSION, DecpRefused, RawRecord, read_records
from procurement.bulk import upsert
from procurement.enums import Procedure
from procurement.models import DecpImport, Market, MarketAward, MarketHistoryEntry, MarketHolder, Organisation, User
from procurement.models.markets import new_candidate_token
from procurement.templatetags.french import long_date
from procurement.validators import is_ascii_digits

__all__ = ["REPORT_LIMIT", "DecpRefused", "import_decp", "summary"]

# The located report keeps this many lines; the import record counts the others (report_left_off).
REPORT_LIMIT = 5000
BATCH_SIZE = 500
STATISTICS_FIRST = 2000
REFERENCE_MAX_LENGTH = Market._meta.get_field("reference").max_length
TITLE_MAX_LENGTH = Market._meta.get_field("title").max_length
PLACE_MAX_LENGTH = Market._meta.get_field("execution_place").max_length
UNTITLED = "(objet non publié dans les données essentielles)"

HOLDER_FIELDS = [
    "market_id",
    "role",
    "identifier_type",
    "identifier",
    "siret",
    "siren",
    "name",
    "is_initial",
    "is_current",
    "subcontract_amount",
    "subcontract_notified_on",
    "source",
]
AWARD_FIELDS = [
    "organisation_id",
    "market_id",
    "merge_key",
    "content_hash",
    "decp_id",
    "schema_version",
    "buyer_siret",
    "buyer_name",
    "nature",
    "title",
    "cpv_code",
    "procedure_label",
    "notified_on",
    "data_published_on",
    "initial_amount",
    "amount",
    "initial_duration_months",
    "duration_months",
    "execution_place_code",
    "execution_place_type",
    "execution_place_name",
    "social_considerations",
    "groupement_type",
    "modifications",
    "filled_fields",
    "first_import_id",
    "last_import_id",
]

# The market's fields the DECP fills, in the order the market's page shows them.
FILLED_FIELDS = (
    "title",
    "market_type",
    "procedure",
    "cpv_code",
    "notified_on",
    "awarded_amount",
    "duration_months",
    "execution_place",
    "social_considerations",
)


def market_values(contract: Contract) -> dict:
    """The values a contract gives the market's fields (after its modifications)."""
    return {
        "title": (contract.title or UNTITLED)[:TITLE_MAX_LENGTH],
        "market_type": contract.market_type,
        "procedure": contract.procedure,
        "cpv_code": cpv_for_market(contract),
        "notified_on": contract.notified_on,
        "awarded_amount": contract.current_amount,
        "duration_months": contract.current_duration_months,
        "execution_place": contract.place[:PLACE_MAX_LENGTH],
        "social_considerations": contract.social_considerations,
    }


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return long_date(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}\u00a0€".replace(",", "\u202f").replace(".", ",")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def _label(field_name: str) -> str:
    return str(Market._meta.get_field(field_name).verbose_name)


@dataclass
class _Counts:
    read: int = 0
    other_buyers: int = 0
    set_aside: int = 0
    duplicates: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deviations: int = 0
    report: list[str] = field(default_factory=list)
    left_off: int = 0

    def add_report(self, lines: list[str]) -> None:
        self.deviations += len(lines)
        room = REPORT_LIMIT - len(self.report)
        self.report.extend(lines[:room])
        self.left_off += max(0, len(lines) - room)


def import_decp(
    *, organisation: Organisation, stream: BinaryIO, filename: str, imported_by: User | None = None
) -> DecpImport:
    """Imports the organisation's contracts of a DECP file. Raises DecpRefused (nothing stored) when the file
    cannot be read as DECP or the organisation has no SIREN to recognise its contracts by."""
    if not organisation.siren:
        raise DecpRefused(
            "Le SIREN de votre organisation n'est pas renseigné\u00a0: il sert à reconnaître vos contrats dans le "
            "fichier. Demandez à l'administration de la plateforme de le renseigner, puis importez à nouveau."
        )
    with transaction.atomic():
        # One import of the organisation's markets at a time (the markets import too): the same file sent twice at
        # once would otherwise create its markets in both (the second one's upserts then update them) and count
        # them, and write their history, twice.
        locks.hold(purpose=locks.MARKETS, organisation_id=organisation.pk)
        run = DecpImport.objects.create(
            organisation=organisation, file_name=filename[:255], imported_by=imported_by, schema_version=""
        )
        importer = _Importer(organisation=organisation, run=run)
        for record in read_records(stream):
            importer.add(record)
        importer.flush()
        importer.finish()
    return run


def _buyer_id(data: dict, kind: str) -> str:
    buyer = data.get("autoriteConcedante") if kind == CONCESSION and "acheteur" not in data else data.get("acheteur")
    if isinstance(buyer, dict):
        buyer = buyer.get("id")
    if buyer is None:
        buyer = data.get("acheteur.id")
    return "".join(str(buyer or "").split())


class _Importer:
    def __init__(self, *, organisation: Organisation, run: DecpImport):
        self.organisation = organisation
        self.run = run
        self.counts = _Counts()
        self.versions: set[str] = set()
        self.pending: dict[str, Contract] = {}
        # merge key -> number of modifications of the version kept, for every contract of this file.
        self.seen: dict[str, int] = {}
        self.taken_references: set[str] = set()
        self.next_statistics = STATISTICS_FIRST

    # --- reading ---
    def add(self, record: RawRecord) -> None:
        counts = self.counts
        counts.read += 1
        self.run.file_format = record.file_format
        buyer = _buyer_id(record.data, record.kind)
        if buyer and buyer[:9] != self.organisation.siren:
            counts.other_buyers += 1
            return
        contract = normalise(record)
        if not buyer and not contract.set_aside:
            contract.deviation("acheteur.id", "acheteur absent : contrat écarté, il ne peut être attribué")
            contract.set_aside = True
        elif buyer and not (is_ascii_digits(buyer) and len(buyer) == 14):
            contract.deviation("acheteur.id", f"« {buyer} » n'est pas un SIRET de 14 chiffres")
        counts.add_report(contract.report)
        if contract.set_aside:
            counts.set_aside += 1
            return
        self.versions.add(contract.schema_version)
        key = contract.merge_key
        if key in self.seen:
            counts.duplicates += 1
            counts.add_report([f"{contract.label} : id : publié deux fois dans le fichier : fusionné"])
            if len(contract.modifications) <= self.seen[key]:
                return
        self.seen[key] = len(contract.modifications)
        self.pending[key] = contract
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def finish(self) -> None:
        counts = self.counts
        run = self.run
        run.schema_version = " et ".join(sorted(self.versions)) or "—"
        run.file_format = run.file_format or "json"
        run.records_read = counts.read
        run.records_other_buyers = counts.other_buyers
        run.records_set_aside = counts.set_aside
        run.duplicates_merged = counts.duplicates
        run.markets_created = counts.created
        run.markets_updated = counts.updated
        run.markets_unchanged = counts.unchanged
        run.deviations = counts.deviations
        run.report = counts.report
        run.report_left_off = counts.left_off
        run.save()

    # --- writing, one batch at a time ---
    def flush(self) -> None:
        if not self.pending:
            return
        contracts = self.pending
        self.pending = {}
        awards = {
            award.merge_key: award
            for award in MarketAward.objects.filter(
                organisation=self.organisation, merge_key__in=list(contracts)
            ).select_related("market")
        }
        new: list[Contract] = []
        for key, contract in contracts.items():
            award = awards.get(key)
            if award is None:
                new.append(contract)
            elif award.content_hash == contract.content_hash:
                self.counts.unchanged += 1
            else:
                self._update(award, contract)
        if new:
            self._create_or_complete(new)
        self._refresh_statistics()

    def _refresh_statistics(self) -> None:
        """On PostgreSQL, the planner's statistics of the tables this import fills, refreshed as they grow (2,000,
        then 8,000, 32,000… new markets): with the statistics of the empty tables, each batch's lookups by merge key
        and by reference scanned the whole tables, and 100,000 contracts took 17 times as long as 10,000. ANALYZE
        counts the rows of the current transaction."""
        if connection.vendor != "postgresql" or self.counts.created < self.next_statistics:
            return
        self.next_statistics *= 4
        tables = [model._meta.db_table for model in (Market, MarketAward, MarketHolder)]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(table) for table in tables)}")

    def _create_or_complete(self, contracts: list[Contract]) -> None:
        ids = {contract.decp_id for contract in contracts if contract.decp_id}
        staff_markets = {}
        existing_references = set()
        for market in Market.objects.filter(organisation=self.organisation, reference__in=ids).select_related("award"):
            existing_references.add(market.reference)
            if not hasattr(market, "award"):
                staff_markets[market.reference] = market
        created: list[tuple[str, Contract, dict, list[str]]] = []  # (reference, contract, values, filled)
        completed: list[tuple[Market, Contract, list[str]]] = []
        for contract in contracts:
            values = market_values(contract)
            market = staff_markets.pop(contract.decp_id, None) if contract.decp_id else None
            if market is not None:
                filled = self._complete(market, values)
                completed.append((market, contract, filled))
                self.taken_references.add(market.reference)
                self.counts.updated += 1
            else:
                reference = self._reference(contract, existing_references)
                filled = [name for name in FILLED_FIELDS if not _is_empty(values[name])]
                created.append((reference, contract, values, filled))
                self.counts.created += 1
        # New markets in one COPY (procurement/bulk.py), then their ids by reference.
        market_fields = ["organisation_id", "reference", "published_on", "candidate_token", *FILLED_FIELDS]
        upsert(
            model=Market,
            fields=market_fields,
            rows=[
                (
                    self.organisation.pk,
                    reference,
                    contract.notified_on or contract.data_published_on,
                    new_candidate_token(),
                    *(values[name] for name in FILLED_FIELDS),
                )
                for reference, contract, values, _ in created
            ],
            unique_fields=["organisation", "reference"],
            update_fields=["title"],
        )
        ids = dict(
            Market.objects.filter(
                organisation=self.organisation, reference__in=[reference for reference, *_ in created]
            ).values_list("reference", "pk")
        )
        targets = [(ids[reference], contract, filled) for reference, contract, _, filled in created]
        targets += [(market.pk, contract, filled) for market, contract, filled in completed]
        upsert(
            model=MarketAward,
            fields=AWARD_FIELDS,
            rows=[self._award_row(market_id, contract, filled) for market_id, contract, filled in targets],
            unique_fields=["organisation", "merge_key"],
            update_fields=["content_hash"],
        )
        upsert(
            model=MarketHolder,
            fields=HOLDER_FIELDS,
            rows=[row for market_id, contract, _ in targets for row in _holder_rows(market_id, contract)],
            unique_fields=["market", "role", "identifier"],
            update_fields=["is_current"],
        )
        # History: a created market's values are on its page; a completed one lists the fields the DECP filled.
        MarketHistoryEntry.objects.bulk_create(
            [
                MarketHistoryEntry(
                    market_id=ids[reference], decp_import=self.run, kind=MarketHistoryKind.CREATED_FROM_DECP
                )
                for reference, *_ in created
            ]
            + [
                MarketHistoryEntry(
                    market=market,
                    decp_import=self.run,
                    kind=MarketHistoryKind.COMPLETED_FROM_DECP,
                    changes=[self._change(name, None, getattr(market, name)) for name in filled],
                )
                for market, _, filled in completed
            ],
            batch_size=BATCH_SIZE,
        )

    def _reference(self, contract: Contract, existing: set[str]) -> str:
        """The DECP id, or, when a market already has it (another contract under the same id), the id with the
        notification date, then a number: two contracts under one id stay two distinguishable markets."""
        base = contract.decp_id or "DECP sans identifiant"
        day = contract.notified_on.isoformat() if contract.notified_on else "sans date"
        candidates = [base] if contract.decp_id else []
        candidates.append(f"{base[: REFERENCE_MAX_LENGTH - len(day) - 3]} · {day}")
        number = 2
        while True:
            for candidate in candidates:
                if candidate in existing or candidate in self.taken_references:
                    continue
                if (
                    candidate != base
                    and Market.objects.filter(organisation=self.organisation, reference=candidate).exists()
                ):
                    existing.add(candidate)
                    continue
                self.taken_references.add(candidate)
                return candidate
            suffix = f" · {day} · {number}"
            candidates = [f"{base[: REFERENCE_MAX_LENGTH - len(suffix)]}{suffix}"]
            number += 1

    def _complete(self, market: Market, values: dict) -> list[str]:
        """Fills the staff market's empty fields; returns their names."""
        filled = []
        for name in FILLED_FIELDS:
            if _is_empty(getattr(market, name)) and not _is_empty(values[name]):
                setattr(market, name, values[name])
                filled.append(name)
        if filled:
            market.save(update_fields=[*filled, "updated_at"])
        return filled

    def _award_row(self, market_id: int, contract: Contract, filled: list[str]) -> tuple:
        award = self._award(MarketAward(organisation=self.organisation), None, contract, filled)
        award.market_id = market_id
        return tuple(getattr(award, name) for name in AWARD_FIELDS)

    def _award(self, award: MarketAward, market: Market | None, contract: Contract, filled: list[str]) -> MarketAward:
        if market is not None:
            award.market = market
        award.merge_key = contract.merge_key
        award.content_hash = contract.content_hash
        award.decp_id = contract.decp_id
        award.schema_version = contract.schema_version
        award.buyer_siret = contract.buyer_siret
        award.buyer_name = contract.buyer_name[:300]
        award.nature = contract.nature
        award.title = contract.title
        award.cpv_code = contract.cpv_code
        award.procedure_label = contract.procedure_label
        award.notified_on = contract.notified_on
        award.data_published_on = contract.data_published_on
        award.initial_amount = contract.amount
        award.amount = contract.current_amount
        award.initial_duration_months = contract.duration_months
        award.duration_months = contract.current_duration_months
        award.execution_place_code = contract.place_code
        award.execution_place_type = contract.place_type
        award.execution_place_name = contract.place_name
        award.social_considerations = contract.social_considerations
        award.groupement_type = contract.groupement_type
        award.modifications = [modification.as_json() for modification in contract.modifications]
        award.filled_fields = filled
        award.last_import_id = self.run.pk
        if award.first_import_id is None:
            award.first_import_id = self.run.pk
        return award

    def _update(self, award: MarketAward, contract: Contract) -> None:
        """A contract imported before whose DECP changed (a new modification, a corrected record): the award and
        its holders follow the DECP; the market's fields that the DECP filled follow too, unless staff changed
        them since; its empty fields are filled. The change goes to the market's history."""
        market = award.market
        before = {name: getattr(market, name) for name in FILLED_FIELDS}
        old_titulaires = sorted(
            MarketHolder.objects.filter(market=market, source=FieldSource.DECP)
            .current()
            .titulaires()
            .values_list("identifier", flat=True)
        )
        old_values = self._values_from_award(award)
        new_values = market_values(contract)
        filled = list(award.filled_fields)
        changed_fields = []
        for name in FILLED_FIELDS:
            current = getattr(market, name)
            if name in filled:
                if current != old_values.get(name):
                    filled.remove(name)  # staff changed it since: theirs now
                    continue
                if _is_empty(new_values[name]):
                    continue
                if current != new_values[name]:
                    setattr(market, name, new_values[name])
                    changed_fields.append(name)
            elif _is_empty(current) and not _is_empty(new_values[name]):
                setattr(market, name, new_values[name])
                filled.append(name)
                changed_fields.append(name)
        if changed_fields:
            market.save(update_fields=[*changed_fields, "updated_at"])
        changes = [self._change(name, before[name], getattr(market, name)) for name in changed_fields]
        new_titulaires = sorted(party.identifier for party in contract.current_titulaires)
        if new_titulaires != old_titulaires:
            changes.append(
                {
                    "field": "titulaires",
                    "label": "titulaires",
                    "old": ", ".join(old_titulaires) or "—",
                    "new": ", ".join(new_titulaires) or "—",
                }
            )
        if award.amount != contract.current_amount and "awarded_amount" not in changed_fields:
            changes.append(self._change("awarded_amount", award.amount, contract.current_amount, label="montant DECP"))
        if len(award.modifications) != len(contract.modifications):
            changes.append(
                {
                    "field": "modifications",
                    "label": "modifications publiées",
                    "old": str(len(award.modifications)),
                    "new": str(len(contract.modifications)),
                }
            )
        self._award(award, market, contract, filled).save()
        MarketHolder.objects.filter(market=market, source=FieldSource.DECP).delete()
        MarketHolder.objects.bulk_create(
            [MarketHolder(**dict(zip(HOLDER_FIELDS, row, strict=True))) for row in _holder_rows(market.pk, contract)]
        )
        MarketHistoryEntry.objects.create(
            market=market, decp_import=self.run, kind=MarketHistoryKind.UPDATED_FROM_DECP, changes=changes
        )
        self.counts.updated += 1

    @staticmethod
    def _values_from_award(award: MarketAward) -> dict:
        """The market values the award last gave (to tell staff edits from DECP values)."""
        contract = Contract(position=0, schema_version=award.schema_version)
        contract.title = award.title
        contract.cpv_code = award.cpv_code
        contract.cpv_digits = award.cpv_code[:8] if award.cpv_code[:8].isdigit() else ""
        contract.procedure_label = award.procedure_label
        if award.procedure_label:
            contract.procedure = PROCEDURES.get(award.procedure_label.lower(), Procedure.OTHER)
        contract.notified_on = award.notified_on
        contract.amount = award.amount
        contract.duration_months = award.duration_months
        contract.place_code = award.execution_place_code
        contract.place_type = award.execution_place_type
        contract.place_name = award.execution_place_name
        contract.social_considerations = award.social_considerations
        return market_values(contract)

    @staticmethod
    def _change(name: str, old, new, *, label: str | None = None) -> dict:
        return {"field": name, "label": label or _label(name), "old": _shown(old), "new": _shown(new)}


def _holder_rows(market_id: int, contract: Contract) -> list[tuple]:
    """Rows of HOLDER_FIELDS for the contract's companies."""
    return [
        (
            market_id,
            role,
            party.identifier_type,
            party.identifier,
            party.siret,
            party.siren,
            party.name,
            is_initial,
            is_current,
            subcontract.amount if subcontract else None,
            subcontract.notified_on if subcontract else None,
            FieldSource.DECP,
        )
        for role, party, is_initial, is_current, subcontract in contract.holders
    ]


def summary(run: DecpImport) -> str:
    """One French sentence of an import's counts."""
    parts = [
        f"{run.records_read} contrat(s) lu(s)",
        f"{run.markets_created} marché(s) créé(s)",
        f"{run.markets_updated} mis à jour",
        f"{run.markets_unchanged} inchangé(s)",
    ]
    if run.duplicates_merged:
        parts.append(f"{run.duplicates_merged} doublon(s) fusionné(s)")
    if run.records_set_aside:
        parts.append(f"{run.records_set_aside} écarté(s)")
    if run.records_other_buyers:
        parts.append(f"{run.records_other_buyers} d'autres acheteurs ignoré(s)")
    parts.append(f"{run.deviations} écart(s) signalé(s)")
    return ", ".join(parts) + "."
