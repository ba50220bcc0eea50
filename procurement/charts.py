"""Charts as server-side SVG: no script (the CSP forbids inline ones), readable without JavaScript, each with a
title for screen readers; pages also give the figures as a table next to the chart.

Horizontal bars, drawn for a phone first: the drawing is 340 units wide, so that on a 390 px screen (about 358 px
for the chart) one unit is at least one pixel and no text is smaller than its font size (12 or more). Each
category's label sits on its own line above its bars (labels never overlap), the legend is one line per series
above the bars (never cut), and each bar ends with its value; a figure without value says why ("—", "secret
statistique") where its bar would be.

Series are told apart without their colour too (WCAG 1.4.1): each has its own fill pattern (plain, stripes, dots,
grid…), the same on its bars and on its legend's swatch, defined in the chart's own `<defs>` under ids that no other
chart of the page uses. Colours and patterns come from one of two palettes: `SEXES` for series that are sexes
(Femmes, Hommes, Non binaires, Ne se prononcent pas, in that order), `MEASURES` for any other series (years' figures,
parts of a staff, a single « Part des structures »), with colours and marks of their own so that such a series is
never read as a sex. A bar too short to show its pattern, and a figure without value, have their series' name
written after their text (when it fits in the drawing). Styling is by presentation attributes only (`fill`,
`stroke`): the CSP forbids `style`.
"""

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from procurement.french import NO_VALUE, number, percent

WIDTH = 340
PAD = 4
FONT, SMALL = 13, 12  # font sizes, in drawing units (>= 1 px each at 390 px)
LEGEND_LINE, LABEL_LINE, BAR, BAR_GAP, GROUP_GAP = 20, 18, 14, 5, 12
VALUE_ROOM = 64  # right of the longest bar, for its value ("100,00 %")
MIN_CHART_FONT = SMALL
SWATCH = 14  # legend swatch side: a few tiles of its pattern show
TILE = 6  # pattern tile side: white marks on the series' colour, whose contrast with white is >= 3:1


@dataclass(frozen=True)
class Palette:
    """The colours of a chart's series, in order, and their patterns: (transform of the tile, white marks drawn over
    the colour). Each colour's contrast with white is >= 3:1 (WCAG 1.4.11), against the page and the marks."""

    colours: tuple[str, ...]
    patterns: tuple[tuple[str, str], ...]


# Sexes: DSFR "bleu France", "rouge Marianne", then lighter blues and a grey.
SEXES = Palette(
    colours=("#000091", "#e1000f", "#6a6af4", "#3a3a3a", "#8585f6"),
    patterns=(
        ("", ""),  # plain
        ("rotate(45)", f'<rect width="2" height="{TILE}" fill="#fff"/>'),  # diagonal stripes
        ("", f'<circle cx="{TILE / 2}" cy="{TILE / 2}" r="1.5" fill="#fff"/>'),  # dots
        (
            "rotate(45)",
            f'<rect width="1.5" height="{TILE}" fill="#fff"/><rect width="{TILE}" height="1.5" fill="#fff"/>',
        ),  # grid
        ("", f'<rect width="{TILE}" height="2" fill="#fff"/>'),  # horizontal stripes
    ),
)
# Any other series: DSFR illustrative colours ("menthe", "glycine", "terre battue", "bourgeon"), none of the
# sexes'; after a plain first series, marks that no sex's pattern draws (vertical stripes, checks, rings).
MEASURES = Palette(
    colours=("#009081", "#a558a0", "#755348", "#447049"),
    patterns=(
        ("", ""),  # plain
        ("", f'<rect width="2" height="{TILE}" fill="#fff"/>'),  # vertical stripes
        ("", '<rect width="3" height="3" fill="#fff"/><rect x="3" y="3" width="3" height="3" fill="#fff"/>'),  # checks
        ("", f'<circle cx="{TILE / 2}" cy="{TILE / 2}" r="1.8" fill="none" stroke="#fff" stroke-width="1"/>'),  # rings
    ),
)
# A number per drawn chart, so that the ids of several charts on one page never collide (even with one title).
_chart_numbers = itertools.count(1)
MARKED = 12  # a bar shorter than this shows too little of its pattern: its series' name follows its value
CHAR = 7  # a generous width of one character at SMALL, in drawing units, to tell whether a text fits


def progress_value(share: Fraction) -> int:
    """A share (done over planned, may pass 1) as the whole percent a `<progress max="100">` bar is filled to, 100
    at most; the text beside the bar gives the figure itself."""
    return min(int(share * 100), 100)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Fraction | int | None]
    # What to write instead of a missing value, per category (default "—"), e.g. "secret statistique".
    missing: list[str] = field(default_factory=list)


