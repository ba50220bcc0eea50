"""The statistics page on a phone (390 px) and a desktop (1280 px): charts first, by theme, readable; the tables in
accordions; nothing wider than the screen. Screenshots are saved under test-artifacts/ for a person to look at."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from analytics import services
from analytics.models import IndicatorSnapshot
from clauses import demo as clauses_demo
from procurement import demo as procurement_demo
from procurement.enums import Role
from procurement.models import Organisation
from questionnaire import demo as questionnaire_demo
from tests.browser.helpers import log_in
from tests.procurement.factories import PASSWORD, member

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SMALLEST_TEXT_PX = 10

# For every drawn chart: the rendered size of each text (font size times the drawing's scale), the texts that
# leave the drawing (a cut legend), and the pairs of texts that overlap.
MEASURE_CHARTS = """
() => Array.from(document.querySelectorAll("svg.chart")).map((svg) => {
  const box = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / box.width;
  const texts = Array.from(svg.querySelectorAll("text"));
  const boxes = texts.map((text) => text.getBBox());
  const overlaps = [];
  boxes.forEach((one, i) => boxes.slice(i + 1).forEach((other, k) => {
    // One unit of tolerance: a font's box includes its line spacing.
    if (one.x + 1 < other.x + other.width && other.x + 1 < one.x + one.width
        && one.y + 1 < other.y + other.height && other.y + 1 < one.y + one.height) {
      overlaps.push([texts[i].textContent, texts[i + 1 + k].textContent]);
    }
  }));
  return {
    title: svg.querySelector("title").textContent,
    sizes: texts.map((text) => [text.textContent, parseFloat(getComputedStyle(text).fontSize) * scale]),
    outside: texts.filter((text, i) => boxes[i].x < 0 || boxes[i].x + boxes[i].width > box.width + 0.5)
      .map((text) => text.textContent),
    overlaps,
  };
})
"""


@pytest.fixture
def statistics_reader():
    """The demo buyer's data (annex responses, clause hours) with its figures computed for this year and the last."""
    procurement_demo.seed()
    organisation = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
    clauses_demo.seed(organisation=organisation)
    questionnaire_demo.seed(organisation=organisation)
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        with transaction.atomic():
            services.request_computation(
                organisation=organisation,
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31),
                requested_by=None,
            )
    assert IndicatorSnapshot.objects.filter(organisation=organisation).count() == 2
    return member(organisation=organisation, role=Role.BUYER)


def check_layout(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(200)
    # Every table opened, as a reader would: still nothing wider than the screen.
    for button in page.locator(".fr-accordion__btn").all():
        button.click()
    page.wait_for_function("() => document.querySelectorAll('.fr-collapse--expanded').length > 0")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"statistiques-{width}px.png"), full_page=True)
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"{width} px : la page fait {overflow[0]} px de large"
    charts = page.evaluate(MEASURE_CHARTS)
    assert len(charts) >= 5, [chart["title"] for chart in charts]
    for chart in charts:
        small = [(text, round(size, 1)) for text, size in chart["sizes"] if size < SMALLEST_TEXT_PX]
        assert small == [], (width, chart["title"], small)
        assert chart["outside"] == [], (width, chart["title"])
        assert chart["overlaps"] == [], (width, chart["title"])


def test_the_statistics_page_reads_on_a_phone_and_a_desktop(page, console_errors, statistics_reader):
    this_year = timezone.localdate().year
    log_in(page, email=statistics_reader.email, password=PASSWORD)

    page.goto("/statistiques/")

    assert page.get_by_role("heading", level=1).inner_text() == f"Statistiques\u00a0: année {this_year}"
    # The selector shows the year on screen.
    assert page.get_by_label("Année", exact=True).input_value() == str(this_year)
    # Charts first, each with a visible title, grouped by theme; then every indicator, in accordions.
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Effectifs") < headings.index("Tous les indicateurs")
    expect(page.get_by_role("heading", level=3, name="Effectifs par sexe et catégorie")).to_be_visible()
    first_chart_before_tables = page.evaluate(
        "() => Boolean(document.querySelector('svg.chart').compareDocumentPosition("
        "document.querySelector('#section-annex table')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert first_chart_before_tables
    expect(page.locator("#section-annex table")).to_be_hidden()  # folded until asked for
    check_layout(page, 390)
    check_layout(page, 1280)
    assert not console_errors, str(console_errors)
