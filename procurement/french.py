"""Numbers as French sentences write them: a decimal comma and a narrow no-break space between thousands
(« 1 273,75 heures », never « 1273.75 »). Templates use `floatformat` or `french_date` (procurement/templatetags/
french.py); Python messages use these."""

from decimal import Decimal

from django.utils import formats


def number(value: Decimal | float | int, *, places: int | None = None) -> str:
    """`places` None: as many decimals as the value has (trailing zeros dropped: 273,75 ; 12)."""
    if isinstance(value, Decimal) and places is None:
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    text = formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return text.replace("\xa0", "\u202f")


def months(values: list, *, limit: int = 6) -> str:
    """« 03/2026, 04/2026 » (the first `limit`, then « … »)."""
    shown = [f"{month:%m/%Y}" for month in sorted(values)[:limit]]
    return ", ".join(shown) + (", …" if len(values) > limit else "")


def file_size(size: int) -> str:
    """« 812 octets », « 12 Ko », « 1,5 Mo » (units of 1,024, named as French users read them: Ko, Mo, not Kio)."""
    if size < 1024:
        return f"{size} octet{'s' if size > 1 else ''}"
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1024 or unit == "Go":
            places = 1 if size < 10 else 0
            value = Decimal(str(round(size, places)))
            return f"{number(value)} {unit}"
    raise AssertionError("unreachable")