def has_values(values_by_series) -> bool:
    """Whether a chart would draw at least one bar: one with none (no data, or every figure under statistical
    secrecy) is left out of its page, which says why and keeps the table."""
    return any(value is not None for values in values_by_series for value in values)


def horizontal_bars(
    *, title: str, categories: list[str], series: list[Series], shares: bool, palette: Palette
) -> SafeString:
    """Horizontal bars, one group per category, one bar per series; `shares`: values in [0, 1] drawn against
    100 %, else against the largest value; `palette`: SEXES when the series are sexes, else MEASURES.

    Only numbers and escaped labels reach the markup, hence mark_safe.
    """
    chart_id = f"{_id(title)}-{next(_chart_numbers)}"
    values = [value for one in series for value in one.values if value is not None]
    top = Fraction(1) if shares else Fraction(max(values, default=0) or 1)
    plot = WIDTH - 2 * PAD - VALUE_ROOM
    y = PAD
    parts = []
    if len(series) > 1:
        for position, one in enumerate(series):
            paint = _paint(chart_id, position, palette)
            parts.append(
                f'<rect x="{PAD}" y="{y + 2}" width="{SWATCH}" height="{SWATCH}" {paint}/>'
                f'<text x="{PAD + 18}" y="{y + 14}" font-size="{SMALL}">{escape(one.label)}</text>'
            )
            y += LEGEND_LINE
        y += 6
    for index, category in enumerate(categories):
        parts.append(f'<text x="{PAD}" y="{y + FONT}" font-size="{FONT}" font-weight="bold">{escape(category)}</text>')
        y += LABEL_LINE + 2
        for position, one in enumerate(series):
            value = one.values[index]
            if value is None:
                missing = one.missing[index] if index < len(one.missing) else NO_VALUE
                shown = _named(missing, series=one, start=PAD, needed=len(series) > 1)
                parts.append(
                    f'<text x="{PAD}" y="{y + BAR - 2}" font-size="{SMALL}" fill="#3a3a3a">'
                    f"{escape(shown)}<title>{escape(one.label)}, {escape(category)}\u00a0: {escape(missing)}</title>"
                    "</text>"
                )
            else:
                length = float(plot * Fraction(value) / top)
                text = percent(value) if shares else number(value)
                shown = _named(text, series=one, start=PAD + length + 4, needed=len(series) > 1 and length < MARKED)
                parts.append(
                    f'<rect x="{PAD}" y="{y}" width="{max(length, 1):.1f}" height="{BAR}" '
                    f"{_paint(chart_id, position, palette)}><title>{escape(one.label)}, {escape(category)}\u00a0: "
                    f"{escape(text)}</title></rect>"
                    f'<text x="{PAD + length + 4:.1f}" y="{y + BAR - 2}" font-size="{SMALL}">{escape(shown)}</text>'
                )
            y += BAR + BAR_GAP
        y += GROUP_GAP
    height = y + PAD
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="chart" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{chart_id}">'
        f'<title id="{chart_id}">{escape(title)}</title>'
        f"<defs>{''.join(_pattern(chart_id, position, palette) for position in range(len(series)))}</defs>"
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 (numbers and escaped labels only)


def _named(text: str, *, series: Series, start: float, needed: bool) -> str:
    """`text` followed by its series' name when the series must be told apart by more than a pattern (`needed`) and
    the whole fits in the drawing."""
    named = f"{text} ({series.label})"
    return named if needed and start + len(named) * CHAR <= WIDTH - PAD else text


def _colour(position: int, palette: Palette) -> str:
    return palette.colours[position % len(palette.colours)]


def _pattern_id(chart_id: str, position: int) -> str:
    return f"{chart_id}-motif-{position + 1}"


def _pattern(chart_id: str, position: int, palette: Palette) -> str:
    transform, marks = palette.patterns[position % len(palette.patterns)]
    rotation = f' patternTransform="{transform}"' if transform else ""
    colour = _colour(position, palette)
    return (
        f'<pattern id="{_pattern_id(chart_id, position)}" width="{TILE}" height="{TILE}" '
        f'patternUnits="userSpaceOnUse"{rotation}><rect width="{TILE}" height="{TILE}" fill="{colour}"/>'
        f"{marks}</pattern>"
    )


def _paint(chart_id: str, position: int, palette: Palette) -> str:
    """A bar's or a swatch's fill (its series' pattern), outlined in its colour so that its edge keeps the colour's
    contrast with the background where the pattern's white marks meet it."""
    return f'fill="url(#{_pattern_id(chart_id, position)})" stroke="{_colour(position, palette)}" stroke-width="1"'


def _id(title: str) -> str:
    return "graphique-" + "".join(char if char.isalnum() else "-" for char in title.lower())[:60]
