"""An IndicatorSet as JSON: the contract shape (docs/formats.md, `indicators`) and an exact snapshot representation.

- `to_json(set, organisation_slug=)`: `{"organisation", "period": {"start", "end"}, "annex": [...], "clauses":
  [...], "specifications": [...], "titulaires": [...]}`, each indicator `{"key", "numerator", "denominator",
  "value"}` with numbers as JSON numbers (ints stay ints; Fractions and Decimals become floats) or null. For
  people and scripts: it is exact for counts, and within a float's precision for ratios.
- `to_snapshot(set)` / `from_snapshot(data)`: what a stored snapshot holds; the round trip is exact (ints as JSON
  ints, Decimals as "d:<digits>" strings, Fractions as "f:<p>/<q>" strings).
- `from_json(data)`: reads either representation back (a snapshot exactly; a contract JSON as exactly as its
  floats allow: each float becomes the Fraction of its shortest decimal repr).
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from analytics.indicators.base import Indicator, IndicatorSet, Number, Section

SNAPSHOT_VERSION = 1


def _json_number(value: Number | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return float(value)


def to_json(indicator_set: IndicatorSet, *, organisation_slug: str) -> dict:
    """The JSON of the `indicators` command (docs/formats.md): keep it EXACTLY."""
    data: dict = {
        "organisation": organisation_slug,
        "period": {"start": indicator_set.start.isoformat(), "end": indicator_set.end.isoformat()},
    }
    for section in Section.ALL:
        data[section] = [indicator_json(indicator) for indicator in indicator_set.section(section)]
    return data


def indicator_json(indicator: Indicator) -> dict:
    """One indicator as the contract JSON writes it: `{"key", "numerator", "denominator", "value"}` (the API's
    clause report writes its indicators so too)."""
    return {
        "key": indicator.key,
        "numerator": _json_number(indicator.numerator),
        "denominator": _json_number(indicator.denominator),
        "value": _json_number(indicator.value),
    }


def _encode(value: Number | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return f"f:{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return f"d:{value}"
    raise TypeError(f"Valeur d'indicateur inattendue : {value!r}")


def _decode(value: int | str | None) -> Number | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, str) and value.startswith("f:"):
        return Fraction(value[2:])
    if isinstance(value, str) and value.startswith("d:"):
        return Decimal(value[2:])
    raise ValueError(f"Valeur d'instantané illisible : {value!r}")


def to_snapshot(indicator_set: IndicatorSet) -> dict:
    """A JSON-serialisable dict from which `from_snapshot` rebuilds the same IndicatorSet, value for value."""
    return {
        "version": SNAPSHOT_VERSION,
        "organisation_ids": list(indicator_set.organisation_ids),
        "start": indicator_set.start.isoformat(),
        "end": indicator_set.end.isoformat(),
        "indicators": [
            {
                "key": indicator.key,
                "section": indicator.section,
                "kind": indicator.kind,
                "numerator": _encode(indicator.numerator),
                "denominator": _encode(indicator.denominator),
                "value": _encode(indicator.value),
            }
            for indicator in indicator_set.indicators
        ],
    }


def from_snapshot(data: dict) -> IndicatorSet:
    if data.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"Version d'instantané inconnue : {data.get('version')!r}")
    return IndicatorSet(
        organisation_ids=tuple(data["organisation_ids"]),
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        indicators=[
            Indicator(
                key=item["key"],
                section=item["section"],
                kind=item["kind"],
                numerator=_decode(item["numerator"]),
                denominator=_decode(item["denominator"]),
                value=_decode(item["value"]),
            )
            for item in data["indicators"]
        ],
    )


def _from_float(value: int | float | None) -> Number | None:
    if value is None or isinstance(value, int):
        return value
    return Fraction(repr(value))


def from_json(data: dict) -> IndicatorSet:
    """An IndicatorSet from a snapshot (exact) or from the contract JSON (floats read as their decimal repr)."""
    if "indicators" in data:
        return from_snapshot(data)
    from analytics.indicators import KINDS  # here: serialisation stays importable without the ORM models

    indicators = [
        Indicator(
            key=item["key"],
            section=section,
            kind=KINDS.get(item["key"], ""),
            numerator=_from_float(item["numerator"]),
            denominator=_from_float(item["denominator"]),
            value=_from_float(item["value"]),
        )
        for section in Section.ALL
        for item in data.get(section, [])
    ]
    return IndicatorSet(
        organisation_ids=(),
        start=date.fromisoformat(data["period"]["start"]),
        end=date.fromisoformat(data["period"]["end"]),
        indicators=indicators,
    )
