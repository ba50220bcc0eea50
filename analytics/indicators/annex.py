"""Section A of docs/indicateurs.md: the equality annex (questionnaire), exactly as defined there.

Which responses count: the submitted (not withdrawn) responses of the organisation(s) whose Europe/Paris
submission date (`submitted_on`) lies in [start, end], both ends included. A structure (`structure_key`: SIREN,
else normalised name) that answered several times in the period counts once: its latest submission in the period
stands (latest `submitted_at`, ties broken by the highest id). When several organisations are computed together,
a structure that answered two of them still counts once.

Keys, in this order (the order of the JSON, the workbook and the dashboard):
- `respondents` (structures counted once), `responses` (raw submitted responses in the period);
- `staff_total` = the pooled denominator of scope "all";
- `staff_<S>_<C>_share` for S in all, cadres, non_cadres and C in F, H, NB, NSP: sum over respondents of C in S /
  sum over respondents of F+H+NB+NSP in S (pooled headcounts; NSP is in the denominator);
- `board_has_share` = structures with a board / structures that answered the question;
- `board_women_mean` = mean declared share of women on the board (in %, 0-100), over structures that have a board
  and gave it (numerator null, denominator = those structures);
- `role_<R>_<C>_share` for R in president, secretary, treasurer: structures whose R is C / structures that answered
  for R ("sans objet" and blank are not answers);
- `volunteers_women_mean` = mean declared share of women among volunteers (in %), over structures that gave it;
- `index_eligible` = respondents with at least 50 employees in all (denominator: respondents);
- `index_given_share` = eligible structures that gave a score / eligible structures;
- `index_mean`, `index_median` over the scores given by eligible structures (numerator null, denominator = number
  of scores);
- `index_band_<B>_share` for B in below_75 (< 75), 75_to_84 (75 to 84), 85_and_above (>= 85), not_computable:
  eligible structures in band B / eligible structures that answered (a score or "not computable");
- `commitment_<K>_share` for the eight commitments = respondents that answered yes to K / respondents;
  `commitment_none_share` = respondents that answered no to all eight / respondents;
- `policy_text_share` = respondents whose internal-policy text is not blank (spaces, no-break spaces, tabs and line
  breaks only is blank) / respondents.

One organisation over a calendar year: ONE plain pass over that year's responses, whose latest answer of each
structure was marked when it was stored (questionnaire.services.latest); the marked rows make the figures and
every row the raw count. Any other period, or several organisations: two queries, an aggregation over the latest
response of each structure found when reading (a `NOT EXISTS later response` filter) and a count of the raw
responses. Either way the aggregation is grouped by the index score of counted eligible structures (NULL for the
others): scores are integers from 0 to 100, so it returns at most 102 rows, whose counts and sums add up to the
totals in Python and whose sizes are the histogram the median is read from, exactly.
Values are exact: `Fraction` for ratios and means, ints for counts; a denominator of 0
gives None.
"""

import datetime
from collections.abc import Iterable
from decimal import Context, Decimal
from fractions import Fraction

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from analytics.indicators.base import Indicator, Kind, Section
from analytics.indicators.scope import ids_of
from procurement.enums import Gender
from procurement.models import Organisation
from questionnaire.enums import EQUALITY_INDEX_MIN_STAFF, Commitment, EqualityIndexStatus
from questionnaire.models import AnnexResponse, answered_after

CATEGORIES = list(Gender.values)
SCOPES = {"all": ["cadres", "non_cadres"], "cadres": ["cadres"], "non_cadres": ["non_cadres"]}
ROLES = ["president", "secretary", "treasurer"]
BANDS = ["below_75", "75_to_84", "85_and_above", "not_computable"]
COMMITMENTS = [commitment.value for commitment in Commitment]
# Means of a declared percentage: a plain number from 0 to 100 (docs/indicateurs.md: a mean is a plain number).
PERCENT_POINT_KEYS = ("board_women_mean", "volunteers_women_mean")

