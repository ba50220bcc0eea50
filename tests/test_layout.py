"""base.html: django-dsfr's skip links and messages, under the Content-Security-Policy (no inline script or style)."""

import re

import pytest
from django.urls import reverse

from procurement.enums import MarketType
from tests.utils import elements_of


def skip_link_targets(response) -> list[str]:
    page = response.content.decode()
    skiplinks = page[page.index('class="fr-skiplinks"') : page.index("</nav>", page.index('class="fr-skiplinks"'))]
    return re.findall(r'href="#([^"]+)"', skiplinks)


def ids_of(response) -> set[str]:
    return {element.attrs["id"] for element in elements_of(response) if "id" in element.attrs}


def test_skip_links_lead_to_anchors_of_a_members_page(buyer_client):
    response = buyer_client.get(reverse("procurement:market_list"))

    assert skip_link_targets(response) == ["contenu", "navigation-principale", "pied-de-page"]
    assert set(skip_link_targets(response)) <= ids_of(response)


def test_skip_links_of_a_page_without_menu_do_not_point_to_it(client):
    """The main menu is drawn for members only: the login page has no "Menu" skip link."""
    response = client.get(reverse("login"))

    assert skip_link_targets(response) == ["contenu", "pied-de-page"]
    assert set(skip_link_targets(response)) <= ids_of(response)
    assert 'aria-label="Accès rapide"' in response.content.decode()


def _create_market(client, reference: str):
    return client.post(
        reverse("procurement:market_create"),
        {
            "reference": reference,
            "title": "Réhabilitation du centre aquatique",
            "market_type": MarketType.TRAVAUX,
            "published_on": "2026-03-15",
        },
        follow=True,
    )


def test_a_message_is_a_dsfr_alert_that_escapes_what_was_typed(buyer_client):
    response = _create_market(buyer_client, "<i>R&D</i>")
    page = response.content.decode()

    alert = next(element for element in elements_of(response) if "fr-alert" in element.attrs.get("class", ""))
    assert alert.attrs["class"].split() == ["fr-alert", "fr-alert--success", "fr-alert--sm", "fr-mb-2w"]
    assert not alert.in_main
    assert "Le marché &lt;i&gt;R&amp;D&lt;/i&gt; a été créé." in page
    assert "<i>R&D</i>" not in page


def test_a_message_is_shown_once(buyer_client):
    response = _create_market(buyer_client, "2026-TRX-014")

    assert response.content.decode().count("Le marché 2026-TRX-014 a été créé.") == 1
    assert "a été créé" not in buyer_client.get(reverse("procurement:market_list")).content.decode()


def _script_nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    script_src = next(directive for directive in policy.split(";") if directive.strip().startswith("script-src"))
    return re.search(r"'nonce-([^']+)'", script_src).group(1)


def assert_nothing_inline_without_nonce(response) -> None:
    nonce = _script_nonce(response)
    elements = elements_of(response)
    scripts = [element for element in elements if element.tag == "script"]
    assert scripts, "la page devrait charger les scripts du DSFR"
    assert all(script.attrs.get("nonce") == nonce for script in scripts), scripts
    # style-src 'self': no <style> element, no style attribute, and no inline event handler (script-src).
    assert not [element for element in elements if element.tag == "style"]
    assert not [element for element in elements if "style" in element.attrs]
    handlers = [element for element in elements if any(name.startswith("on") for name in element.attrs)]
    assert not handlers, handlers


def test_a_page_with_breadcrumb_and_message_has_nothing_inline(buyer_client):
    response = _create_market(buyer_client, "2026-TRX-014")

    assert 'class="fr-breadcrumb"' in response.content.decode()
    assert "fr-alert--success" in response.content.decode()
    assert_nothing_inline_without_nonce(response)


def test_the_login_page_has_nothing_inline(client):
    assert_nothing_inline_without_nonce(client.get(reverse("login")))


@pytest.mark.parametrize(
    "url_name", ["procurement:market_list", "responses:list", "analytics:dashboard", "specifications:index"]
)
def test_pages_have_nothing_inline(buyer_client, url_name):
    response = buyer_client.get(reverse(url_name))

    assert response.status_code == 200
    assert_nothing_inline_without_nonce(response)


def test_the_wizard_loads_its_stylesheet_in_the_head(buyer_client):
    response = buyer_client.post(reverse("responses:staff_entry"), follow=True)
    page = response.content.decode()

    assert response.status_code == 200
    head = page[: page.index("</head>")]
    assert "css/annex.css" in head
    assert page.count("css/annex.css") == 1
    assert_nothing_inline_without_nonce(response)
