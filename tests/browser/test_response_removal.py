"""Deleting an annex response in a real browser, as an equality officer would a paper entry typed twice: from the
response's page to its confirmation page, a first click without a reason that deletes nothing, then the deletion,
the list's message, and the first entry counting again; at desktop and phone widths, under the CSP; axe-core on the
confirmation page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from procurement.enums import Role
from questionnaire.enums import ResponseSource
from questionnaire.models import AnnexResponse
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.factories import PASSWORD, MarketFactory, OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory, pdf_attachment, siret_with_luhn

pytestmark = pytest.mark.browser

MARCH = datetime.datetime(2025, 3, 14, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
SIRET = siret_with_luhn("4420000000001")


def _entered_twice():
    """An equality officer's organisation where a paper entry was typed twice, the second time with an attachment."""
    organisation = OrganisationFactory(name="Agglomération du Hainaut", slug="agglo-hainaut")
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)
    market = MarketFactory(organisation=organisation)
    entry = {"organisation": organisation, "market": market, "structure_name": "Bâtir Ensemble", "siret": SIRET}
    first = AnnexResponseFactory(**entry, submitted_at=MARCH, source=ResponseSource.STAFF)
    twice = AnnexResponseFactory(
        **entry, submitted_at=MARCH + datetime.timedelta(minutes=7), source=ResponseSource.STAFF
    )
    pdf_attachment(organisation=organisation, response=twice, name="plan-egalite.pdf")
    return officer, first, twice


def _open_the_confirmation(page, *, officer, response, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, email=officer.email, password=PASSWORD)
    page.goto(f"/annexe-egalite/{response.pk}/")
    page.get_by_role("link", name="Supprimer cette réponse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer la réponse de Bâtir Ensemble\u00a0?")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_officer_deletes_a_paper_entry_typed_twice(page, console_errors, width):
    officer, first, twice = _entered_twice()
    _open_the_confirmation(page, officer=officer, response=twice, width=width)

    expect(page.get_by_text("plan-egalite.pdf")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Without a reason, nothing goes.
    page.get_by_role("button", name="Supprimer la réponse").click()
    expect(page.get_by_role("alert").filter(has_text="rien n'a été supprimé")).to_be_visible()
    assert AnnexResponse.objects.filter(pk=twice.pk).exists()

    page.get_by_text("Doublon (la même réponse enregistrée deux fois)").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Supprimer la réponse").click()

    expect(page.get_by_role("alert").filter(has_text="La réponse de Bâtir Ensemble a été supprimée.")).to_be_visible()
    assert page.url.endswith("/annexe-egalite/")
    assert not AnnexResponse.objects.filter(pk=twice.pk).exists()
    first.refresh_from_db()
    assert first.is_latest
    # The form sent without a reason answers 400, as every refused form does; nothing else may be logged.
    assert [message for message in console_errors.messages if "status of 400" not in message] == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_confirmation_page_has_no_accessibility_violation(axe_page, width):
    officer, _first, twice = _entered_twice()
    _open_the_confirmation(axe_page, officer=officer, response=twice, width=width)

    violations = axe_violations(axe_page)
    assert violations == [], describe_violations(violations)
