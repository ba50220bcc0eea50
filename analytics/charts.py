"""Charts as server-side SVG: no script (the CSP forbids inline ones), readable without JavaScript, each with a
title for screen readers; pages also give the figures as a table next to the chart."""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from analytics.formatting import number, percent

# DSFR palette: "bleu France" and "rouge Marianne"-free accessible pair, then greys.
COLOURS = ["#000091", "#e1000f", "#6a6af4", "#8585f6", "#3a3a3a"]
WIDTH, HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 640, 260, 48, 56, 16


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Fraction | int | None]


def grouped_bars(*, title: str, categories: list[str], series: list[Series], shares: bool) -> SafeString:
    """Vertical grouped bars; `shares`: values in [0, 1] drawn against 100 %, else against the largest value.

    Only numbers and escaped labels reach the markup, hence mark_safe.
    """
    values = [value for one in series for value in one.values if value is not None]
    top = Fraction(1) if shares else Fraction(max(values, default=0) or 1)
    plot_width, plot_height = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    group_width = plot_width / max(len(categories), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-labelledby="{_id(title)}"><title id="{_id(title)}">{escape(title)}</title>'
    ]
    for step in range(5):
        fraction = Fraction(step, 4)
        y = float(MARGIN_TOP + plot_height * (1 - fraction))
        tick = percent(fraction) if shares else number(round(top * fraction))
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{MARGIN_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{escape(tick)}</text>'
        )
    for index, category in enumerate(categories):
        x0 = MARGIN_LEFT + index * group_width + group_width * 0.1
        for position, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            height = float(plot_height * Fraction(value) / top)
            x, y = x0 + position * bar_width, MARGIN_TOP + plot_height - height
            text = percent(value) if shares else number(value)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width * 0.9:.1f}" height="{height:.1f}" '
                f'fill="{COLOURS[position % len(COLOURS)]}"><title>{escape(one.label)}, {escape(category)} : '
                f"{escape(text)}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group_width * 0.4:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="12">{escape(category)}</text>'
        )
    for position, one in enumerate(series):
        x = MARGIN_LEFT + position * 200
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 18}" width="12" height="12" fill="{COLOURS[position % len(COLOURS)]}"/>'
            f'<text x="{x + 16}" y="{HEIGHT - 8}" font-size="12">{escape(one.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped labels only)


def _id(title: str) -> str:
    return "graphique-" + "".join(char if char.isalnum() else "-" for char in title.lower())[:60]
