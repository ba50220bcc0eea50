"""Numbers as French sentences write them: a decimal comma and a narrow no-break space between thousands
(« 1 273,75 heures », never « 1273.75 »). Templates use `floatformat`, or the filters of procurement/templatetags/
french.py (`french_date`, and `thousands`, which calls `number`); Python messages use these."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NO_VALUE = "—"
THOUSANDS = "\u202f"  # narrow no-break space, as French typography separates thousands
# A SIREN (9 digits) or a SIRET (14) as INSEE groups it: « 123 456 789 », « 123 456 789 00012 ».
_SIRENE_GROUPS = {9: (3, 3, 3), 14: (3, 3, 3, 5)}


def sirene_groups(value: str) -> list[str] | None:
    """The groups of digits of a SIREN or a SIRET, or None for any other value (written as it is)."""
    sizes = _SIRENE_GROUPS.get(len(value)) if value.isdigit() else None
    if sizes is None:
        return None
    groups, start = [], 0
    for size in sizes:
        groups.append(value[start : start + size])
        start += size
    return groups


def grouped_sirene(value: str) -> str:
    """« 123 456 789 » with no-break spaces, for a text without a stylesheet (a letter's DOCX, an e-mail); pages
    use the `sirene_number` filter, whose gaps are drawn by the stylesheet."""
    groups = sirene_groups(value)
    return "\u00a0".join(groups) if groups else value


def _to_decimal(value: int | Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        # Exact: round the fraction itself, never a float.
        scaled = value * 100
        units = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
        return Decimal(units).scaleb(-2)
    return Decimal(value)


def number(value: int | Decimal | Fraction | None, *, places: int | None = None) -> str:
    """`1 234`, `273,75`, `16,70` (with places=2); "—" for None. `places` None: the value's own decimals, none
    when they are all zeros (1200.00 gives 1 200); a Fraction is rounded half-up to 2 decimals first."""
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
    """A share in [0, 1] as `36,35 %`, half-up to 2 decimals; "—" for None."""
    if value is None:
        return NO_VALUE
    scaled = Fraction(value) * 100
    rounded = Decimal((scaled.numerator * 200 + scaled.denominator) // (2 * scaled.denominator)).scaleb(-2)
    return number(rounded, places=2) + "\u00a0%"


def months(values: list, *, limit: int = 6) -> str:
    """« 03/2026, 04/2026 » (the first `limit`, then « … »)."""
    shown = [f"{month:%m/%Y}" for month in sorted(values)[:limit]]
    return ", ".join(shown) + (", …" if len(values) > limit else "")


def file_size(size: int) -> str:
    """« 812 octets », « 12 Ko », « 1,5 Mo », « 20 Mo » (units of 1,024, named as French users read them: Ko, Mo,
    not Kio), a no-break space between the number and its unit, as `number` writes the number (decimal comma; one
    decimal under 10). The one way the platform writes a size: a file's, an upload limit, the messages of the
    attachments, the uploads and the imports, and the `french_size` filter of the pages."""
    if size < 1024:
        return f"{number(size)}\u00a0octet{'s' if size > 1 else ''}"
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1024 or unit == "Go":
            places = 1 if size < 10 else 0
            value = Decimal(str(round(size, places)))
            return f"{number(value)}\u00a0{unit}"
    raise AssertionError("unreachable")


def size_over(size: int, limit: int) -> str:
    """The size of a file refused for exceeding `limit`, written so that it reads larger than the limit: a file
    just over 1 Mo is « plus de 1 Mo », not « 1 Mo » beside « 1 Mo au plus »."""
    written = file_size(size)
    return f"plus de {file_size(limit)}" if written == file_size(limit) else written
