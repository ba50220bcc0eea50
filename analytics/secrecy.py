"""Statistical secrecy ("secret statistique"): a figure computed over too few structures is not published.

Rule: with a threshold N (an int, 3 by default; None disables secrecy), an indicator is secret when it
describes fewer than N structures (or persons) but at least one, so that nobody can read one structure's answer in
it:
- section A (annex): every share, mean and median whose denominator (structures that answered, or that gave the
  figure) is between 1 and N - 1; the headcount shares (`staff_*`) and `staff_total` pool the headcounts of the
  respondents, so they are secret when `respondents` is between 1 and N - 1;
- section B (clauses): the shares of participants by sex and the counts of men/women in jobs dominated by the
  other sex when the participants they are computed over number between 1 and N - 1.
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


def population(indicator: Indicator, *, respondents: int | None = None) -> int | None:
    """How many structures or persons the figure describes, when secrecy applies to it; else None.
    `respondents` (the `respondents` indicator of the same set) is needed for the headcount figures."""
    if indicator.section == Section.ANNEX and indicator.key.startswith("staff_"):
        return respondents
    if indicator.section == Section.ANNEX and indicator.kind in (Kind.SHARE, Kind.MEAN, Kind.MEDIAN):
        return int(indicator.denominator or 0)
    if indicator.section == Section.CLAUSES and indicator.key in _CLAUSE_KEYS_OVER_PEOPLE:
        return int(indicator.denominator or 0)
    return None


def is_secret(indicator: Indicator, *, secrecy_threshold: int | None, respondents: int | None = None) -> bool:
    """True when the indicator must show "secret statistique" instead of its value. Pass `respondents` for the
    `staff_*` figures (or use `secret_keys`, which reads it from the set)."""
    if secrecy_threshold is None:
        return False
    size = population(indicator, respondents=respondents)
    return size is not None and 0 < size < secrecy_threshold


def secret_keys(indicator_set: IndicatorSet, *, secrecy_threshold: int | None) -> set[str]:
    """The keys of the set that show "secret statistique" under this threshold (None: no secrecy)."""
    respondents = indicator_set.by_key().get("respondents")
    count = int(respondents.value or 0) if respondents is not None else None
    return {
        indicator.key
        for indicator in indicator_set.indicators
        if is_secret(indicator, secrecy_threshold=secrecy_threshold, respondents=count)
    }


def note(*, secrecy_threshold: int | None) -> str:
    return SECRET_NOTE.format(threshold=secrecy_threshold or DEFAULT_THRESHOLD)
