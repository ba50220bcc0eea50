"""The one home of the rule "a titulaire answered" (docs/indicateurs.md, section D), read by the titulaires pages
and by the statistics (analytics.indicators.titulaires).

A titulaire answered for a period [start, end] when a submitted, non-withdrawn annex response of the same
organisation(s) with its SIREN was sent (Europe/Paris date of submission) from 12 months before `start` to `end`.
Its figures are read from its latest such response: latest `submitted_at`, ties broken by the highest id.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, QuerySet

from procurement import charts
from procurement.models import Market, MarketHolder, Organisation
from procurement.validators import is_valid_siret
from questionnaire.enums import HEADCOUNT_CATEGORIES
from questionnaire.forms import year_ago
from questionnaire.models import AnnexResponse, Reminder, ReminderOptOut, answered_after
from questionnaire.structures import company_label
from registers import selectors as registers


def answer_window(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The submission dates whose answers count for the titulaires of [start, end]: 12 months before `start`
    (29 February gives 28 February) to `end`, both included."""
    return year_ago(start), end


def answering_responses(
    organisation_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> QuerySet[AnnexResponse]:
    """The responses with a SIREN that make their titulaire count as answered for [start, end]."""
    window_start, window_end = answer_window(start, end)
    return (
        AnnexResponse.objects.submitted()
        .in_period(window_start, window_end)
        .filter(organisation__in=list(organisation_ids))
        .exclude(siren="")
    )


def latest_answer_by_siren(
    organisation_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    sirens: Iterable[str] | None = None,
) -> dict[str, AnnexResponse]:
    """The latest answering response of each SIREN (of `sirens` only, when given) for [start, end]."""
    counted = answering_responses(organisation_ids, start, end)
    later = counted.filter(siren=OuterRef("siren")).filter(answered_after(OuterRef("submitted_at"), OuterRef("pk")))
    latest = counted.filter(~Exists(later))
    if sirens is not None:
        latest = latest.filter(siren__in=list(sirens))
    return {response.siren: response for response in latest}


# --- The titulaires pages (questionnaire/titulaires/views.py) -----------------------------------------------------


@dataclass(frozen=True)
class TitulaireFilters:
    answered: bool | None = None  # None: all
    market_type: str = ""
    social_consideration: str = ""


@dataclass(frozen=True)
class KeyFigures:
    """What the lists show of an answer: shares of women (exact fractions, None without staff), board, index."""

    staff_total: int
    women_share: Fraction | None
    women_cadres_share: Fraction | None
    board_women_pct: Decimal | None
    index_score: int | None
    commitments: int

    @property
    def women_pct(self) -> Decimal | None:
        return _percent(self.women_share)

    @property
    def women_cadres_pct(self) -> Decimal | None:
        return _percent(self.women_cadres_share)


def _percent(share: Fraction | None) -> Decimal | None:
    """A share as a percentage with 2 decimals, for pages and files."""
    if share is None:
        return None
    return (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.01"))


@dataclass
class Titulaire:
    """A company (by SIREN) that won at least one of the buyer's markets notified in the year."""

    siren: str
    name: str  # "" when no market nor answer names the company (DECP 2.0 gives none)
    markets: list[Market] = field(default_factory=list)
    latest_answer: AnnexResponse | None = None
    last_reminder: Reminder | None = None
    contact_email: str = ""  # set by the list for the one-click reminder (known_contact_emails)

    @property
    def has_name(self) -> bool:
        """False when no market nor answer named the company: pages then name it by its SIREN (`company_name`)."""
        return bool(self.name)

    @property
    def label(self) -> str:
        """Its name in a plain text (a button's label): questionnaire.structures.company_label."""
        return company_label(self.name, self.siren)

    @property
    def last_market(self) -> Market | None:
        """The latest notified of its markets: the one a reminder names."""
        return self.markets[-1] if self.markets else None

    @property
    def answered(self) -> bool:
        return self.latest_answer is not None

    @property
    def total_amount(self) -> Decimal | None:
        amounts = [market.awarded_amount for market in self.markets if market.awarded_amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    @property
    def figures(self) -> KeyFigures | None:
        return key_figures(self.latest_answer) if self.latest_answer is not None else None


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def key_figures(response: AnnexResponse) -> KeyFigures:
    cadres = sum(getattr(response, f"cadres_{category}") for category in HEADCOUNT_CATEGORIES)
    total = cadres + sum(getattr(response, f"non_cadres_{category}") for category in HEADCOUNT_CATEGORIES)
    return KeyFigures(
        staff_total=total,
        women_share=_share(response.cadres_f + response.non_cadres_f, total),
        women_cadres_share=_share(response.cadres_f, cadres),
        board_women_pct=response.board_women_pct if response.has_board else None,
        index_score=response.equality_index_score,
        commitments=sum(1 for _commitment, taken, _detail in response.commitments() if taken),
    )


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def titulaire_years(*, organisation: Organisation) -> list[int]:
    """The years in which the buyer notified a market with a titulaire, latest first."""
    dates = (
        MarketHolder.objects.titulaires()
        .for_organisation(organisation)
        .exclude(market__notified_on__isnull=True)
        .dates("market__notified_on", "year", order="DESC")
    )
    return [day.year for day in dates]


def _has_consideration(market: Market, value: str) -> bool:
    return bool(market.social_considerations) and value in market.social_considerations


def titulaires_of_year(
    *, organisation: Organisation, year: int, filters: TitulaireFilters = TitulaireFilters()
) -> list[Titulaire]:
    """The titulaires of the buyer's markets notified in `year`, as section D of docs/indicateurs.md counts them
    (the same companies as the statistics): the companies holding a market after its latest modification, alone or
    in a groupement, by the SIREN of a valid SIRET; with their markets, their latest answer (the rule above) and
    their last reminder; by name. A holder without a valid SIRET cannot be matched with an answer:
    `unidentified_holders` counts them."""
    start, end = year_period(year)
    holders = (
        _year_titulaire_holders(organisation=organisation, start=start, end=end)
        .select_related("market")
        .order_by("market__notified_on", "market__reference", "pk")
    )
    if filters.market_type:
        holders = holders.filter(market__market_type=filters.market_type)
    by_siren: dict[str, Titulaire] = {}
    for holder in holders:
        siren = titulaire_siren(holder.siret)
        if siren is None:
            continue
        # JSON containment is not portable (SQLite): the year's markets are few enough to filter here.
        if filters.social_consideration and not _has_consideration(holder.market, filters.social_consideration):
            continue
        titulaire = by_siren.setdefault(siren, Titulaire(siren=siren, name=holder.name))
        titulaire.name = titulaire.name or holder.name
        if holder.market not in titulaire.markets:
            titulaire.markets.append(holder.market)
    answers = latest_answer_by_siren([organisation.pk], start, end, sirens=by_siren)
    for reminder in Reminder.objects.filter(organisation=organisation, siren__in=list(by_siren)).order_by("sent_at"):
        by_siren[reminder.siren].last_reminder = reminder
    result = []
    for siren, titulaire in by_siren.items():
        titulaire.latest_answer = answers.get(siren)
        if not titulaire.name and titulaire.latest_answer:
            titulaire.name = titulaire.latest_answer.structure_name
        if filters.answered is None or filters.answered == titulaire.answered:
            result.append(titulaire)
    # By name, the companies without a known name after the others, by SIREN.
    return sorted(result, key=lambda one: (not one.has_name, one.name.casefold(), one.siren))


def period_titulaire_holders(organisation_ids, start, end) -> QuerySet[MarketHolder]:
    """Section D's titulaires (docs/indicateurs.md), read by the statistics and these pages alike: the holders of
    the markets of these organisations notified in [start, end] after their latest modification, alone or in a
    groupement (subcontractors apart); `titulaire_siren` then tells which company each one is."""
    return (
        MarketHolder.objects.titulaires()
        .current()
        .filter(market__organisation__in=list(organisation_ids), market__notified_on__range=(start, end))
    )


def titulaire_siren(siret: str) -> str | None:
    """The company a titulaire is: the SIREN of a valid SIRET; None when no valid SIRET identifies it."""
    return siret[:9] if is_valid_siret(siret) else None


def _year_titulaire_holders(*, organisation: Organisation, start, end) -> QuerySet[MarketHolder]:
    return period_titulaire_holders([organisation.pk], start, end)


def unidentified_holders(*, organisation: Organisation, year: int) -> int:
    """Current titulaires of the year's markets without a valid SIRET (foreign companies...), by identifier."""
    start, end = year_period(year)
    holders = _year_titulaire_holders(organisation=organisation, start=start, end=end)
    rows = holders.values_list("identifier", "siret")
    return len({identifier for identifier, siret in rows if titulaire_siren(siret) is None})


def subcontractors_of_year(*, organisation: Organisation, year: int) -> QuerySet[MarketHolder]:
    """Declared subcontractors of the year's markets: shown apart, they are not titulaires."""
    start, end = year_period(year)
    return (
        MarketHolder.objects.subcontractors()
        .for_organisation(organisation)
        .filter(market__notified_on__range=(start, end))
        .select_related("market")
        .order_by("name", "identifier", "market__reference")
    )


# --- A company's page -----------------------------------------------------------------------------------------------


def company_holdings(*, organisation: Organisation, siren: str) -> QuerySet[MarketHolder]:
    """Every market of the buyer the company holds or held, as titulaire, groupement member or subcontractor."""
    return (
        MarketHolder.objects.for_organisation(organisation)
        .filter(siren=siren)
        .select_related("market")
        .order_by("-market__notified_on", "market__reference", "role")
    )


def company_answers(*, organisation: Organisation, siren: str) -> QuerySet[AnnexResponse]:
    """Every answer the company gave the buyer (submitted, not withdrawn), oldest first, each with the index the
    company published for the year it declared (registers.selectors.with_published_index)."""
    answers = (
        AnnexResponse.objects.submitted()
        .filter(organisation=organisation, siren=siren)
        .select_related("market")
        .order_by("submitted_at", "pk")
    )
    return registers.with_published_index(answers)


def published_index_text(answer: AnnexResponse) -> str:
    """« 75 (vérifié) », « non calculable (différent) », « non publié »: the published index beside the declared one,
    on an answer of `company_answers`."""
    check = registers.index_check(answer)
    if not getattr(answer, "published_found", False):
        return registers.CHECK_TEXTS[check]
    score = "non calculable" if answer.published_not_computable else str(answer.published_index)
    return f"{score} ({registers.CHECK_TEXTS[check]})"


def company_reminders(*, organisation: Organisation, siren: str) -> QuerySet[Reminder]:
    return Reminder.objects.filter(organisation=organisation, siren=siren).select_related("market", "sent_by")


def company_name(*, organisation: Organisation, siren: str) -> str | None:
    """The company's name as the buyer knows it (a market's titulaire, else its latest answer); "" when it holds
    one of the buyer's markets under no name (DECP 2.0 gives none: pages name it by its SIREN); None when the
    buyer knows no such company (the page answers 404: another buyer's companies are not revealed)."""
    holder = company_holdings(organisation=organisation, siren=siren).exclude(name="").first()
    if holder is not None:
        return holder.name
    answer = company_answers(organisation=organisation, siren=siren).last()
    if answer is not None:
        return answer.structure_name
    if company_holdings(organisation=organisation, siren=siren).exists():
        return ""
    return None


def known_contact_emails(*, organisation: Organisation, sirens: Iterable[str]) -> dict[str, str]:
    """The address of each company's latest answer that gave one: where its reminder may go. A withdrawn answer
    gives none: the company took back what it sent, its address with it."""
    emails: dict[str, str] = {}
    answers = (
        AnnexResponse.objects.submitted()
        .filter(organisation=organisation, siren__in=list(sirens))
        .exclude(contact_email="")
        .order_by("siren", "-submitted_at", "-pk")
        .values_list("siren", "contact_email")
    )
    for siren, email in answers:
        emails.setdefault(siren, email)
    return emails


def reminder_of(*, organisation: Organisation, pk: int) -> Reminder | None:
    return Reminder.objects.filter(organisation=organisation, pk=pk).select_related("market", "sent_by").first()


def has_opted_out(*, organisation: Organisation, siren: str) -> bool:
    return ReminderOptOut.objects.filter(organisation=organisation, siren=siren).exists()


@dataclass(frozen=True)
class Evolution:
    """One small chart of a company's page: one category per answer (its date), one series per figure; the page
    draws it and gives the same figures as a table."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[Fraction | int | None]]]
    shares: bool


def company_evolution(evolution: list[tuple[AnnexResponse, KeyFigures]]) -> list[Evolution]:
    """The shares of women (staff, cadres, board) and the index over the company's answers; a chart with nothing
    to draw is left out."""
    categories = [answer.submitted_on.strftime("%d/%m/%Y") for answer, _figures in evolution]
    shares = Evolution(
        title="Part des femmes, réponse après réponse",
        categories=categories,
        series=[
            ("Effectif", [figures.women_share for _answer, figures in evolution]),
            ("Cadres", [figures.women_cadres_share for _answer, figures in evolution]),
            (
                "Conseil d'administration",
                [
                    None if figures.board_women_pct is None else Fraction(figures.board_women_pct) / 100
                    for _answer, figures in evolution
                ],
            ),
        ],
        shares=True,
    )
    index = Evolution(
        title="Note de l'index de l'égalité professionnelle (sur 100)",
        categories=categories,
        series=[("Note", [figures.index_score for _answer, figures in evolution])],
        shares=False,
    )
    return [chart for chart in (shares, index) if charts.has_values(values for _label, values in chart.series)]
