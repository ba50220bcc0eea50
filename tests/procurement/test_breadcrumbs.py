"""The fil d'Ariane: declared by the views (BreadcrumbMixin), drawn once by base.html with `{% dsfr_breadcrumb %}`."""

import pytest
from django.urls import reverse

from procurement.enums import Role
from tests.clauses.factories import InsertionClauseFactory, ParticipantFactory
from tests.procurement.factories import MarketFactory
from tests.utils import elements_of


def breadcrumb(response) -> tuple[list[tuple[str, str]], str]:
    """(title, URL) of each link of the fil d'Ariane, and the current page's title."""
    page = response.content.decode()
    start = page.index('class="fr-breadcrumb"')
    nav = page[start : page.index("</nav>", start)]
    links, current = [], None
    for item in nav.split('class="fr-breadcrumb__link"')[1:]:
        attributes, _, rest = item.partition(">")
        title = rest.partition("</a>")[0].strip()
        if 'aria-current="page"' in attributes:
            current = title
        else:
            links.append((title, attributes.split('href="')[1].split('"')[0]))
    return links, current


def breadcrumb_navs(response):
    return [element for element in elements_of(response) if "fr-breadcrumb" in element.attrs.get("class", "").split()]


def assert_one_breadcrumb_before_main(response) -> None:
    navs = breadcrumb_navs(response)
    assert len(navs) == 1, f"{len(navs)} fils d'Ariane dans la page"
    main = next(element for element in elements_of(response) if element.tag == "main")
    # Navigation, not content: before <main>, which the "Contenu" skip link reaches directly.
    assert not navs[0].in_main
    assert navs[0].position < main.position


def test_the_market_page_shows_markets_then_the_market(buyer_client, market):
    response = buyer_client.get(reverse("procurement:market_detail", args=[market.pk]))

    assert breadcrumb(response) == ([("Accueil", "/"), ("Marchés", "/marches/")], market.reference)
    assert_one_breadcrumb_before_main(response)


def test_a_page_under_a_market_links_back_to_the_market(buyer_client, market):
    response = buyer_client.get(reverse("procurement:market_update", args=[market.pk]))

    links, current = breadcrumb(response)
    assert links[1:] == [("Marchés", "/marches/"), (market.reference, f"/marches/{market.pk}/")]
    assert current == "Modifier"


def test_the_new_market_form_and_its_errors_keep_the_breadcrumb(buyer_client):
    url = reverse("procurement:market_create")

    assert breadcrumb(buyer_client.get(url))[1] == "Nouveau marché"
    invalid = buyer_client.post(url, {})
    assert invalid.status_code == 200
    assert breadcrumb(invalid)[1] == "Nouveau marché"


def test_what_a_user_typed_is_escaped_in_the_breadcrumb(buyer_client, organisation):
    market = MarketFactory(organisation=organisation, reference="<i>R&D</i>")

    page = buyer_client.get(reverse("procurement:market_detail", args=[market.pk])).content.decode()

    assert "<i>R&D</i>" not in page
    assert 'aria-current="page">&lt;i&gt;R&amp;D&lt;/i&gt;</a>' in page


@pytest.mark.parametrize(
    ("role", "url_name", "expected_links", "expected_current"),
    [
        (Role.BUYER, "responses:import", [("Annexe égalité", "/annexe-egalite/")], "Importer"),
        (Role.ADMIN, "responses:settings", [("Annexe égalité", "/annexe-egalite/")], "Texte d'introduction"),
    ],
)
def test_annex_staff_pages_lead_back_to_the_list(client_with_role, role, url_name, expected_links, expected_current):
    client = client_with_role(role)

    response = client.get(reverse(url_name))

    assert breadcrumb(response) == ([("Accueil", "/"), *expected_links], expected_current.replace("'", "&#x27;"))
    assert_one_breadcrumb_before_main(response)


def test_clause_pages_have_their_breadcrumb_outside_the_main_content(client_with_role, organisation):
    """These two pages drew their own fil d'Ariane inside <main>."""
    client = client_with_role(Role.FACILITATOR)
    clause = InsertionClauseFactory(market__organisation=organisation)
    participant = ParticipantFactory(organisation=organisation)

    market_page = client.get(reverse("clauses:market", kwargs={"market_pk": clause.market.pk}))
    participant_page = client.get(reverse("clauses:participant_detail", kwargs={"participant_pk": participant.pk}))

    assert breadcrumb(market_page)[1] == clause.market.reference
    assert breadcrumb(participant_page) == (
        [
            ("Accueil", "/"),
            ("Clauses d&#x27;insertion", "/clauses-insertion/"),
            ("Participant·es", "/clauses-insertion/participants/"),
        ],
        participant.reference,
    )
    assert_one_breadcrumb_before_main(market_page)
    assert_one_breadcrumb_before_main(participant_page)


def test_a_page_without_breadcrumb_draws_none(buyer_client):
    response = buyer_client.get(reverse("procurement:market_list"))

    assert response.status_code == 200
    assert breadcrumb_navs(response) == []