HUNDREDTHS = Decimal("0.01")

KINDS: dict[str, str] = {
    "respondents": Kind.COUNT,
    "responses": Kind.COUNT,
    "staff_total": Kind.COUNT,
    **{f"staff_{scope}_{category}_share": Kind.SHARE for scope in SCOPES for category in CATEGORIES},
    "board_has_share": Kind.SHARE,
    "board_women_mean": Kind.MEAN,
    **{f"role_{role}_{category}_share": Kind.SHARE for role in ROLES for category in CATEGORIES},
    "volunteers_women_mean": Kind.MEAN,
    "index_eligible": Kind.COUNT,
    "index_given_share": Kind.SHARE,
    "index_mean": Kind.MEAN,
    "index_median": Kind.MEDIAN,
    **{f"index_band_{band}_share": Kind.SHARE for band in BANDS},
    **{f"commitment_{commitment}_share": Kind.SHARE for commitment in COMMITMENTS},
    "commitment_none_share": Kind.SHARE,
    "policy_text_share": Kind.SHARE,
}
KEYS = list(KINDS)


def calendar_year(start: datetime.date, end: datetime.date) -> int | None:
    """The year when [start, end] is exactly one calendar year, else None."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return start.year
    return None


def counted_responses(*, organisation_ids: list[int], start: datetime.date, end: datetime.date) -> QuerySet:
    """The latest submitted response in [start, end] of each structure: the rows every annex figure reads.

    One organisation over a calendar year: the rows marked when they were stored (a plain scan; see
    questionnaire.services.latest). Any other period, or several organisations (a structure that answered two
    of them counts once), dedupes when it reads.
    """
    year = calendar_year(start, end)
    if year is not None and len(organisation_ids) == 1:
        return AnnexResponse.objects.filter(organisation_id=organisation_ids[0], submitted_year=year, is_latest=True)
    return deduped_responses(organisation_ids=organisation_ids, start=start, end=end)


def deduped_responses(*, organisation_ids: list[int], start: datetime.date, end: datetime.date) -> QuerySet:
    """The latest submitted response in [start, end] of each structure, found when reading (any period)."""
    in_period = AnnexResponse.objects.submitted().in_period(start, end).filter(organisation__in=organisation_ids)
    later = in_period.filter(structure_key=OuterRef("structure_key")).filter(
        answered_after(OuterRef("submitted_at"), OuterRef("pk"))
    )
    return in_period.filter(~Exists(later))


def _both(first: Q | None, second: Q | None) -> Q | None:
    if first is None or second is None:
        return second if first is None else first
    return first & second


class _TrimSpaces(Func):
    """The text without the spaces, tabs, line breaks and no-break spaces at its ends: empty when it holds only
    those. PostgreSQL's BTRIM and SQLite's TRIM take the characters to remove (one call, no REPLACE chain)."""

    function = "BTRIM"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(" \n\r\t\u00a0\u202f", output_field=TextField()))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="TRIM", **extra_context)


_ELIGIBLE = Q(staff_total__gte=EQUALITY_INDEX_MIN_STAFF)
_HAS_SCORE = Q(equality_index_status=EqualityIndexStatus.SCORE, equality_index_score__isnull=False)
# Figures that are sums of declared decimals (None when nothing was declared); every other figure is a count or an
# integer sum (0 when there is nothing).
_DECIMAL_SUMS = ("board_women_sum", "volunteers_sum", "index_score_sum")


def _aggregates(within: Q | None = None) -> dict:
    """Every sum and count of section A over the rows that count. `within` picks them when the query reads other
    rows too (the yearly figures read every response of the year in one pass: the marked ones count)."""
    eligible, has_score = _ELIGIBLE, _HAS_SCORE
    score = "equality_index_score"

    def _count(condition: Q | None = None):
        return Count("pk", filter=_both(within, condition))

    def _sum(field: str, condition: Q | None = None):
        return Sum(field, filter=_both(within, condition))

    def _headcount_sum(scope: str, category: str | None):
        expression = None
        for part in SCOPES[scope]:
            for c in CATEGORIES if category is None else [category]:
                term = _sum(f"{part}_{c.lower()}")
                expression = term if expression is None else expression + term
        return Coalesce(expression, Value(0), output_field=IntegerField())

    aggregates = {"respondents": _count()}
    for scope in SCOPES:
        aggregates[f"staff_{scope}"] = _headcount_sum(scope, None)
        for category in CATEGORIES:
            aggregates[f"staff_{scope}_{category}"] = _headcount_sum(scope, category)
    aggregates |= {
        "board_answered": _count(Q(has_board__isnull=False)),
        "board_has": _count(Q(has_board=True)),
        "board_women_given": _count(Q(has_board=True, board_women_pct__isnull=False)),
        "board_women_sum": _sum("board_women_pct", Q(has_board=True)),
        "volunteers_given": _count(Q(volunteers_women_pct__isnull=False)),
        "volunteers_sum": _sum("volunteers_women_pct"),
        "eligible": _count(eligible),
        "index_scores": _count(eligible & has_score),
        "index_score_sum": _sum(score, eligible & has_score),
        "index_answered": _count(eligible & (has_score | Q(equality_index_status=EqualityIndexStatus.NOT_COMPUTABLE))),
        "index_band_below_75": _count(eligible & has_score & Q(equality_index_score__lt=75)),
        "index_band_75_to_84": _count(eligible & has_score & Q(equality_index_score__range=(75, 84))),
        "index_band_85_and_above": _count(eligible & has_score & Q(equality_index_score__gte=85)),
        "index_band_not_computable": _count(eligible & Q(equality_index_status=EqualityIndexStatus.NOT_COMPUTABLE)),
        "commitment_none": _count(Q(**{f"commitment_{commitment}": False for commitment in COMMITMENTS})),
        "policy_text": _count(~Q(policy_text_trimmed="")),
    }
    for role in ROLES:
        aggregates[f"role_{role}"] = _count(Q(**{f"{role}__in": CATEGORIES}))
        for category in CATEGORIES:
            aggregates[f"role_{role}_{category}"] = _count(Q(**{role: category}))
    for commitment in COMMITMENTS:
        aggregates[f"commitment_{commitment}"] = _count(Q(**{f"commitment_{commitment}": True}))
    return aggregates


def _share(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def _mean(total, count: int) -> Fraction | None:
    return Fraction(total) / count if count and total is not None else None


def _percent_sum(total) -> Decimal | None:
    """Sum of percentages declared with 2 decimals: exactly 2 decimals. SQLite sums decimals as floats, so its
    result is brought back to hundredths (exact while the float error stays below 0.005: sums below 10^12)."""
    return None if total is None else Decimal(total).quantize(HUNDREDTHS, context=Context(prec=28))


def median_from_histogram(histogram: list[tuple[int, int]]) -> Fraction | None:
    """Median of the values described by (value, how many) pairs: the middle value, or the mean of the two middle
    values for an even count. `[(70, 1), (80, 2), (95, 1)]` -> 80."""
    histogram = sorted(histogram)
    size = sum(count for _, count in histogram)
    if not size:
        return None
    wanted = [(size - 1) // 2, size // 2]  # 0-based ranks of the middle value(s)
    found, seen = [], 0
    for value, count in histogram:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return Fraction(found[0] + found[1], 2)


def annex_indicators(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date
) -> list[Indicator]:
    """Every indicator of section A for one or several organisations over [start, end] (two SQL queries)."""
    organisation_ids = ids_of(organisations)
    year = calendar_year(start, end)
    if year is not None and len(organisation_ids) == 1:
        # One plain pass over the year's responses: the marked ones count, all of them are the raw count.
        rows = AnnexResponse.objects.submitted().filter(organisation_id=organisation_ids[0], submitted_year=year)
        within = Q(is_latest=True)
    else:
        rows = deduped_responses(organisation_ids=organisation_ids, start=start, end=end)
        within = None
    # Grouped by index score bucket (the score of a counted eligible structure that gave one, else NULL): at most
    # 102 groups, whose sums and counts add up to the totals, and whose sizes are the histogram of the scores
    # (the median).
    bucket = Case(
        When(_both(within, _ELIGIBLE & _HAS_SCORE), then=F("equality_index_score")),
        default=Value(None),
        output_field=IntegerField(),
    )
    groups = list(
        rows.annotate(policy_text_trimmed=_TrimSpaces("policy_text"), index_bucket=bucket)
        .values("index_bucket")
        .annotate(**_aggregates(within), rows=Count("pk"))
        .order_by()
    )
    if within is not None:
        responses = sum(group["rows"] for group in groups)
    else:
        responses = (
            AnnexResponse.objects.submitted().in_period(start, end).filter(organisation__in=organisation_ids).count()
        )
    histogram = [
        (group["index_bucket"], group["respondents"]) for group in groups if group["index_bucket"] is not None
    ]
    return _indicators(_add_up(groups), responses=responses, histogram=histogram)


def _add_up(groups: list[dict]) -> dict:
    """Adds the groups' figures; a sum stays None (nothing declared) only when it is None in every group."""
    total: dict = {}
    for key in _aggregates():
        values = [group[key] for group in groups if group[key] is not None]
        total[key] = sum(values) if values else (None if key in _DECIMAL_SUMS else 0)
    return total


