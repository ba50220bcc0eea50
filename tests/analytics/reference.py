"""An independent computation of every indicator, written from docs/indicateurs.md and docs/formats.md only.

It reads the very rows the test writes to the import files (markets, annex responses, clause hours, DECP contracts)
and nothing of the application: no ORM, no import from `analytics/`, `questionnaire/`, `clauses/` or
`procurement/`. Each indicator is a `Figure(numerator, denominator, value)` of exact numbers (int, Fraction,
Decimal, or None), so that tests/analytics/test_reference_indicators.py can compare it with what the platform's
`indicators` command prints after the real imports. When the two disagree, the documentation decides.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
CATEGORIES = ("F", "H", "NB", "NSP")
SCOPES = ("all", "cadres", "non_cadres")
ROLES = ("president", "secretary", "treasurer")
COMMITMENTS = ("agreements", "action_plan", "training", "harassment_unit", "label", "partnerships", "events", "other")
BANDS = ("below_75", "75_to_84", "85_and_above", "not_computable")
MARKET_TYPES = {"travaux": "works", "services": "services", "fournitures": "supplies"}
NOT_COMPUTABLE = "nc"
NOT_APPLICABLE = "na"  # « sans objet (pas de poste) »
INDEX_MIN_STAFF = 50  # « au moins 50 salarié·es »
NO_SOCIAL_CONSIDERATION = "Pas de considération sociale"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    numerator: int | Fraction | Decimal | None
    denominator: int | Fraction | Decimal | None
    value: int | Fraction | Decimal | None


# The rows, as written to the files -----------------------------------------------------------------------------


@dataclass
class AnnexRow:
    """One line of the annex import. `submitted_at` is aware; staff is {(scope, category): n} for cadres and
    non_cadres; roles are a category, NOT_APPLICABLE or None (blank); `index_score` an int, NOT_COMPUTABLE or None;
    `order` the order in which the platform recorded it (for ties)."""

    name: str
    siret: str
    submitted_at: datetime.datetime
    staff: dict
    has_board: bool | None = None
    board_women_pct: Decimal | None = None
    roles: dict = field(default_factory=dict)
    volunteers_women_pct: Decimal | None = None
    policy_text: str = ""
    index_score: int | str | None = None
    commitments: dict = field(default_factory=dict)
    order: int = 0
    withdrawn: bool = False  # « ni brouillon, ni retirées » : a withdrawn response does not count
    index_year: int | None = None  # the declared year of publication of the index (the online annex asks it)


@dataclass
class MarketRow:
    reference: str
    market_type: str  # travaux, services, fournitures
    published_on: datetime.date
    execution_start: datetime.date | None = None
    execution_end: datetime.date | None = None
    planned_hours: Decimal | None = None


@dataclass
class HoursRow:
    market_reference: str
    participant_ref: str
    sex: str
    employer_siret: str
    job_label: str
    job_dominance: str | None  # female, male, mixed, or None (blank)
    month: datetime.date  # first day
    hours: Decimal


# Shared rules, as the documentation states them ----------------------------------------------------------------


def ratio(numerator, denominator) -> Figure:
    """« Un dénominateur égal à 0 donne une valeur vide »."""
    if not denominator:
        return Figure(numerator, denominator, None)
    return Figure(numerator, denominator, Fraction(numerator) / Fraction(denominator))


def count(n: int, denominator: int | None = None) -> Figure:
    return Figure(n, denominator, n)


def mean(values: list) -> Figure:
    if not values:
        return Figure(None, 0, None)
    return Figure(None, len(values), sum(Fraction(v) for v in values) / len(values))


def median(values: list) -> Figure:
    if not values:
        return Figure(None, 0, None)
    ordered = sorted(Fraction(v) for v in values)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Figure(None, len(ordered), value)


def paris_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(PARIS).date()


def in_period(day: datetime.date | None, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day <= end


def normalised_name(name: str) -> str:
    """« son nom mis en minuscules (casefold), sans accents ni ponctuation, espaces réduits à un seul ».

    The documentation does not say whether a punctuation mark is removed (« Dupont-Martin » = « DupontMartin ») or
    separates words (« Dupont-Martin » = « Dupont Martin »). The platform does the latter, for every character that
    is neither a letter nor a digit (« A+B » = « A B »), after compatibility decomposition (« ² » = « 2 »): an
    ambiguity of the text, reported, not a divergence; the reference reads it the platform's way."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


