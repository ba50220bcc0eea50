"""French display of indicator values: "36,35 % (1 234 / 3 395)", "—" where there is no value.

Values stay exact until here: rounding is half-up to 2 decimals, at display only (docs/indicateurs.md).
"""

from decimal import Decimal

from analytics.indicators.annex import PERCENT_POINT_KEYS
from analytics.indicators.base import Indicator, Kind
from analytics.secrecy import SECRET_LABEL
from procurement.french import NO_VALUE, number, percent

TWO_PLACES = Decimal("0.01")


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


def display_or_secret(indicator: Indicator | None, *, secret: set[str]) -> str:
    """`display`, or "secret statistique" when the key is in `secret` (analytics.secrecy.secret_keys), or "—"."""
    if indicator is None:
        return NO_VALUE
    if indicator.key in secret:
        return SECRET_LABEL
    return display(indicator)


def display(indicator: Indicator) -> str:
    """`36,35 % (1 234 / 3 395)` for a share, `43` for a count, `—` without value."""
    text = value_text(indicator)
    if indicator.kind == Kind.SHARE and indicator.value is not None:
        places = 2 if indicator.numerator is not None and not isinstance(indicator.numerator, int) else None
        numerator = number(indicator.numerator, places=places)
        return f"{text} ({numerator} / {number(indicator.denominator, places=places)})"
    return text
