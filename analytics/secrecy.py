"""Statistical secrecy ("secret statistique"): a figure computed over too few structures is not published.

Rule: with a threshold N (an int, 3 by default; None disables secrecy), an indicator is secret when it
describes fewer than N structures (or persons) but at least one, so that nobody can read one structure's answer in
it:
- section A (annex): every share, mean and median whose denominator (structures that answered, or that gave the
  figure) is between 1 and N - 1; the headcount shares (`staff_*`) and `staff_total` pool the headcounts of the
  respondents, so they are secret when `respondents` is between 1 and N - 1;
- section B (clauses): the shares of participants by sex and the counts of men/women in jobs dominated by the
  other sex when the participants they are computed over number between 1 and N - 1;
- section D (titulaires): what is read from the titulaires' answers, and whether they answered, when the
  companies it describes number between 1 and N - 1: `titulaires_answered_share` and
  `awarded_amount_answered_share` over the titulaires (`titulaires`), the headcount shares
  (`titulaires_staff_*`, pooled) over the titulaires that answered, `titulaires_commitment_none_share` and
  `titulaires_index_given_share` over their denominator. `awarded_social_consideration_share` is read from the
  markets' published data (DECP): never secret.
Counts of structures (`respondents`, `index_eligible`, ...), totals of hours and section C are never secret. A
denominator of 0 is not secret: there is no value at all ("—").
The per-buyer threshold lives in analytics.models.AnalyticsSettings; these functions only take it as an argument.
"""

from analytics.indicators.base import Indicator, IndicatorSet, Kind, Section

DEFAULT_THRESHOLD = 3
SECRET_LABEL = "secret statistique"  # noqa: S105 (not a password)
SECRET_NOTE = "Secret statistique : calculé sur moins de {threshold} structures ou personnes, non diffusé."  # noqa: S105

_CLAUSE_KEYS_OVER_PEOPLE = (
    "participants_F_share",
    "participants_H_share",
    "participants_NB_share",
    "participants_NSP_share",
    "men_in_female_dominated_jobs",
    "women_in_male_dominated_jobs",
)


_TITULAIRE_KEYS_OVER_TITULAIRES = ("titulaires_answered_share", "awarded_amount_answered_share")
_TITULAIRE_KEYS_OVER_ANSWERS = ("titulaires_commitment_none_share", "titulaires_index_given_share")


def _count(by_key: dict[str, Indicator], key: str, part: str = "value") -> int | None:
    indicator = by_key.get(key)
    if indicator is None:
        return None
    return int(getattr(indicator, part) or 0)


def _titulaires_population(indicator: Indicator, among: dict[str, Indicator]) -> int | None:
    if indicator.key in _TITULAIRE_KEYS_OVER_TITULAIRES:
        return _count(among, "titulaires")
    if indicator.key.startswith("titulaires_staff_"):
        return _count(among, "titulaires_answered_share", "numerator")
    if indicator.key in _TITULAIRE_KEYS_OVER_ANSWERS:
        return int(indicator.denominator or 0)
    return None


def population(
    indicator: Indicator, *, respondents: int | None = None, among: dict[str, Indicator] | None = None
) -> int | None:
    """How many structures or persons the figure describes, when secrecy applies to it; else None.
    `among` (the other indicators of the same set, by key) gives what some figures need: `respondents` for the
    headcount figures of section A, `titulaires` and the titulaires that answered for section D; `respondents` may
    also be given alone."""
    among = among or {}
    if indicator.section == Section.TITULAIRES:
        return _titulaires_population(indicator, among)
    if indicator.section == Section.ANNEX and indicator.key.startswith("staff_"):
        return respondents if respondents is not None else _count(among, "respondents")
    if indicator.section == Section.ANNEX and indicator.kind in (Kind.SHARE, Kind.MEAN, Kind.MEDIAN):
        return int(indicator.denominator or 0)
    if indicator.section == Section.CLAUSES and indicator.key in _CLAUSE_KEYS_OVER_PEOPLE:
        return int(indicator.denominator or 0)
    return None


def is_secret(
    indicator: Indicator,
    *,
    secrecy_threshold: int | None,
    respondents: int | None = None,
    among: dict[str, Indicator] | None = None,
) -> bool:
    """True when the indicator must show "secret statistique" instead of its value. Figures that depend on
    others (headcounts, section D) need `among` (or `respondents`): prefer `secret_keys`, which reads the set."""
    if secrecy_threshold is None:
        return False
    size = population(indicator, respondents=respondents, among=among)
    return size is not None and 0 < size < secrecy_threshold


def secret_keys(indicator_set: IndicatorSet, *, secrecy_threshold: int | None) -> set[str]:
    """The keys of the set that show "secret statistique" under this threshold (None: no secrecy)."""
    among = indicator_set.by_key()
    return {
        indicator.key
        for indicator in indicator_set.indicators
        if is_secret(indicator, secrecy_threshold=secrecy_threshold, among=among)
    }


def note(*, secrecy_threshold: int | None) -> str:
    return SECRET_NOTE.format(threshold=secrecy_threshold or DEFAULT_THRESHOLD)