def structure_key(row: AnnexRow) -> str:
    digits = re.sub(r"\D", "", row.siret)
    if digits:
        return f"siren:{digits[:9]}"
    return f"nom:{normalised_name(row.name)}"


def is_valid_siret(value: str) -> bool:
    """14 digits, Luhn key; La Poste's establishments (SIREN 356000000) use a digit sum divisible by 5."""
    if not re.fullmatch(r"[0-9]{14}", value):
        return False
    if value.startswith("356000000") and value != "35600000000048":
        return sum(int(c) for c in value) % 5 == 0
    total = 0
    for position, char in enumerate(reversed(value)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def twelve_months_before(day: datetime.date) -> datetime.date:
    """« le même jour douze mois avant (le 29 février donne le 28 février) »."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# A. Annexe égalité ---------------------------------------------------------------------------------------------


def _total_staff(row: AnnexRow, scope: str) -> int:
    scopes = ("cadres", "non_cadres") if scope == "all" else (scope,)
    return sum(row.staff.get((s, c), 0) for s in scopes for c in CATEGORIES)


def _staff_of(row: AnnexRow, scope: str, category: str) -> int:
    scopes = ("cadres", "non_cadres") if scope == "all" else (scope,)
    return sum(row.staff.get((s, category), 0) for s in scopes)


def latest_by(rows: list[AnnexRow], key) -> dict:
    """The latest row of each key: the most recent `submitted_at`, then the one recorded last."""
    latest = {}
    for row in rows:
        k = key(row)
        if k not in latest or (row.submitted_at, row.order) > (latest[k].submitted_at, latest[k].order):
            latest[k] = row
    return latest


def staff_shares(rows: list[AnnexRow], prefix: str, scopes=SCOPES) -> dict:
    figures = {}
    for scope in scopes:
        total = sum(_total_staff(row, scope) for row in rows)
        for category in CATEGORIES:
            figures[f"{prefix}{scope}_{category}_share"] = ratio(
                sum(_staff_of(row, scope, category) for row in rows), total
            )
    return figures


def _eligible(row: AnnexRow) -> bool:
    return _total_staff(row, "all") >= INDEX_MIN_STAFF


def _no_commitment(row: AnnexRow) -> bool:
    return not any(row.commitments.get(k) for k in COMMITMENTS)


def _band(score) -> str:
    if score == NOT_COMPUTABLE:
        return "not_computable"
    if score < 75:
        return "below_75"
    if score <= 84:
        return "75_to_84"
    return "85_and_above"


def annex_indicators(rows: list[AnnexRow], start: datetime.date, end: datetime.date, egapro=()) -> dict:
    sent = [row for row in rows if not row.withdrawn and in_period(paris_date(row.submitted_at), start, end)]
    counted = list(latest_by(sent, structure_key).values())
    n = len(counted)
    figures = {"respondents": count(n), "responses": count(len(sent))}
    figures["staff_total"] = count(sum(_total_staff(row, "all") for row in counted))
    figures.update(staff_shares(counted, "staff_"))

    answered_board = [row for row in counted if row.has_board is not None]
    figures["board_has_share"] = ratio(sum(1 for row in answered_board if row.has_board), len(answered_board))
    figures["board_women_mean"] = mean(
        [row.board_women_pct for row in counted if row.has_board and row.board_women_pct is not None]
    )
    for role in ROLES:
        answered = [row for row in counted if row.roles.get(role) in CATEGORIES]
        for category in CATEGORIES:
            figures[f"role_{role}_{category}_share"] = ratio(
                sum(1 for row in answered if row.roles[role] == category), len(answered)
            )
    figures["volunteers_women_mean"] = mean(
        [row.volunteers_women_pct for row in counted if row.volunteers_women_pct is not None]
    )

    eligible = [row for row in counted if _eligible(row)]
    scores = [row.index_score for row in eligible if isinstance(row.index_score, int)]
    figures["index_eligible"] = count(len(eligible), n)
    figures["index_given_share"] = ratio(len(scores), len(eligible))
    figures["index_mean"] = mean(scores)
    figures["index_median"] = median(scores)
    banded = [row.index_score for row in eligible if row.index_score is not None]
    for band in BANDS:
        figures[f"index_band_{band}_share"] = ratio(sum(1 for s in banded if _band(s) == band), len(banded))

    for key in COMMITMENTS:
        figures[f"commitment_{key}_share"] = ratio(sum(1 for row in counted if row.commitments.get(key)), n)
    figures["commitment_none_share"] = ratio(sum(1 for row in counted if _no_commitment(row)), n)
    figures["policy_text_share"] = ratio(sum(1 for row in counted if row.policy_text.strip(" \t\r\n\u00a0\u202f")), n)

    # Index publiés (Egapro): « une note « publiée en 2025 » se compare à la ligne 2024. Sans année déclarée, la
    # ligne comparée est celle de l'année précédant la fin de la période ». The annex import has no column for the
    # declared year: its rows always compare the line of the year before the end of the period.
    published = {
        id(row): published_index(row, egapro, row.index_year - 1 if row.index_year else end.year - 1)
        for row in eligible
    }
    has_index = [row for row in eligible if published[id(row)] is not None]
    both = [row for row in eligible if isinstance(row.index_score, int) and isinstance(published[id(row)], int)]
    notes = [published[id(row)] for row in eligible if isinstance(published[id(row)], int)]
    figures["index_published_share"] = ratio(len(has_index), len(eligible))
    figures["index_mismatch_share"] = ratio(sum(1 for row in both if row.index_score != published[id(row)]), len(both))
    figures["index_published_mean"] = mean(notes)
    figures["index_published_median"] = median(notes)
    return figures


@dataclass
class EgaproRow:
    """One line of the Egapro file: the year of the indicators, the declaring SIREN, `Note Index` (an int,
    NOT_COMPUTABLE for « NC », None when empty) and the SIRENs of « Entreprises UES (SIREN) »."""

    year: int
    siren: str
    note: int | str | None
    ues_members: tuple = ()


def published_index(row: AnnexRow, egapro: list[EgaproRow], year: int) -> int | str | None:
    """The structure's published index (an int or NOT_COMPUTABLE), or None: the line of its SIREN for that year,
    else the line of its UES (« une entreprise qui a sa propre ligne cette année-là garde la sienne »); a line
    without a note is no published index; no SIREN, no index."""
    if not row.siret:
        return None
    siren = row.siret[:9]
    own = [line for line in egapro if line.year == year and line.siren == siren]
    if own:
        return own[-1].note
    ues = [line for line in egapro if line.year == year and siren in line.ues_members]
    return ues[-1].note if ues else None


# B. Clauses d'insertion ----------------------------------------------------------------------------------------


def resolved_dominance(row: HoursRow, jobs: dict[str, Decimal], threshold: Decimal) -> str | None:
    """The declared dominance, or else the one of the organisation's list of jobs (labels compared without case,
    accents or extra spaces), or else unknown (None)."""
    if row.job_dominance:
        return row.job_dominance
    women = jobs.get(normalised_label(row.job_label))
    if women is None:
        return None
    if women >= threshold:
        return "female"
    if 100 - women >= threshold:
        return "male"
    return "mixed"


def normalised_label(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def clause_indicators(
    markets: list[MarketRow],
    hours: list[HoursRow],
    start: datetime.date,
    end: datetime.date,
    *,
    jobs: dict[str, Decimal],
    threshold: Decimal,
) -> dict:
    in_scope = [row for row in hours if in_period(row.month, start, end)]
    sex = {row.participant_ref: row.sex for row in hours}
    hours_of = defaultdict(Decimal)
    for row in in_scope:
        hours_of[row.participant_ref] += row.hours
    people = [p for p, h in hours_of.items() if h > 0]
    figures = {"participants": count(len(people))}
    by_sex = {c: [p for p in people if sex[p] == c] for c in CATEGORIES}
    for category in CATEGORIES:
        figures[f"participants_{category}_share"] = ratio(len(by_sex[category]), len(people))
    total = sum((row.hours for row in in_scope), Decimal(0))
    figures["hours_total"] = Figure(total, None, total)
    for category in CATEGORIES:
        part = sum((row.hours for row in in_scope if sex[row.participant_ref] == category), Decimal(0))
        figures[f"hours_{category}_share"] = (
            Figure(part, total, Fraction(part) / Fraction(total)) if total else Figure(part, total, None)
        )

    # The contract (mission) takes its job from its most recent month.
    latest_row = {}
    for row in hours:
        mission = (row.participant_ref, row.market_reference, row.employer_siret)
        if mission not in latest_row or row.month > latest_row[mission].month:
            latest_row[mission] = row
    dominance = {m: resolved_dominance(r, jobs, threshold) for m, r in latest_row.items()}
    men_female = {
        row.participant_ref
        for row in in_scope
        if sex[row.participant_ref] == "H"
        and dominance[(row.participant_ref, row.market_reference, row.employer_siret)] == "female"
    }
    women_male = {
        row.participant_ref
        for row in in_scope
        if sex[row.participant_ref] == "F"
        and dominance[(row.participant_ref, row.market_reference, row.employer_siret)] == "male"
    }
    figures["men_in_female_dominated_jobs"] = count(len(men_female), len(by_sex["H"]))
    figures["women_in_male_dominated_jobs"] = count(len(women_male), len(by_sex["F"]))

    # A market imported with planned hours has an insertion clause (« vide : pas de clause », docs/formats.md),
    # whether or not hours were reported on it yet: its planned hours over its execution dates.
    with_clause = [
        m
        for m in markets
        if m.planned_hours is not None
        and m.execution_start is not None
        and m.execution_end is not None
        and m.execution_start <= end
        and m.execution_end >= start
    ]
    figures["markets_with_clause"] = count(len(with_clause))
    for code, suffix in MARKET_TYPES.items():
        figures[f"markets_with_clause_{suffix}"] = count(sum(1 for m in with_clause if m.market_type == code))
    references = {m.reference for m in with_clause}
    done = sum((row.hours for row in in_scope if row.market_reference in references), Decimal(0))
    planned = Fraction(0)
    for m in with_clause:
        days = (m.execution_end - m.execution_start).days + 1
        inside = (min(m.execution_end, end) - max(m.execution_start, start)).days + 1
        planned += Fraction(m.planned_hours) * inside / days
    figures["hours_completion"] = (
        Figure(done, planned, Fraction(done) / planned) if planned else Figure(done, planned, None)
    )
    return figures


# C. Cahiers des charges ----------------------------------------------------------------------------------------


def specification_indicators(published: dict, stamped: set, start, end) -> dict:
    """`published`: every market of the organisations (imported or created by the DECP), under a key naming its
    buyer, and its publication date; `stamped`: the keys of the markets with a stamped document."""
    in_scope = [ref for ref, day in published.items() if in_period(day, start, end)]
    return {"specifications_with_encart_share": ratio(sum(1 for ref in in_scope if ref in stamped), len(in_scope))}


# D. Titulaires -------------------------------------------------------------------------------------------------


@dataclass
class Contract:
    """A DECP contract after its modifications: the platform's market."""

    key: tuple
    notified_on: datetime.date
    amount: Decimal | None
    holders: list[dict]  # current titulaires, as written ({"typeIdentifiant", "id"})
    social: list[str] | None
    modifications: int


