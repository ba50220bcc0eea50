"""What candidates are owed, in a real browser: axe-core finds no violation on the public legal pages, the first
annex step with its personal-data notice, the 404 of a wrong annex link and the buyer's "Informations légales"."""

import pytest
from playwright.sync_api import expect

from procurement.enums import Role
from procurement.legal.services import save_legal_details
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.factories import PASSWORD, MarketFactory, OrganisationFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def market():
    organisation = OrganisationFactory(name="Ville de Denain (essai)", slug="denain-essai")
    save_legal_details(
        organisation=organisation,
        controller_name="Ville de Denain",
        controller_address="1 place de la Mairie, 59220 Denain",
        dpo_contact="dpo@ville-denain.example",
    )
    return MarketFactory(organisation=organisation, reference="2026-SRV-004", title="Nettoyage des écoles")


def test_legal_pages_first_step_and_wrong_link_have_no_accessibility_violation(axe_page, market):
    page = axe_page
    checked = {}
    for path, name in (
        ("/mentions-legales/", "mentions légales"),
        ("/donnees-personnelles/", "données personnelles"),
        ("/accessibilite/", "déclaration d'accessibilité"),
        ("/annexe/lien-mal-recopie/", "lien d'annexe erroné"),
    ):
        page.goto(path)
        checked[name] = axe_violations(page)
    expect(page.get_by_role("heading", name="Ce lien de questionnaire ne fonctionne pas")).to_be_visible()
    assert page.get_by_role("link", name="Se connecter").count() == 0

    page.goto(f"/annexe/{market.candidate_token}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Commencer le questionnaire").click()
    expect(page.get_by_role("heading", name="Vos données personnelles")).to_be_visible()
    expect(page.get_by_text("dpo@ville-denain.example")).to_be_visible()
    checked["première étape avec la notice"] = axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Mentions légales").click()
    expect(page.get_by_role("heading", name="Mentions légales", level=1)).to_be_visible()

    administrator = member(organisation=market.organisation, role=Role.ADMIN)
    log_in(page, email=administrator.email, password=PASSWORD)
    page.goto("/organisation/informations-legales/")
    checked["informations légales"] = axe_violations(page)

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())
