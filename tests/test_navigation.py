"""Navigation by role: each role lands on its own home, and every link of its menus (header, sub-menus, footer)
opens with 200 for that role; candidates' pages offer no "Se connecter"."""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from procurement.enums import Role
from tests.browser.test_every_page import CRAWL, PAGES, build_crawl_world, crawl_url
from tests.procurement.test_breadcrumbs import assert_one_breadcrumb_before_main, breadcrumb
from tests.utils import committed_for_module, text_of


class _MenuLinks(HTMLParser):
    """The href of every link inside a <nav> or the <footer>: what a menu offers."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"nav", "footer"}:
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.links.append(urlsplit(href).path)

    def handle_endtag(self, tag):
        if tag in {"nav", "footer"}:
            self.depth -= 1


def menu_links(response) -> list[str]:
    parser = _MenuLinks()
    parser.feed(response.content.decode())
    return parser.links


HOMES = {
    Role.ADMIN: "procurement:market_list",
    Role.BUYER: "procurement:market_list",
    Role.EQUALITY_OFFICER: "procurement:market_list",
    Role.FACILITATOR: "clauses:index",
}


@pytest.mark.parametrize("role", sorted(Role.values))
def test_each_role_lands_on_its_own_home(client_with_role, role):
    client = client_with_role(role)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_menu_link_of_a_role_answers_200(client_with_role, market, role):
    """From the role's home, every menu link, and every menu link of the pages they open, answers 200."""
    client = client_with_role(role)
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    to_visit = menu_links(home)
    assert reverse("procurement:market_list") in to_visit
    visited: dict[str, int] = {}
    for depth in range(2):
        next_round = []
        for path in to_visit:
            if path in visited:
                continue
            # The home link ("/") redirects to the role's home: followed, it must end on a page of the role.
            response = client.get(path, follow=True)
            assert not response.redirect_chain or response.redirect_chain[-1][0] != reverse("login")
            visited[path] = response.status_code
            if depth == 0 and response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                next_round.extend(menu_links(response))
        to_visit = next_round

    refused = {path: status for path, status in visited.items() if status != 200}
    assert refused == {}, f"{role} : liens de menu qui ne répondent pas 200 : {refused}"
    # The walk reached the pages of the menus, not only the first one.
    assert reverse("clauses:index") in visited and reverse("legal_notice") in visited


def test_the_facilitator_menu_offers_neither_the_annex_nor_the_statistics(client_with_role):
    client = client_with_role(Role.FACILITATOR)

    links = menu_links(client.get(reverse("clauses:index")))

    assert reverse("responses:list") not in links
    assert reverse("analytics:dashboard") not in links
    assert reverse("clauses:participant_list") in links


def test_candidate_pages_offer_no_login(client, market):
    page = client.get(reverse("questionnaire:market_entry", args=[market.candidate_token]))

    assert page.status_code == 200
    assert "Se connecter" not in text_of(page)
    assert f'href="{reverse("login")}"' not in page.content.decode()
    assert f'href="{reverse("home")}"' not in page.content.decode()


def test_staff_public_pages_keep_the_login_button(client):
    assert "Se connecter" in text_of(client.get(reverse("password_reset")))


# --- Every staff sub-page has its fil d'Ariane --------------------------------------------------------------------
# The crawl's pages (tests/browser/test_every_page.py: `CRAWL`), read without a browser, with the crawl's data
# committed for the module (tests/utils.py: committed_for_module), browsed by its administrator.

# Pages that may go without a fil d'Ariane, and why: a section's home is reached from the main menu (or the
# header's account link), which already says where one is; public pages are read without the staff's navigation.
NO_BREADCRUMB: dict[str, str] = {
    "procurement:market_list": "home of « Marchés » (main menu)",
    "responses:list": "home of « Annexe égalité » (main menu)",
    "titulaires:list": "home of « Titulaires » (main menu)",
    "analytics:dashboard": "home of « Statistiques » (main menu)",
    "clauses:index": "home of « Clauses d'insertion » (main menu)",
    "specifications:index": "home of « Cahiers des charges » (main menu)",
    "members": "home of « Administration » (main menu)",
    "platform_organisations": "home of the platform administrators",
    "profile": "home of « Mon compte » (header)",
    "password_reset": "public page",
    "password_reset_done": "public page",
    "password_reset_confirm": "public page",
    "password_reset_complete": "public page",
    "legal_notice": "public page (footer)",
    "public_privacy": "public page (footer)",
    "accessibility": "public page (footer)",
    "open_data:index": "public page",
    "open_data:organisation": "public page",
}


@pytest.fixture(scope="module")
def _crawl_world(django_db_setup, django_db_blocker):
    with committed_for_module(django_db_blocker):
        yield build_crawl_world(slug="vm-breadcrumbs")


def _plain(html: str) -> str:
    """The text of a piece of HTML, tags dropped, entities read, spaces folded, case ignored."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).casefold()


def test_the_exempt_pages_are_crawled_pages():
    assert NO_BREADCRUMB.keys() - PAGES.keys() == set()


@pytest.mark.parametrize(("name", "variant"), CRAWL, ids=[f"{name}:{variant}".rstrip(":") for name, variant in CRAWL])
def test_every_staff_sub_page_has_its_breadcrumb(client, _crawl_world, name, variant):
    world, administrator = _crawl_world
    client.force_login(administrator)
    page = client.get(crawl_url(world, name, variant, with_figures=True))
    assert page.status_code == 200
    html = page.content.decode()

    if name in NO_BREADCRUMB:
        return
    assert "fr-breadcrumb" in html, f"{name} : page sans fil d'Ariane"
    assert_one_breadcrumb_before_main(page)
    links, current = breadcrumb(page)
    assert links[0] == ("Accueil", "/")
    assert current, f"{name} : le fil d'Ariane ne nomme pas la page"
    # The last item names this page: its words (but the short ones) are those of its heading or of its <title>.
    heading = _plain(html.partition("<h1")[2].partition(">")[2].partition("</h1>")[0])
    title = _plain(html.partition("<title>")[2].partition("</title>")[0])
    missing = [word for word in _plain(current).split() if len(word) > 3 and word not in f"{heading} {title}"]
    assert not missing, f"{name} : « {current} » ne reprend pas le titre « {heading} »"
