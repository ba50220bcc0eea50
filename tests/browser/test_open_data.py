"""Open data in a real browser: the public pages and the administrators' pages have no accessibility violation
(axe-core), no console error under the CSP, and fit a 390 px wide phone without horizontal scrolling."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analytics.indicators import compute_indicators
from analytics.models import IndicatorSnapshot, scope_key_of
from analytics.open_data import services
from analytics.serialisation import to_snapshot
from procurement.enums import Role
from tests.analytics.datasets import END, START, year_of_data
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.factories import PASSWORD, OrganisationFactory, member

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published():
    organisation = OrganisationFactory(name="Ville de Denain (essai)", slug="denain-essai")
    administrator = member(organisation=organisation, role=Role.ADMIN)
    year_of_data(organisation)
    snapshot = IndicatorSnapshot.objects.create(
        organisation=organisation,
        scope_key=scope_key_of([organisation.pk]),
        start=START,
        end=END,
        computed_at=timezone.now(),
        data_version="essai",
        values=to_snapshot(compute_indicators(organisations=organisation, start=START, end=END)),
        frozen_at=timezone.now(),
        frozen_by=administrator,
    )
    services.publish(snapshot=snapshot, published_by=administrator)
    return organisation, administrator


def _fits_a_phone(page) -> bool:
    page.set_viewport_size(PHONE)
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_open_data_pages_have_no_accessibility_violation_and_fit_a_phone(axe_page, published):
    organisation, administrator = published
    page = axe_page
    checked, too_wide = {}, []
    pages = (
        ("/donnees-ouvertes/", "données ouvertes de la plateforme"),
        (f"/donnees-ouvertes/{organisation.slug}/", "données ouvertes de l'acheteur"),
    )
    for path, name in pages:
        page.goto(path)
        checked[name] = axe_violations(page)
        if not _fits_a_phone(page):
            too_wide.append(name)
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/donnees-ouvertes/{organisation.slug}/")
    expect(page.get_by_role("link", name="Indicateurs 2025 (CSV)")).to_be_visible()
    expect(page.get_by_role("link", name="Licence Ouverte / Open Licence version 2.0")).to_be_visible()

    log_in(page, email=administrator.email, password=PASSWORD)
    page.goto("/statistiques/donnees-ouvertes/")
    checked["données ouvertes : administration"] = axe_violations(page)
    if not _fits_a_phone(page):
        too_wide.append("données ouvertes : administration")

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())
    assert too_wide == []


def test_the_public_page_shows_no_console_error_under_the_csp(page, console_errors, published):
    organisation, _administrator = published

    page.goto(f"/donnees-ouvertes/{organisation.slug}/")
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", level=1).inner_text().startswith("Données ouvertes")
    assert not console_errors, str(console_errors)
