"""Section A of docs/indicateurs.md, « Index publiés »: the index the respondents declared against the one they
published (Egapro, loaded by `import_egapro`), appended after the keys of analytics/indicators/annex.py.

Which responses: those of section A (`annex.counted_responses`: the latest of each structure in the period) whose
declared total headcount is at least 50 (the `index_eligible` respondents). Which published index: the row of the
published file for the response's SIREN, its own or its UES's (a member company), for the year of the indicators
`declared publication year - 1`, or `end.year - 1` (the index published in the period's last year) when the
response gave no year. A response without a SIREN has no published index.

Keys, in this order:
- `index_published_share` = eligible respondents with a published index (a score or « NC ») / eligible
  respondents;
- `index_mismatch_share` = eligible respondents whose declared score differs from the published score / eligible
  respondents with both a declared and a published score (0 to 100; « non calculable » on either side is neither);
- `index_published_mean`, `index_published_median` over the published scores of the eligible respondents that
  have one (numerator null, denominator = number of scores), next to `index_mean` and `index_median` (declared).

One SQL query: the eligible responses grouped by (published found, published score, declared score given, same
score): at most 2 x 102 x 2 groups, whose sizes add up to the counts and give the histogram of the median. Values
are exact (`Fraction`); a denominator of 0 gives None.
"""

import datetime
from collections.abc import Iterable
from fractions import Fraction

from django.db.models import BooleanField, Case, Count, F, Q, Value, When

from analytics.indicators.annex import counted_responses, median_from_histogram
from analytics.indicators.base import Indicator, Kind, Section
from analytics.indicators.scope import ids_of
from procurement.models import Organisation
from questionnaire.enums import EQUALITY_INDEX_MIN_STAFF, EqualityIndexStatus
from registers.selectors import with_published_index

KINDS: dict[str, str] = {
    "index_published_share": Kind.SHARE,
    "index_mismatch_share": Kind.SHARE,
    "index_published_mean": Kind.MEAN,
    "index_published_median": Kind.MEDIAN,
}
KEYS = list(KINDS)

_DECLARED_SCORE = Q(equality_index_status=EqualityIndexStatus.SCORE, equality_index_score__isnull=False)


def published_index_indicators(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date
) -> list[Indicator]:
    eligible = counted_responses(organisation_ids=ids_of(organisations), start=start, end=end).filter(
        staff_total__gte=EQUALITY_INDEX_MIN_STAFF
    )
    annotated = with_published_index(eligible, fallback_year=end.year - 1).annotate(
        declared_score=Case(
            When(_DECLARED_SCORE, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        same_score=Case(
            When(_DECLARED_SCORE & Q(published_index=F("equality_index_score")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    groups = list(
        annotated.values("published_found", "published_index", "declared_score", "same_score")
        .annotate(size=Count("pk"))
        .order_by()
    )
    return _indicators(groups)


def _share(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def _indicators(groups: list[dict]) -> list[Indicator]:
    eligible = sum(group["size"] for group in groups)
    found = [group for group in groups if group["published_found"]]
    scored = [group for group in found if group["published_index"] is not None]
    both = [group for group in scored if group["declared_score"]]
    published = sum(group["size"] for group in found)
    compared = sum(group["size"] for group in both)
    different = sum(group["size"] for group in both if not group["same_score"])
    scores = sum(group["size"] for group in scored)
    total = sum(group["published_index"] * group["size"] for group in scored)
    histogram: dict[int, int] = {}
    for group in scored:
        histogram[group["published_index"]] = histogram.get(group["published_index"], 0) + group["size"]
    values = {
        "index_published_share": (published, eligible, _share(published, eligible)),
        "index_mismatch_share": (different, compared, _share(different, compared)),
        "index_published_mean": (None, scores, Fraction(total, scores) if scores else None),
        "index_published_median": (None, scores, median_from_histogram(list(histogram.items()))),
    }
    return [Indicator(key, Section.ANNEX, KINDS[key], *values[key]) for key in KEYS]
