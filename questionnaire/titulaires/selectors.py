"""The one home of the rule "a titulaire answered" (docs/indicateurs.md, section D), read by the titulaires pages
and by the statistics (analytics.indicators.titulaires).

A titulaire answered for a period [start, end] when a submitted, non-withdrawn annex response of the same
organisation(s) with its SIREN was sent (Europe/Paris date of submission) from 12 months before `start` to `end`.
Its figures are read from its latest such response: latest `submitted_at`, ties broken by the highest id.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from questionnaire.forms import year_ago
from questionnaire.models import AnnexResponse


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
    later = counted.filter(siren=OuterRef("siren")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at")) | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    latest = counted.filter(~Exists(later))
    if sirens is not None:
        latest = latest.filter(siren__in=list(sirens))
    return {response.siren: response for response in latest}
