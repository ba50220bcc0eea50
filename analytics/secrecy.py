"""Statistical secrecy ("secret statistique"): a figure computed over too few structures is not published.

One rule, used by every page and file that shows a share or hours (the dashboard, the clauses report, the
workbooks, CSV, ODS, phrases): with a threshold N (an int, 3 by default; None disables secrecy), an indicator is
secret when it describes fewer than N structures (or persons) but at least one, so that nobody can read one
structure's answer, or one person's hours, in it:
- section A (annex): every share, mean and median whose denominator (structures that answered, or that gave the
  figure) is between 1 and N - 1; the headcount shares (`staff_*`) and `staff_total` pool the headcounts of the
  respondents, so they are secret when `respondents` is between 1 and N - 1;
- section B (clauses): the shares of participants by sex and the counts of men/women in jobs dominated by the
  other sex when the participants they are computed over number between 1 and N - 1; the hours (`hours_total`,
  `hours_completion`) when the participants whose hours they add up number between 1 and N - 1; the share of
  hours of a sex (`hours_<C>_share`) when that sex counts between 1 and N - 1 participants, and then also the
  share of the next smallest sex (the fewest participants first) until the hidden sexes count N participants or
  more together: otherwise one person's hours would be the total minus the shares shown; and all of them when
  the total of hours, their denominator, is secret.
- section D (titulaires): what is read from the titulaires' answers, and whether they answered, when the
  companies it describes number between 1 and N - 1: `titulaires_answered_share` and
  `awarded_amount_answered_share` over the titulaires (`titulaires`), the headcount shares
  (`titulaires_staff_*`, pooled) over the titulaires that answered, `titulaires_commitment_none_share` and
  `titulaires_index_given_share` over their denominator. `awarded_social_consideration_share` is read from the
  markets' published data (DECP): never secret.
Counts of structures or persons (`respondents`, `participants`, `index_eligible`, ...), counts of markets and
section C are never secret. A denominator of 0 is not secret: there is no value at all ("—"). A secret figure
keeps its denominator, unless that denominator is secret too (`secret_denominators`: pooled headcounts, a secret
total of hours), which would give the hidden figure away.
The per-buyer threshold lives in analytics.models.AnalyticsSettings; these functions only take it as an argument.
"""

from collections.abc import Iterable

from analytics.indicators.base import Indicator, IndicatorSet, Kind, Section
from procurement.enums import Gender

DEFAULT_THRESHOLD = 3
SECRET_LABEL = "secret statistique"  # noqa: S105 (not a password)
SECRET_NOTE = "Secret statistique : calculé sur moins de {threshold} structures ou personnes, non diffusé."  # noqa: S105

SEXES = tuple(Gender.values)
_CLAUSE_KEYS_OVER_PEOPLE = (
    *[f"participants_{sex}_share" for sex in SEXES],
    "men_in_female_dominated_jobs",
    "women_in_male_dominated_jobs",
)
_HOURS_KEYS = ("hours_total", "hours_completion")
_HOURS_BY_SEX_KEYS = tuple(f"hours_{sex}_share" for sex in SEXES)


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
    `among` (the other indicators of the same set or list, by key) gives what some figures need: `respondents`
    for the headcount figures of section A, the participants for the hours, `titulaires` and the titulaires that
    answered for section D; `respondents` may also be given alone."""
    among = among or {}
    if indicator.section == Section.TITULAIRES:
        return _titulaires_population(indicator, among)
    if indicator.section == Section.ANNEX and indicator.key.startswith("staff_"):
        return respondents if respondents is not None else _count(among, "respondents")
    if indicator.section == Section.ANNEX and indicator.kind in (Kind.SHARE, Kind.MEAN, Kind.MEDIAN):
        return int(indicator.denominator or 0)
    if indicator.section != Section.CLAUSES:
        return None
    if indicator.key in _CLAUSE_KEYS_OVER_PEOPLE:
        return int(indicator.denominator or 0)
    if indicator.key in _HOURS_KEYS:
        return _count(among, "participants")
    if indicator.key in _HOURS_BY_SEX_KEYS:
        return _count(among, f"participants_{indicator.key.split('_')[1]}_share", "numerator")
    return None


def with_complement(sizes: dict, hidden: set, *, threshold: int) -> set:
    """The parts of a total that is shown (`sizes`: part -> persons, in a fixed order) whose figures are hidden:
    `hidden`, then the smallest other parts (ties in the order of `sizes`) until the hidden ones count N persons or
    more together. Otherwise the total minus the parts shown would give fewer than N persons' figures."""
    hidden = set(hidden)
    order = list(sizes)
    others = sorted((size, order.index(part), part) for part, size in sizes.items() if size and part not in hidden)
    while hidden and sum(sizes[part] for part in hidden) < threshold and others:
        hidden.add(others.pop(0)[2])
    return hidden