def _indicators(row: dict, *, responses: int, histogram: list[tuple[int, int]]) -> list[Indicator]:
    values: dict[str, tuple] = {}
    respondents = row["respondents"]
    values["respondents"] = (respondents, None, respondents)
    values["responses"] = (responses, None, responses)
    values["staff_total"] = (row["staff_all"], None, row["staff_all"])
    for scope in SCOPES:
        total = row[f"staff_{scope}"]
        for category in CATEGORIES:
            count = row[f"staff_{scope}_{category}"]
            values[f"staff_{scope}_{category}_share"] = (count, total, _share(count, total))
    board, answered = row["board_has"], row["board_answered"]
    values["board_has_share"] = (board, answered, _share(board, answered))
    given = row["board_women_given"]
    values["board_women_mean"] = (None, given, _mean(_percent_sum(row["board_women_sum"]), given))
    for role in ROLES:
        answered = row[f"role_{role}"]
        for category in CATEGORIES:
            count = row[f"role_{role}_{category}"]
            values[f"role_{role}_{category}_share"] = (count, answered, _share(count, answered))
    given = row["volunteers_given"]
    values["volunteers_women_mean"] = (None, given, _mean(_percent_sum(row["volunteers_sum"]), given))
    eligible, scores = row["eligible"], row["index_scores"]
    values["index_eligible"] = (eligible, respondents, eligible)
    values["index_given_share"] = (scores, eligible, _share(scores, eligible))
    values["index_mean"] = (None, scores, _mean(row["index_score_sum"], scores))
    values["index_median"] = (None, scores, median_from_histogram(histogram))
    for band in BANDS:
        count = row[f"index_band_{band}"]
        values[f"index_band_{band}_share"] = (count, row["index_answered"], _share(count, row["index_answered"]))
    for commitment in [*COMMITMENTS, "none"]:
        count = row[f"commitment_{commitment}"]
        values[f"commitment_{commitment}_share"] = (count, respondents, _share(count, respondents))
    values["policy_text_share"] = (row["policy_text"], respondents, _share(row["policy_text"], respondents))
    return [Indicator(key, Section.ANNEX, KINDS[key], *values[key]) for key in KEYS]
