"""A buyer's day with markets, in a real browser: log in, create a market, find it again."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from procurement.enums import MarketType, Role
from procurement.models import Market
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.factories import PASSWORD, LotFactory, MarketFactory, OrganisationFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def buyer_organisation():
    return OrganisationFactory(name="Agglomération du Hainaut", slug="agglo-hainaut")


@pytest.fixture
def buyer_account(buyer_organisation):
    return member(organisation=buyer_organisation, role=Role.BUYER)


def test_buyer_creates_a_market_and_finds_it_in_the_list(page, console_errors, buyer_organisation, buyer_account):
    # Another market, so that the search filter has something to leave out.
    MarketFactory(organisation=buyer_organisation, reference="2025-SRV-001", title="Nettoyage des locaux")

    log_in(page, email=buyer_account.email, password=PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Marchés"

    page.get_by_role("link", name="Nouveau marché").click()
    page.get_by_label("Référence").fill("2026-TRX-014")
    page.get_by_label("Objet").fill("Réhabilitation du centre aquatique")
    page.get_by_label("Type de marché").select_option(MarketType.TRAVAUX.value)
    page.get_by_label("Date de publication").fill("2026-03-15")
    page.get_by_label("Début d'exécution").fill("2026-06-01")
    page.get_by_label("Fin d'exécution").fill("2027-05-31")
    # The DSFR draws the checkbox on its label: a person clicks the label.
    page.locator("label[for=id_has_base_vie]").click()
    assert page.get_by_label("Base vie").is_checked()
    page.get_by_label("Heures d'insertion prévues").fill("1200")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    market = Market.objects.get(organisation=buyer_organisation, reference="2026-TRX-014")
    assert (market.title, market.market_type) == ("Réhabilitation du centre aquatique", MarketType.TRAVAUX)
    assert (market.published_on, market.execution_start, market.execution_end) == (
        datetime.date(2026, 3, 15),
        datetime.date(2026, 6, 1),
        datetime.date(2027, 5, 31),
    )
    assert market.has_base_vie is True
    assert market.insertion_hours_planned == Decimal("1200")

    page.wait_for_url(f"**/marches/{market.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Réhabilitation du centre aquatique"
    expect(page.get_by_role("alert").filter(has_text="Le marché 2026-TRX-014 a été créé.")).to_be_visible()
    # French number format: a (narrow) no-break space groups the thousands.
    main_text = page.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "1 200 heures prévues" in main_text

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Marchés").click()
    page.get_by_label("Rechercher").fill("aquatique")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/marches/?*q=aquatique*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert rows.first.get_by_role("link").inner_text() == "2026-TRX-014"
    assert "Nettoyage des locaux" not in page.locator("main").inner_text()

    rows.first.get_by_role("link", name="2026-TRX-014").click()
    page.wait_for_url(f"**/marches/{market.pk}/")

    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_login_market_list_and_market_form_have_no_accessibility_violation(
    axe_page, buyer_organisation, buyer_account
):
    MarketFactory.create_batch(3, organisation=buyer_organisation)
    page = axe_page
    checked = {}

    page.goto("/connexion/")
    checked["connexion"] = axe_violations(page)

    log_in(page, email=buyer_account.email, password=PASSWORD)
    page.goto("/marches/")
    assert page.locator("table tbody tr").count() == 3
    checked["liste des marchés"] = axe_violations(page)

    page.goto("/marches/nouveau/")
    checked["formulaire de marché"] = axe_violations(page)

    # The same form, showing its error messages.
    page.get_by_role("button", name="Enregistrer").click()
    # The click only starts the round trip: wait for the page with the errors (is_visible does not wait).
    page.get_by_role("alert").first.wait_for(state="visible")
    expect(page.get_by_role("alert").first).to_be_visible()
    checked["formulaire de marché en erreur"] = axe_violations(page)

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())


def test_the_market_list_buttons_sit_beside_the_title_on_a_desktop_and_under_it_on_a_phone(
    page, buyer_organisation, buyer_account
):
    log_in(page, email=buyer_account.email, password=PASSWORD)
    title = page.get_by_role("heading", level=1, name="Marchés")
    new_market = page.get_by_role("link", name="Nouveau marché")

    # Desktop: on the title's row, to its right (a full-width column once pushed them under it).
    title_box, button_box = title.bounding_box(), new_market.bounding_box()
    assert button_box["y"] < title_box["y"] + title_box["height"]
    assert button_box["x"] >= title_box["x"] + title_box["width"]

    # Phone: under the title, and the page does not scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    title_box, button_box = title.bounding_box(), new_market.bounding_box()
    assert button_box["y"] >= title_box["y"] + title_box["height"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_breadcrumb_folds_on_a_phone_and_works_under_the_csp(
    page, console_errors, buyer_organisation, buyer_account
):
    market = MarketFactory(organisation=buyer_organisation, reference="2026-TRX-014")
    log_in(page, email=buyer_account.email, password=PASSWORD)
    page.goto(f"/marches/{market.pk}/modifier/")
    breadcrumb = page.get_by_role("navigation", name="vous êtes ici :")
    unfold = breadcrumb.get_by_role("button", name="Voir le fil d’Ariane")

    # Desktop: the whole trail, before the page's content.
    expect(unfold).to_be_hidden()
    expect(breadcrumb.get_by_role("link", name="2026-TRX-014")).to_be_visible()
    assert page.locator("main .fr-breadcrumb").count() == 0

    # Phone: folded behind a button that the DSFR script (loaded with the CSP nonce) unfolds.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(unfold).to_be_visible()
    expect(breadcrumb.get_by_role("link", name="Marchés")).to_be_hidden()
    unfold.click()
    breadcrumb.get_by_role("link", name="Marchés").wait_for(state="visible")
    breadcrumb.get_by_role("link", name="2026-TRX-014").click()
    page.wait_for_url(f"**/marches/{market.pk}/")

    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_a_market_page_with_breadcrumb_and_message_has_no_accessibility_violation(
    axe_page, buyer_organisation, buyer_account
):
    market = MarketFactory(organisation=buyer_organisation)
    page = axe_page
    log_in(page, email=buyer_account.email, password=PASSWORD)
    page.goto(f"/marches/{market.pk}/")
    page.locator("#id_number").fill("1")
    page.locator("#id_title").fill("Gros œuvre")
    page.get_by_role("button", name="Ajouter le lot").click()
    expect(page.get_by_role("alert").filter(has_text="Le lot 1 a été ajouté.")).to_be_visible()
    checked = {"marché, bureau": axe_violations(page)}
    page.set_viewport_size({"width": 375, "height": 800})
    checked["marché, téléphone"] = axe_violations(page)

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())


def test_the_closed_annex_link_and_its_reopening_have_no_accessibility_violation(
    axe_page, buyer_organisation, buyer_account
):
    market = MarketFactory(
        organisation=buyer_organisation,
        bid_deadline=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1),
        cpv_code="45210000-2",
    )
    page = axe_page
    checked = {}

    answer = page.goto(f"/annexe/{market.candidate_token}/")
    assert answer.status == 410
    expect(page.get_by_role("heading", name="La date limite de remise des offres est passée")).to_be_visible()
    checked["lien de l'annexe fermé"] = axe_violations(page)

    log_in(page, email=buyer_account.email, password=PASSWORD)
    page.goto(f"/marches/{market.pk}/")
    checked["marché au lien fermé"] = axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Rouvrir le lien de l'annexe").click()
    checked["confirmation de la réouverture"] = axe_violations(page)
    page.get_by_role("button", name="Confirmer la réouverture du lien").click()
    expect(page.get_by_text("Lien rouvert le")).to_be_visible()

    assert page.goto(f"/annexe/{market.candidate_token}/").status == 200
    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())


# The columns of the list's table: each header's left edge and width, and the table's frame (the scrolling `table`).
_COLUMNS = """() => {
  const table = document.querySelector(".fr-table > table");
  const frame = table.getBoundingClientRect();
  const columns = [...table.querySelectorAll("thead th")].map((header) => {
    const box = header.getBoundingClientRect();
    return {name: header.textContent.trim(), left: box.left - frame.left, width: box.width};
  });
  return {frame: frame.width, scrolls: table.scrollWidth > table.clientWidth, columns};
}"""

LONG_REFERENCE = "2026-TRAVAUX-VOIRIE-LOT-012-RENOUVELLEMENT"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_reference_wraps_in_the_market_list_and_leaves_the_other_columns_their_width(
    page, buyer_organisation, buyer_account, width
):
    MarketFactory(
        organisation=buyer_organisation,
        reference=LONG_REFERENCE,
        title="Renouvellement des chaussées et des trottoirs de la rue de Paris et de ses abords",
    )
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, email=buyer_account.email, password=PASSWORD)
    expect(page.get_by_role("link", name=LONG_REFERENCE)).to_be_visible()
    table = page.evaluate(_COLUMNS)
    reference, title = table["columns"][:2]
    assert (reference["name"], title["name"]) == ("Référence", "Objet")
    link = page.get_by_role("link", name=LONG_REFERENCE).bounding_box()
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.fr-table td')).lineHeight)")
    # Cut where its line is full: on several lines, not one line as wide as the reference.
    assert link["height"] > 1.5 * line_height, f"référence sur une ligne ({link})"
    if width == 1280:
        # The whole table in its frame, the title's column at least as wide as the reference's.
        assert not table["scrolls"], table
        assert title["width"] >= reference["width"], table
    else:
        # A phone: the reference's column takes at most half the frame, the title's column starts beside it.
        assert reference["width"] <= table["frame"] / 2, table
        assert title["left"] < table["frame"] - 80, table
        # Scrolled to its end, the table keeps its first column in view (the reference says which row is which).
        frame_handle = page.locator(".fr-table > table").element_handle()
        scrolled = page.evaluate("(table) => { table.scrollLeft = 10000; return table.scrollLeft; }", frame_handle)
        assert scrolled > 0, "le tableau ne défile pas dans son cadre"
        first_cell = page.get_by_role("cell", name=LONG_REFERENCE)
        frame_left = frame_handle.bounding_box()["x"]
        assert abs(first_cell.bounding_box()["x"] - frame_left) <= 2, first_cell.bounding_box()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_candidate_link_card_ends_under_its_content_beside_a_long_market(page, buyer_organisation, buyer_account):
    market = MarketFactory(organisation=buyer_organisation, reference="2026-TRX-020", title="Voirie")
    for number in range(1, 9):
        LotFactory(market=market, number=number, title=f"Lot de travaux n° {number}")
    log_in(page, email=buyer_account.email, password=PASSWORD)

    page.goto(f"/marches/{market.pk}/")

    card = page.locator(".fr-card").filter(has=page.get_by_role("heading", name="Lien de l'annexe égalité"))
    download = card.get_by_role("link", name="Télécharger le QR code (SVG)")
    expect(download).to_be_visible()
    card_box, link_box = card.bounding_box(), download.bounding_box()
    # A card as high as the column of information and lots beside it left hundreds of pixels of empty frame.
    assert card_box["y"] + card_box["height"] < link_box["y"] + link_box["height"] + 100


def test_a_long_market_title_takes_the_phone_width_with_its_edit_button_under_it(
    page, buyer_organisation, buyer_account
):
    market = MarketFactory(
        organisation=buyer_organisation,
        reference="2026-TRX-021",
        title="Réfection de la voirie et des réseaux du centre-ville, tranche optionnelle n° 2",
    )
    log_in(page, email=buyer_account.email, password=PASSWORD)
    page.goto(f"/marches/{market.pk}/")
    title = page.get_by_role("heading", level=1)
    edit = page.get_by_role("link", name="Modifier", exact=True)

    # Desktop: the button on the title's row, to its right.
    title_box, edit_box = title.bounding_box(), edit.bounding_box()
    assert edit_box["y"] < title_box["y"] + title_box["height"]
    assert edit_box["x"] >= title_box["x"] + title_box["width"]

    # Phone: the title had a third of the screen beside the button (one or two words a line); it takes the whole
    # width, the button under it.
    page.set_viewport_size({"width": 390, "height": 800})
    title_box, edit_box = title.bounding_box(), edit.bounding_box()
    assert title_box["width"] > 0.8 * (390 - 32)
    assert edit_box["y"] >= title_box["y"] + title_box["height"]
