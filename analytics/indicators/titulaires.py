"""Section D of docs/indicateurs.md: the titulaires of the buyer's markets (données essentielles) and their
answers to the equality annex, exactly as defined there.

Which markets count: the markets of the organisation(s) notified in [start, end] (`Market.notified_on`, both ends
included). Their titulaires are the companies, by the SIREN of a valid SIRET (`validate_siret`: Luhn key, La
Poste's rule), that hold them after the latest modification (alone or as members of a groupement); declared
subcontractors are not titulaires, and a holder without a valid SIRET (foreign identifier, a SIREN alone, a wrong
key) counts in no figure. A company that holds several markets counts once, also across several organisations.

A titulaire "answered" as questionnaire.titulaires.selectors says (the one home of that rule, shared with the
titulaires pages): a submitted, non-withdrawn annex response of the same organisation(s) with its SIREN, sent from
12 months before `start` to `end`; its figures are read from its latest such response.

Keys, in this order:
- `awarded_markets` = markets notified in the period;
- `titulaires` = titulaires of those markets;
- `titulaires_answered_share` = titulaires that answered / titulaires;
- `awarded_amount_answered_share` = amount of the markets notified in the period whose titulaires all answered
  (a market with a current titulaire without a valid SIRET, or with no titulaire, never does) / amount of the markets
  notified in the period (a market without an amount counts 0);
- `awarded_social_consideration_share` = markets notified in the period with a social consideration other than
  "Pas de considération sociale" / markets notified in the period (an unknown list counts in the denominator);
- over the latest response of each titulaire that answered: `titulaires_staff_<S>_<C>_share` for S in all,
  cadres and C in F, H, NB, NSP (pooled headcounts, as section A), `titulaires_commitment_none_share` (no
  commitment at all / titulaires that answered), `titulaires_index_given_share` (eligible titulaires, 50 employees
  or more, that gave a score / eligible titulaires).

Values are exact: `Fraction` for ratios, ints for counts, `Decimal` sums of euros for the amounts (numerator and
denominator of `awarded_amount_answered_share`); a denominator of 0 gives None.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet

from analytics.indicators.base import Indicator, Kind, Section
from analytics.indicators.scope import ids_of
from procurement.awards.enums import SocialConsideration
from procurement.enums import Gender
from procurement.models import Market, Organisation
from questionnaire.enums import EQUALITY_INDEX_MIN_STAFF, Commitment, EqualityIndexStatus
from questionnaire.titulaires.selectors import latest_answer_by_siren, period_titulaire_holders, titulaire_siren

CATEGORIES = list(Gender.values)
SCOPES = {"all": ["cadres", "non_cadres"], "cadres": ["cadres"]}
COMMITMENTS = [commitment.value for commitment in Commitment]

KINDS: dict[str, str] = {
    "awarded_markets": Kind.COUNT,
    "titulaires": Kind.COUNT,
    "titulaires_answered_share": Kind.SHARE,
    "awarded_amount_answered_share": Kind.SHARE,
    "awarded_social_consideration_share": Kind.SHARE,
    **{f"titulaires_staff_{scope}_{category}_share": Kind.SHARE for scope in SCOPES for category in CATEGORIES},
    "titulaires_commitment_none_share": Kind.SHARE,
    "titulaires_index_given_share": Kind.SHARE,
}
KEYS = list(KINDS)


def awarded_markets(*, organisation_ids: list[int], start: datetime.date, end: datetime.date) -> QuerySet[Market]:
    """The markets notified in [start, end]."""
    return Market.objects.filter(organisation__in=organisation_ids, notified_on__gte=start, notified_on__lte=end)


def has_social_consideration(considerations) -> bool:
    """A market's list of social considerations holds one other than « Pas de considération sociale »."""
    return any(value != SocialConsideration.NONE for value in considerations or [])


def _share(numerator, denominator) -> Fraction | None:
    return Fraction(numerator) / Fraction(denominator) if denominator else None


NO_EUROS = Decimal("0.00")


def titulaire_indicators(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date
) -> list[Indicator]:
    """Every indicator of section D for one or several organisations over [start, end] (three SQL queries)."""
    organisation_ids = ids_of(organisations)
    markets = awarded_markets(organisation_ids=organisation_ids, start=start, end=end)
    market_rows = list(markets.values_list("pk", "awarded_amount", "social_considerations"))
    sirens_of: dict[int, set[str]] = {pk: set() for pk, _, _ in market_rows}
    # Markets with a titulaire that no valid SIRET identifies: nobody can tell whether it answered.
    unidentified: set[int] = set()
    for market_id, siret in period_titulaire_holders(organisation_ids, start, end).values_list("market_id", "siret"):
        siren = titulaire_siren(siret)
        if siren is not None:
            sirens_of[market_id].add(siren)
        else:
            unidentified.add(market_id)
    titulaires = set().union(*sirens_of.values()) if sirens_of else set()
    latest = latest_answer_by_siren(organisation_ids, start, end, sirens=titulaires)
    answers, answered = list(latest.values()), set(latest)

    values: dict[str, tuple] = {}
    values["awarded_markets"] = (len(market_rows), None, len(market_rows))
    values["titulaires"] = (len(titulaires), None, len(titulaires))
    values["titulaires_answered_share"] = (
        len(answered),
        len(titulaires),
        _share(len(answered), len(titulaires)),
    )
    # Euros, even when no market (or none answered) adds any: « 0,00 / 50 000,00 », never « 0 / 50 000 ».
    total = sum((amount or NO_EUROS for _, amount, _ in market_rows), NO_EUROS)
    answered_amount = sum(
        (
            amount or NO_EUROS
            for pk, amount, _ in market_rows
            if sirens_of[pk] and pk not in unidentified and sirens_of[pk] <= answered
        ),
        NO_EUROS,
    )
    values["awarded_amount_answered_share"] = (answered_amount, total, _share(answered_amount, total))
    social = sum(1 for _, _, considerations in market_rows if has_social_consideration(considerations))
    values["awarded_social_consideration_share"] = (social, len(market_rows), _share(social, len(market_rows)))
    for scope, parts in SCOPES.items():
        pooled = {
            category: sum(getattr(answer, f"{part}_{category.lower()}") or 0 for answer in answers for part in parts)
            for category in CATEGORIES
        }
        scope_total = sum(pooled.values())
        for category in CATEGORIES:
            values[f"titulaires_staff_{scope}_{category}_share"] = (
                pooled[category],
                scope_total,
                _share(pooled[category], scope_total),
            )
    none = sum(1 for answer in answers if all(getattr(answer, f"commitment_{key}") is False for key in COMMITMENTS))
    values["titulaires_commitment_none_share"] = (none, len(answers), _share(none, len(answers)))
    eligible = [answer for answer in answers if (answer.staff_total or 0) >= EQUALITY_INDEX_MIN_STAFF]
    scored = sum(
        1
        for answer in eligible
        if answer.equality_index_status == EqualityIndexStatus.SCORE and answer.equality_index_score is not None
    )
    values["titulaires_index_given_share"] = (scored, len(eligible), _share(scored, len(eligible)))
    return [Indicator(key, Section.TITULAIRES, KINDS[key], *values[key]) for key in KEYS]
