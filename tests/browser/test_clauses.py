"""A facilitator filters the insertion clauses' participants, in a real browser: the lists' filter form
(templates/includes/_filter_form.html), its fields side by side on a desktop and one under the other on a phone,
nothing wider than the screen, no accessibility violation, and a link clearing the filters once filtered."""

import datetime

import pytest
from playwright.sync_api import expect

from clauses.enums import Sex
from procurement.enums import Role
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import PASSWORD, OrganisationFactory, member

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LABELS = ("Référence", "Sexe", "Marché")


def field_boxes(search) -> list[dict]:
    return [search.get_by_label(label, exact=True).bounding_box() for label in LABELS]


def test_a_facilitator_filters_the_participants_on_a_desktop_and_a_phone(axe_page):
    organisation = OrganisationFactory(name="Agglomération du Hainaut", slug="agglo-hainaut")
    facilitator = member(organisation=organisation, role=Role.FACILITATOR)
    ParticipantFactory(organisation=organisation, reference="P-ANNA", sex=Sex.F)
    ParticipantFactory(organisation=organisation, reference="P-BRUNO", sex=Sex.H)
    page = axe_page
    checked = {}

    log_in(page, email=facilitator.email, password=PASSWORD)
    page.goto("/clauses-insertion/participants/")
    search = page.get_by_role("search", name="Filtrer les participant·es")
    assert search.get_by_role("link", name="Effacer les filtres").count() == 0
    # Desktop: the three fields on one row, the button under them.
    boxes = field_boxes(search)
    assert len({round(box["y"]) for box in boxes}) == 1
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
    checked["liste des participant·es"] = axe_violations(page)

    search.get_by_label("Sexe").select_option(Sex.F.value)
    search.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/participants/?*sex=F*")
    assert page.locator("table tbody tr").count() == 1
    assert "P-BRUNO" not in page.locator("main").inner_text()
    checked["liste filtrée"] = axe_violations(page)

    # Phone: one field under the other, nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    boxes = field_boxes(search)
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
    assert len({round(box["y"]) for box in boxes}) == len(LABELS)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    checked["liste filtrée sur un téléphone"] = axe_violations(page)

    search.get_by_role("link", name="Effacer les filtres").click()
    page.wait_for_url("**/participants/")
    assert page.locator("table tbody tr").count() == 2

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())


def test_the_clause_reports_year_select_is_as_narrow_as_a_year_on_a_desktop(page):
    organisation = OrganisationFactory(name="Agglomération du Hainaut", slug="agglo-hainaut")
    buyer = member(organisation=organisation, role=Role.BUYER)
    log_in(page, email=buyer.email, password=PASSWORD)

    page.goto("/clauses-insertion/bilan/")

    year = page.get_by_label("Année", exact=True)
    expect(year).to_be_visible()
    # The whole page's width (1 200 px at 1 280) once set « 2025 » alone at the left of a long grey bar.
    assert year.bounding_box()["width"] <= 12 * 16


def test_a_markets_year_select_is_as_narrow_as_a_year_on_a_desktop(page):
    organisation = OrganisationFactory(name="Agglomération du Hainaut", slug="agglo-hainaut")
    facilitator = member(organisation=organisation, role=Role.FACILITATOR)
    clause = InsertionClauseFactory(market__organisation=organisation)
    mission = MissionFactory(participant__organisation=organisation, market=clause.market)
    for year in (2024, 2025):  # two years of hours: the page offers to choose one
        HoursRecordFactory(mission=mission, month=datetime.date(year, 3, 1))
    log_in(page, email=facilitator.email, password=PASSWORD)

    page.goto(f"/clauses-insertion/marches/{clause.market.pk}/")

    year = page.get_by_label("Année", exact=True)
    expect(year).to_be_visible()
    # As on the clause report: it spanned the whole content width (1 200 px at 1 280) for a four-digit year.
    assert year.bounding_box()["width"] <= 12 * 16
