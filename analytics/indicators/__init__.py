"""Indicator arithmetic of docs/indicateurs.md: one home for every figure (an SQL aggregation or a pure function each).

`compute_indicators` returns every key of docs/indicateurs.md in a stable order: section A (annex, order of
`annex.KEYS`, then the published indexes of `published_index.KEYS`), then section B (clauses, order of
`clauses.KEYS`), then section C (specifications), then section D (titulaires, order of `titulaires.KEYS`). The JSON
of the `indicators` command, the workbook, the CSV/ODS, the phrases and the dashboard all read this IndicatorSet.
"""

import datetime
from collections.abc import Iterable

from analytics.indicators import annex, clauses, published_index, specifications, titulaires
from analytics.indicators.base import Indicator, IndicatorSet, Kind, Section
from procurement.models import Organisation

__all__ = ["KEYS", "KINDS", "SECTIONS", "Indicator", "IndicatorSet", "Kind", "Section", "compute_indicators"]

# Section of each key, and each section's keys in order.
SECTIONS: dict[str, list[str]] = {
    Section.ANNEX: [*annex.KEYS, *published_index.KEYS],
    Section.CLAUSES: list(clauses.KEYS),
    Section.SPECIFICATIONS: list(specifications.KEYS),
    Section.TITULAIRES: list(titulaires.KEYS),
}
KEYS: list[str] = [key for keys in SECTIONS.values() for key in keys]
KINDS: dict[str, str] = {
    **annex.KINDS,
    **published_index.KINDS,
    **clauses.KINDS,
    **specifications.KINDS,
    **titulaires.KINDS,
}
SECTION_OF: dict[str, str] = {key: section for section, keys in SECTIONS.items() for key in keys}


def _organisations(organisations: Organisation | Iterable[Organisation]) -> list[Organisation]:
    if isinstance(organisations, Organisation):
        return [organisations]
    return list(organisations)


def compute_indicators(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date
) -> IndicatorSet:
    """Every indicator of docs/indicateurs.md for one or several organisations over [start, end] (both included)."""
    if start > end:
        raise ValueError("La date de début doit précéder la date de fin.")
    organisations = _organisations(organisations)
    indicators = [
        *annex.annex_indicators(organisations=organisations, start=start, end=end),
        *published_index.published_index_indicators(organisations=organisations, start=start, end=end),
        *clauses.clause_indicators(organisations=organisations, start=start, end=end),
        specifications.specifications_with_encart_share(organisations=organisations, start=start, end=end),
        *titulaires.titulaire_indicators(organisations=organisations, start=start, end=end),
    ]
    return IndicatorSet(
        organisation_ids=tuple(sorted(organisation.pk for organisation in organisations)),
        start=start,
        end=end,
        indicators=indicators,
    )
