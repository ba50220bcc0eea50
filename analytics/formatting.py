"""French display of indicator values: "36,35 % (1 234 / 3 395)", "—" where there is no value.

Values stay exact until here: rounding is half-up to 2 decimals, at display only (docs/indicateurs.md). With
`hours_unit`, the figures counted in hours carry their unit: "110,00 h", "45,45 % (50,00 h / 110,00 h)".
"""

from decimal import Decimal

from analytics.indicators.annex import PERCENT_POINT_KEYS
from analytics.indicators.base import Indicator, Kind
from analytics.indicators.clauses import IN_HOURS
from analytics.secrecy import SECRET_LABEL
from procurement.french import NO_VALUE, number, percent

TWO_PLACES = Decimal("0.01")
HOURS = "\u00a0h"


def value_text(indicator: Indicator) -> str:
    if indicator.value is None:
        return NO_VALUE
    if indicator.kind == Kind.SHARE:
        return percent(indicator.value)
    if indicator.key in PERCENT_POINT_KEYS:  # a mean of declared percentages (0-100)
        return number(indicator.value, places=2) + "\u00a0%"
    if indicator.kind in (Kind.HOURS, Kind.MEAN, Kind.MEDIAN):
        return number(indicator.value, places=2)
    return number(indicator.value)


def hours_text(value) -> str:
    """`1 362,00 h`: hours with their 2 decimals and their unit; "—" for None."""
    return NO_VALUE if value is None else number(value, places=2) + HOURS


def display_or_secret(indicator: Indicator | None, *, secret: set[str], hours_unit: bool = False) -> str:
    """`display`, or "secret statistique" when the key is in `secret` (analytics.secrecy.secret_keys), or "—"."""
    if indicator is None:
        return NO_VALUE
    if indicator.key in secret:
        return SECRET_LABEL
    return display(indicator, hours_unit=hours_unit)


def display(indicator: Indicator, *, hours_unit: bool = False) -> str:
    """`36,35 % (1 234 / 3 395)` for a share, `43` for a count, `—` without value; with `hours_unit`, `110,00 h` for
    a total of hours and `45,45 % (50,00 h / 110,00 h)` for a share of hours (`IN_HOURS`)."""
    text = value_text(indicator)
    unit = HOURS if hours_unit and indicator.key in IN_HOURS else ""
    if indicator.kind == Kind.SHARE and indicator.value is not None:
        places = 2 if indicator.numerator is not None and not isinstance(indicator.numerator, int) else None
        numerator = number(indicator.numerator, places=places)
        return f"{text} ({numerator}{unit} / {number(indicator.denominator, places=places)}{unit})"
    if indicator.value is not None:
        return text + unit
    return text
