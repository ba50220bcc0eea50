"""The « Organisations à consolider » field of the statistics page, at a phone's width: each organisation is a
checkbox whose long name wraps inside the screen, where a multiple select cut it at the list's edge."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from procurement.enums import Role
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import log_in
from tests.procurement.factories import PASSWORD, OrganisationFactory, member

pytestmark = pytest.mark.browser

LONG_NAME = "Syndicat intercommunal à vocation multiple du Denaisis et de l'Ostrevent"


@pytest.mark.parametrize("width", [320, 390])
def test_a_long_organisation_name_is_read_whole_on_a_phone(browser, live_server, transactional_db, width):
    organisation = OrganisationFactory(name="Communauté d'agglomération de Valenciennes Métropole", slug="vm")
    OrganisationFactory(name=LONG_NAME, slug="sivom")
    administrator = member(organisation=organisation, role=Role.ADMIN)
    administrator.is_superuser = True
    administrator.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, email=administrator.email, password=PASSWORD)
        page.goto(reverse("analytics:dashboard"))

        checkbox = page.get_by_role("checkbox", name=LONG_NAME)
        expect(checkbox).to_be_attached()
        label = page.locator("label", has_text=LONG_NAME)
        expect(label).to_be_visible()
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        # Whole: the label wraps its text rather than hiding the end of it.
        assert label.evaluate("element => element.scrollWidth <= element.clientWidth")
    finally:
        context.close()
