"""The shape every indicator takes, whatever its section (docs/indicateurs.md, "Règles communes")."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


class Section:
    ANNEX = "annex"
    CLAUSES = "clauses"
    SPECIFICATIONS = "specifications"
    TITULAIRES = "titulaires"
    ALL = (ANNEX, CLAUSES, SPECIFICATIONS, TITULAIRES)


class Kind:
    """How a value reads: drives its display (percent or number) and its workbook format."""

    SHARE = "share"  # a ratio in [0, 1], shown as "36,35 %"
    COUNT = "count"  # structures, participants, markets
    HOURS = "hours"  # a total of hours (2 decimals)
    MEAN = "mean"  # a mean of declared values (numerator null)
    MEDIAN = "median"


@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    kind: str
    numerator: Number | None
    denominator: Number | None
    value: Number | None  # None when the denominator is 0 or nothing was given: shown "—"


@dataclass(frozen=True)
class IndicatorSet:
    """Every indicator for some organisations over [start, end]: what the JSON, the workbook and the dashboard read."""

    organisation_ids: tuple[int, ...]
    start: datetime.date
    end: datetime.date
    indicators: list[Indicator] = field(default_factory=list)

    def section(self, name: str) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.section == name]

    def by_key(self) -> dict[str, Indicator]:
        return {indicator.key: indicator for indicator in self.indicators}
