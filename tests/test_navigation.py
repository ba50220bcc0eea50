"""Navigation by role: each role lands on its own home, and every link of its menus (header, sub-menus, footer)
opens with 200 for that role; candidates' pages offer no "Se connecter"."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from procurement.enums import Role
from tests.utils import text_of


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
