"""The SVG bar charts (procurement/charts.py): series told apart without their colour (WCAG 1.4.1)."""

import re
from fractions import Fraction

import pytest
from lxml import etree

from procurement.charts import MEASURES, SEXES, Palette, Series, horizontal_bars

SVG = "{http://www.w3.org/2000/svg}"

GENDERS = ["Femmes", "Hommes", "Non-binaires", "Ne se prononcent pas"]


def four_series_chart(title: str = "Effectifs par sexe", palette: Palette = SEXES) -> etree._Element:
    series = [
        Series(label, [Fraction(position + 1, 10), Fraction(position + 2, 10)])
        for position, label in enumerate(GENDERS)
    ]
    svg = horizontal_bars(
        title=title, categories=["Cadres", "Employé·es"], series=series, shares=True, palette=palette
    )
    return etree.fromstring(str(svg))


def pattern_of(element: etree._Element) -> str:
    match = re.fullmatch(r"url\(#([^)]+)\)", element.get("fill", ""))
    assert match, f"{element.get('fill')!r} n'est pas un motif"
    return match.group(1)


@pytest.mark.parametrize("palette", [SEXES, MEASURES], ids=["sexes", "measures"])
def test_each_series_has_its_own_pattern_on_its_bars_and_its_legend_swatch(palette):
    chart = four_series_chart(palette=palette)
    patterns = {pattern.get("id"): pattern for pattern in chart.iter(f"{SVG}pattern")}
    rects = list(chart.iter(f"{SVG}rect"))
    # The legend's swatches come first, one per series, then the bars, each with its tooltip.
    swatches = [rect for rect in rects if rect.find(f"{SVG}title") is None and rect.get("x") == "4"][: len(GENDERS)]
    bars = [rect for rect in rects if rect.find(f"{SVG}title") is not None]

    swatch_patterns = [pattern_of(swatch) for swatch in swatches]
    assert len(set(swatch_patterns)) == len(GENDERS)
    assert set(swatch_patterns) <= set(patterns)
    for bar in bars:
        label = bar.find(f"{SVG}title").text.split(",")[0]
        assert pattern_of(bar) == swatch_patterns[GENDERS.index(label)], label
    # Not only a colour: no two patterns draw the same marks (plain, stripes, dots, grid…).
    drawings = [
        (
            patterns[name].get("patternTransform"),
            [(mark.tag, sorted(mark.attrib.items())) for mark in list(patterns[name])[1:]],
        )
        for name in swatch_patterns
    ]
    assert len({repr(drawing) for drawing in drawings}) == len(GENDERS)


def test_two_charts_on_one_page_share_no_id():
    # Same title, same figures: still no id in common (patterns, title).
    first, second = four_series_chart(), four_series_chart()

    def ids(chart: etree._Element) -> set[str]:
        return {element.get("id") for element in chart.iter() if element.get("id")}

    assert ids(first) and ids(second)
    assert not ids(first) & ids(second)
    # Each chart points at its own definitions.
    for chart in (first, second):
        for rect in chart.iter(f"{SVG}rect"):
            if rect.get("fill", "").startswith("url("):
                assert pattern_of(rect) in ids(chart)
        assert chart.get("aria-labelledby") in ids(chart)


def test_the_svg_has_no_style_attribute():
    # The CSP forbids inline styles: presentation attributes only.
    chart = four_series_chart()

    assert all(element.get("style") is None for element in chart.iter())


def test_a_bar_too_short_for_its_pattern_and_a_missing_figure_name_their_series():
    series = [
        Series("Femmes", [Fraction(1, 2), None], missing=["", "secret statistique"]),
        Series("Non-binaires", [Fraction(1, 1000), Fraction(1, 4)]),
    ]
    chart = etree.fromstring(
        str(horizontal_bars(title="Effectifs", categories=["A", "B"], series=series, shares=True, palette=SEXES))
    )

    texts = [text.text for text in chart.iter(f"{SVG}text")]

    # A long bar shows its pattern: its value alone.
    assert "50,00\u00a0%" in texts and "25,00\u00a0%" in texts
    assert "0,10\u00a0% (Non-binaires)" in texts
    assert "secret statistique (Femmes)" in texts


def test_a_single_series_needs_no_name_by_its_values():
    chart = horizontal_bars(
        title="Effectifs",
        categories=["A", "B"],
        series=[Series("Femmes", [Fraction(1, 1000), None])],
        shares=True,
        palette=SEXES,
    )

    assert "(Femmes)" not in str(chart)


def contrast_with_white(colour: str) -> float:
    """WCAG's contrast ratio of `colour` (#rrggbb) with white."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_series_that_are_not_sexes_have_colours_and_marks_of_their_own():
    """The dashboard's « Évolution » chart drew « Femmes dans les effectifs » in the Femmes' blue and « Femmes parmi
    les cadres » in the Hommes' red, with their patterns: a reader took the years' figures for sexes."""
    assert not set(MEASURES.colours) & set(SEXES.colours)
    # After a plain first series, no mark of the sexes' patterns.
    assert not set(MEASURES.patterns[1:]) & set(SEXES.patterns)
    for palette in (SEXES, MEASURES):
        assert len(set(palette.patterns)) == len(palette.patterns)
        assert len(palette.colours) >= len(palette.patterns) - 1
        # Against the page and the white marks of the patterns (WCAG 1.4.11).
        assert all(contrast_with_white(colour) >= 3 for colour in palette.colours), palette.colours