def _amount(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _holders(items) -> list[dict]:
    return [item.get("titulaire", item) for item in items]


def contracts_of(records: list[dict], buyer_siren: str) -> list[Contract]:
    """The organisation's contracts (its SIREN starts the buyer's SIRET), modifications applied in the order of
    their notification date then number, a contract published twice counted once (the publication with the most
    modifications stands)."""
    by_key = {}
    for record in records:
        if not str(record["acheteur"]["id"]).startswith(buyer_siren):
            continue
        holders = _holders(record.get("titulaires", []))
        amount = _amount(record.get("montant"))
        key = (
            record["id"],
            record["dateNotification"],
            tuple(sorted(h["id"] for h in holders)),
            amount,
        )
        modifications = sorted(
            (item["modification"] for item in record.get("modifications", [])),
            key=lambda m: (m["dateNotificationModification"], m["id"]),
        )
        for modification in modifications:
            if "montant" in modification:
                amount = _amount(modification["montant"])
            if "titulaires" in modification:
                holders = _holders(modification["titulaires"])
        social = record.get("considerationsSociales", {}).get("considerationSociale")
        contract = Contract(
            key,
            datetime.date.fromisoformat(record["dateNotification"]),
            amount,
            holders,
            social,
            len(modifications),
        )
        if key not in by_key or contract.modifications > by_key[key].modifications:
            by_key[key] = contract
    return list(by_key.values())


def holder_siren(holder: dict) -> str | None:
    """The SIREN of a valid SIRET, or None (foreign identifier, SIREN alone, wrong key)."""
    value = re.sub(r"[ .]", "", str(holder.get("id", "")))
    if holder.get("typeIdentifiant", "SIRET") != "SIRET" or not is_valid_siret(value):
        return None
    return value[:9]


def titulaire_indicators(
    contracts: list[Contract], responses: list[AnnexRow], start: datetime.date, end: datetime.date
) -> dict:
    awarded = [c for c in contracts if in_period(c.notified_on, start, end)]
    sirens = {s for c in awarded for s in (holder_siren(h) for h in c.holders) if s}
    window_start = twelve_months_before(start)
    answering = [
        row
        for row in responses
        if row.siret and not row.withdrawn and in_period(paris_date(row.submitted_at), window_start, end)
    ]
    latest = latest_by(answering, lambda row: row.siret[:9])
    answered = {s: latest[s] for s in sirens if s in latest}
    figures = {"awarded_markets": count(len(awarded)), "titulaires": count(len(sirens))}
    figures["titulaires_answered_share"] = ratio(len(answered), len(sirens))
    total = sum((c.amount or Decimal(0) for c in awarded), Decimal(0))
    covered = Decimal(0)
    for c in awarded:
        holder_sirens = [holder_siren(h) for h in c.holders]
        if holder_sirens and all(s is not None and s in answered for s in holder_sirens):
            covered += c.amount or Decimal(0)
    figures["awarded_amount_answered_share"] = (
        Figure(covered, total, Fraction(covered) / Fraction(total)) if total else Figure(covered, total, None)
    )
    social = sum(1 for c in awarded if c.social and any(s != NO_SOCIAL_CONSIDERATION for s in c.social))
    figures["awarded_social_consideration_share"] = ratio(social, len(awarded))
    rows = list(answered.values())
    figures.update(staff_shares(rows, "titulaires_staff_", scopes=("all", "cadres")))
    figures["titulaires_commitment_none_share"] = ratio(sum(1 for row in rows if _no_commitment(row)), len(rows))
    eligible = [row for row in rows if _eligible(row)]
    figures["titulaires_index_given_share"] = ratio(
        sum(1 for row in eligible if isinstance(row.index_score, int)), len(eligible)
    )
    return figures


@dataclass
class Buyer:
    """One organisation's own data: its SIREN, its imported markets, its DECP records and the references of the
    markets it stamped."""

    siren: str
    markets: list[MarketRow]
    decp: list[dict]
    stamped: set[str]


def all_indicators(
    *,
    annex: list[AnnexRow],
    markets: list[MarketRow] = (),
    hours: list[HoursRow],
    decp: list[dict] = (),
    stamped: set[str] = frozenset(),
    buyer_siren: str = "",
    egapro: list[EgaproRow],
    jobs: dict[str, Decimal],
    threshold: Decimal,
    start: datetime.date,
    end: datetime.date,
    buyers: list[Buyer] | None = None,
) -> dict[str, dict[str, Figure]]:
    """Every indicator of one buyer (`markets`, `decp`, `stamped`, `buyer_siren`) or of several computed together
    (`buyers`; `annex` and `hours` are then the rows of all of them): « une structure qui a répondu à deux d'entre
    elles compte encore une fois », « une entreprise titulaire de marchés de plusieurs acheteurs calculés ensemble
    compte une fois »."""
    if buyers is None:
        buyers = [Buyer(buyer_siren, list(markets), list(decp), set(stamped))]
    contracts, published, stamped_keys = [], {}, set()
    for buyer in buyers:
        own = contracts_of(buyer.decp, buyer.siren)
        contracts += own
        # A contract creates a market, dated by its notification, unless its id is the reference of a market the
        # buyer imported, which it completes (« les DECP ne remplissent que ses champs vides » : the publication
        # date stays).
        references = {m.reference for m in buyer.markets}
        for m in buyer.markets:
            published[(buyer.siren, m.reference)] = m.published_on
        for contract in own:
            if contract.key[0] not in references:
                published[("decp", buyer.siren) + contract.key] = contract.notified_on
        stamped_keys |= {(buyer.siren, reference) for reference in buyer.stamped}
    return {
        "annex": annex_indicators(annex, start, end, egapro),
        "clauses": clause_indicators(
            [m for buyer in buyers for m in buyer.markets], hours, start, end, jobs=jobs, threshold=threshold
        ),
        "specifications": specification_indicators(published, stamped_keys, start, end),
        "titulaires": titulaire_indicators(contracts, annex, start, end),
    }


# What people read -----------------------------------------------------------------------------------------------
# « L'affichage arrondit au plus proche à 2 décimales, 0,005 arrondi au-dessus, à la française : `36,35 %`, `1 234`
# (espace fine insécable entre les milliers) » ; « Un dénominateur égal à 0 donne une valeur vide, affichée « — » » ;
# a share reads « 36,35 % (1 234 / 3 395) » (docs/formats.md, « Valeur affichée ») ; `board_women_mean` and
# `volunteers_women_mean`, means of declared percentages, read « 37,23 % ».

NO_VALUE = "—"
SECRET = "secret statistique"
PERCENT_POINTS = ("board_women_mean", "volunteers_women_mean")
DOCUMENTED_ROW = re.compile(r"^\| `([a-zA-Z0-9_]+)` \| (.+?) \| (part|comptage|heures|moyenne|médiane) \| .* \|$")


def documented_indicators(text: str) -> dict[str, tuple[str, str]]:
    """{key: (label, nature)} from the tables of « Liste des indicateurs » of docs/indicateurs.md, in their order."""
    return {
        match[1]: (match[2], match[3]) for line in text.splitlines() if (match := DOCUMENTED_ROW.match(line.strip()))
    }


def half_up(value, places: int = 2) -> Decimal:
    """The exact value rounded to `places` decimals, a half going up (never through a float)."""
    exact = Fraction(value) * 10**places
    units = (exact + Fraction(1, 2)).__floor__()
    return Decimal(units).scaleb(-places)


def french_number(value, places: int | None = None) -> str:
    """« 1 234 », « 273,75 »: a decimal comma, a narrow no-break space between thousands."""
    if places is not None:
        value = half_up(value, places)
    sign = "-" if value < 0 else ""
    integer, _, decimals = f"{abs(Decimal(value)):f}".partition(".")
    groups = []
    while len(integer) > 3:
        integer, groups = integer[:-3], [integer[-3:], *groups]
    return sign + "\u202f".join([integer, *groups]) + ("," + decimals if decimals else "")


def shown(key: str, nature: str, figure: Figure, *, hours_unit: bool = False) -> str:
    """The text a person reads for `figure`, written from the rules above. `hours_unit`: the clause report, where
    the figures in hours (those of the `hours_…` keys) carry « h »."""
    if figure.value is None:
        return NO_VALUE
    unit = "\u00a0h" if hours_unit and key.startswith("hours_") else ""
    if nature == "part":
        text = french_number(half_up(Fraction(figure.value) * 100)) + "\u00a0%"
        places = None if isinstance(figure.numerator, int) else 2
        numerator, denominator = french_number(figure.numerator, places), french_number(figure.denominator, places)
        return f"{text} ({numerator}{unit} / {denominator}{unit})"
    if key in PERCENT_POINTS:
        return french_number(figure.value, 2) + "\u00a0%"
    if nature in ("heures", "moyenne", "médiane"):
        return french_number(figure.value, 2) + unit
    return french_number(figure.value)


# Statistical secrecy --------------------------------------------------------------------------------------------
# docs/indicateurs.md, « Secret statistique » : with a threshold N, a figure is secret when it describes 1 to N − 1
# structures or persons; « un chiffre secret garde son dénominateur mais perd son numérateur et sa valeur », unless
# that denominator is itself a secret figure (the pooled headcounts of the staff shares, the total of hours of the
# shares of hours): then it is not shown either.

ANNEX_COUNTS = ("respondents", "responses", "index_eligible")


def secret_figures(figures: dict[str, dict[str, Figure]], threshold: int) -> set[str]:
    """The keys the documented rule hides, over the figures of every section (`all_indicators`)."""

    def few(n) -> bool:
        return n is not None and 1 <= n < threshold

    annex, clauses, titulaires = figures["annex"], figures["clauses"], figures["titulaires"]
    hidden = set()
    # Section A: « toute part, moyenne ou médiane dont le dénominateur est entre 1 et N − 1 ; les parts
    # d'effectifs (staff_*) et staff_total [...] quand respondents est entre 1 et N − 1 ».
    for key, figure in annex.items():
        if key.startswith("staff_"):
            if few(annex["respondents"].value):
                hidden.add(key)
        elif key not in ANNEX_COUNTS and few(figure.denominator):
            hidden.add(key)
    # Section B.
    participants = clauses["participants"].value
    for category in CATEGORIES:
        if few(participants):
            hidden.add(f"participants_{category}_share")
    for key in ("men_in_female_dominated_jobs", "women_in_male_dominated_jobs"):
        if few(clauses[key].denominator):
            hidden.add(key)
    if few(participants):
        hidden |= {"hours_total", "hours_completion"} | {f"hours_{c}_share" for c in CATEGORIES}
    else:
        # « quand ce sexe compte de 1 à N − 1 participant·es, et alors aussi celle du sexe suivant le moins
        # nombreux, jusqu'à ce que les sexes masqués comptent ensemble N participant·es ou plus » (a sex without
        # participants hides nothing; between equals, the order of the categories).
        sizes = {c: clauses[f"participants_{c}_share"].numerator for c in CATEGORIES}
        sexes = {c for c, size in sizes.items() if few(size)}
        others = sorted((size, CATEGORIES.index(c), c) for c, size in sizes.items() if size and c not in sexes)
        while sexes and sum(sizes[c] for c in sexes) < threshold and others:
            sexes.add(others.pop(0)[2])
        hidden |= {f"hours_{c}_share" for c in sexes}
    # Section D.
    if few(titulaires["titulaires"].value):
        hidden |= {"titulaires_answered_share", "awarded_amount_answered_share"}
    if few(titulaires["titulaires_answered_share"].numerator):
        hidden |= {key for key in titulaires if key.startswith("titulaires_staff_")}
    for key in ("titulaires_commitment_none_share", "titulaires_index_given_share"):
        if few(titulaires[key].denominator):
            hidden.add(key)
    return hidden


def secret_denominators(hidden: set[str]) -> set[str]:
    """The secret figures whose denominator is itself secret: the pooled headcounts of hidden staff shares (their
    four numerators add up to it), the total of hours when it is hidden."""
    return {
        key
        for key in hidden
        if key.endswith("_share")
        and (key.startswith(("staff_", "titulaires_staff_")) or (key.startswith("hours_") and "hours_total" in hidden))
    }
