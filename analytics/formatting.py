"""French display of indicator values: "36,35 % (1 234 / 3 395)", "—" where there is no value.

Values stay exact until here: rounding is half-up to 2 decimals, at display only (docs/indicateurs.md).
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from analytics.indicators.annex import PERCENT_POINT_KEYS
from analytics.indicators.base import Indicator, Kind
from analytics.secrecy import SECRET_LABEL

NO_VALUE = "—"
THOUSANDS = "\u202f"  # narrow no-break space, as French typography separates thousands
TWO_PLACES = Decimal("0.01")


def _to_decimal(value: int | Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        # Exact: round the fraction itself, never a float.
        scaled = value * 100
        units = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
        return Decimal(units).scaleb(-2)
    return Decimal(value)


def number(value: int | Decimal | Fraction | None, *, places: int | None = None) -> str:
    """`1 234`, `1 234,5`, `16,70` (with places=2); "—" for None."""
    if value is None:
        return NO_VALUE
    decimal = _to_decimal(value)
    if places is not None:
        decimal = decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if decimal < 0 else ""
    integer, _, fraction = f"{abs(decimal):f}".partition(".")
    groups = []
    while len(integer) > 3:
        integer, groups = integer[:-3], [integer[-3:], *groups]
    text = THOUSANDS.join([integer, *groups])
    if fraction.strip("0") or places:
        text += "," + fraction
    return sign + text


def percent(value: Fraction | Decimal | None) -> str:
    """A share in [0, 1] as `36,35 %`, half-up to 2 decimals."""
    if value is None:
        return NO_VALUE
    scaled = Fraction(value) * 100
    rounded = Decimal((scaled.numerator * 200 + scaled.denominator) // (2 * scaled.denominator)).scaleb(-2)
    return number(rounded, places=2) + "\u00a0%"


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
