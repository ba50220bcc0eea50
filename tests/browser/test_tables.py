"""The lists' tables on a phone, in a real browser: a focused link or button in a column that scrolled under the
sticky first column is brought out from under it (WCAG 2.2, 2.4.11 « Focus Not Obscured »)."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from procurement.awards.services import import_decp
from procurement.enums import Role
from tests.browser.helpers import log_in
from tests.procurement.awards.factories import BUYER_SIREN, hand_built_file
from tests.procurement.factories import PASSWORD, OrganisationFactory, member

pytestmark = pytest.mark.browser

# The focused element, the sticky cell of its row and the table's frame, as the screen shows them.
RECTS = """
() => {
  const focused = document.activeElement;
  const sticky = focused.closest("tr").firstElementChild;
  const frame = focused.closest("table");
  const box = (element) => { const r = element.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  return {
    focused: box(focused), sticky: box(sticky), frame: box(frame), text: focused.textContent.trim(),
    column: focused.closest("td, th").cellIndex, position: getComputedStyle(sticky).position,
  };
}
"""

SCROLL_SECOND_COLUMN_UNDER_THE_FIRST = """
(table) => {
  const second = table.querySelector("tbody tr > :nth-child(2)");
  table.scrollLeft += second.getBoundingClientRect().left - table.getBoundingClientRect().left;
  return table.scrollLeft;
}
"""


def test_a_link_reached_with_tab_is_not_hidden_under_the_sticky_first_column(page, console_errors):
    # The titulaires of the hand-built DECP file: each row a company's link, then its markets' links.
    organisation = OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)
    import_decp(organisation=organisation, stream=io.BytesIO(hand_built_file()), filename="decp-2025.json")
    account = member(organisation=organisation, role=Role.BUYER)
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, email=account.email, password=PASSWORD)
    page.goto(reverse("titulaires:list") + "?annee=2025")
    table = page.locator(".data-table > table").first
    company = table.locator("tbody tr").first.locator("td").first.get_by_role("link")
    expect(company).to_be_visible()

    # The reader has scrolled the table until the second column is under the first one (the markets' links are in
    # the frame, but behind the sticky column), then goes on with the keyboard.
    company.focus()
    assert table.evaluate(SCROLL_SECOND_COLUMN_UNDER_THE_FIRST) > 0
    page.keyboard.press("Tab")

    rects = page.evaluate(RECTS)
    # The next stop: a market's link, in the second column, which had scrolled under the first one.
    assert rects["column"] == 1, rects
    assert rects["position"] == "sticky", rects
    assert rects["focused"]["left"] >= rects["sticky"]["right"] - 0.5, rects
    assert rects["focused"]["right"] <= rects["frame"]["right"] + 0.5, rects
    assert not console_errors, str(console_errors)