def _hidden_sexes(among: dict[str, Indicator], threshold: int) -> set[str]:
    """The sexes whose share of hours is secret: those with 1 to N - 1 participants, then the next smallest
    (`with_complement`)."""
    sizes = {sex: _count(among, f"participants_{sex}_share", "numerator") or 0 for sex in SEXES}
    hidden = {sex for sex, size in sizes.items() if 0 < size < threshold}
    return with_complement(sizes, hidden, threshold=threshold)


def is_secret(
    indicator: Indicator,
    *,
    secrecy_threshold: int | None,
    respondents: int | None = None,
    among: dict[str, Indicator] | None = None,
) -> bool:
    """True when the indicator must show "secret statistique" instead of its value. Figures that depend on
    others (headcounts, hours) need `among` (or `respondents`): prefer `secret_keys`, which reads the whole set."""
    if secrecy_threshold is None:
        return False
    if indicator.section == Section.CLAUSES and indicator.key in _HOURS_BY_SEX_KEYS:
        # Their denominator is the total of hours: secret with it, and each sex as _hidden_sexes says.
        people = _count(among or {}, "participants")
        if people is not None and 0 < people < secrecy_threshold:
            return True
        return indicator.key.split("_")[1] in _hidden_sexes(among or {}, secrecy_threshold)
    size = population(indicator, respondents=respondents, among=among)
    return size is not None and 0 < size < secrecy_threshold


def secret_keys(indicators: IndicatorSet | Iterable[Indicator], *, secrecy_threshold: int | None) -> set[str]:
    """The keys that show "secret statistique" under this threshold (None: no secrecy), for a whole set or for
    a list of indicators computed together (one market's, one year's)."""
    items = indicators.indicators if isinstance(indicators, IndicatorSet) else list(indicators)
    among = {indicator.key: indicator for indicator in items}
    return {
        indicator.key for indicator in items if is_secret(indicator, secrecy_threshold=secrecy_threshold, among=among)
    }


def secret_denominators(secret: set[str] | frozenset[str]) -> set[str]:
    """Among the secret keys `secret`, those whose denominator is itself secret, so that it is not shown either
    (a secret figure otherwise keeps its denominator): the staff shares (`staff_*`, `titulaires_staff_*`), whose
    denominator pools the headcounts of the few structures they describe (the sum of their hidden numerators, and
    `staff_total` itself), and the shares of hours when the total of hours, their denominator, is secret."""
    return {
        key
        for key in secret
        if (key.startswith(("staff_", "titulaires_staff_")) and key.endswith("_share"))
        or (key in _HOURS_BY_SEX_KEYS and "hours_total" in secret)
    }


def is_secret_count(count: int, *, secrecy_threshold: int | None) -> bool:
    """A table row over `count` persons (a breakdown by employer or market type and sex): secret from 1 to N - 1."""
    return secrecy_threshold is not None and 0 < count < secrecy_threshold


def secret_groups(rows: Iterable, *, secrecy_threshold: int | None) -> set[str]:
    """Breakdown rows (`group`, `sex`, `participants`, `hours`): the groups where a sex counts 1 to N - 1
    participants. Such a row shows neither its participants nor its hours, and the other rows of its group do not
    show their hours (one person's hours would be the group's total minus the others'). When the hidden groups
    count fewer than N participants together, the smallest other groups are hidden too (`with_complement`): the
    total of hours minus the groups shown would give their hours."""
    rows = list(rows)
    hidden = {row.group for row in rows if is_secret_count(row.participants, secrecy_threshold=secrecy_threshold)}
    if not hidden:
        return hidden
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row.group] = sizes.get(row.group, 0) + row.participants
    return with_complement(sizes, hidden, threshold=secrecy_threshold)


def secret_keys_by_part(parts: dict, *, secrecy_threshold: int | None) -> dict:
    """The secret keys of each part of a clause total (part -> its indicators, e.g. each market of a buyer's
    year): each part's own (`secret_keys`), and when the parts whose hours are secret count fewer than N
    participants together, every person's figure of the smallest other parts too (`with_complement`), since the
    buyer's total minus the parts shown would give those few people's hours."""
    own = {part: secret_keys(indicators, secrecy_threshold=secrecy_threshold) for part, indicators in parts.items()}
    if secrecy_threshold is None:
        return own
    sizes = {part: _count({i.key: i for i in indicators}, "participants") or 0 for part, indicators in parts.items()}
    hidden = {part for part, keys in own.items() if "hours_total" in keys}
    for part in with_complement(sizes, hidden, threshold=secrecy_threshold) - hidden:
        # As if the part counted fewer than N participants: all its shares and hours.
        own[part] = secret_keys(parts[part], secrecy_threshold=sizes[part] + 1)
    return own


def note(*, secrecy_threshold: int | None) -> str:
    return SECRET_NOTE.format(threshold=secrecy_threshold or DEFAULT_THRESHOLD)
