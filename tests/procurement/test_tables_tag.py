"""`{% data_table %}` (procurement/templatetags/tables.py): the DSFR table of the staff pages."""

import re

import pytest
from django.core.paginator import Paginator
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory
from pytest_django.asserts import assertHTMLEqual

TOKENS = """{% load tables %}{% data_table "Nom" "Rôle" rows=tokens %}
  {% caption %}Jetons de {{ organisation }}{% endcaption %}
  {% for token in tokens %}<tr><td>{{ token }}</td><td>Lecture</td></tr>{% endfor %}
{% empty %}
  <p>Aucun jeton pour l'instant.</p>
{% enddata_table %}"""


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context, request=RequestFactory().get("/jetons/"))


def test_the_table_has_its_caption_headers_and_rows():
    html = render(TOKENS, tokens=["Profil <acheteur>", "Suivi"], organisation="Ville & co")

    assertHTMLEqual(
        html,
        """<div class="fr-table data-table"><table tabindex="0">
          <caption>Jetons de Ville &amp; co</caption>
          <thead><tr><th scope="col">Nom</th><th scope="col">Rôle</th></tr></thead>
          <tbody>
            <tr><td>Profil &lt;acheteur&gt;</td><td>Lecture</td></tr>
            <tr><td>Suivi</td><td>Lecture</td></tr>
          </tbody>
        </table></div>""",
    )


def test_without_rows_only_the_empty_state_shows():
    html = render(TOKENS, tokens=[], organisation="Ville")

    assertHTMLEqual(html, "<p>Aucun jeton pour l'instant.</p>")


def test_without_a_rows_option_the_table_always_shows():
    source = '{% load tables %}{% data_table "Nom" %}{% caption %}Membres{% endcaption %}{% enddata_table %}'

    assert "<caption>Membres</caption>" in render(source)


def test_the_wrapper_classes_the_hidden_caption_and_a_header_from_a_variable():
    source = (
        '{% load tables %}{% data_table "Année" period extra_classes="fr-table--no-caption" %}'
        '{% caption class="fr-sr-only" %}Années{% endcaption %}{% enddata_table %}'
    )

    assertHTMLEqual(
        render(source, period="2025 <T1>"),
        """<div class="fr-table data-table fr-table--no-caption"><table tabindex="0">
          <caption class="fr-sr-only">Années</caption>
          <thead><tr><th scope="col">Année</th><th scope="col">2025 &lt;T1&gt;</th></tr></thead>
          <tbody></tbody>
        </table></div>""",
    )


def test_the_pagination_follows_the_table_only_when_there_are_several_pages():
    source = '{% load tables %}{% data_table "Nom" page=page %}{% caption %}Appels{% endcaption %}{% enddata_table %}'

    assert "fr-pagination" in render(source, page=Paginator(range(30), 10).page(2))
    assert "fr-pagination" not in render(source, page=Paginator(range(5), 10).page(1))


@pytest.mark.parametrize(
    "source",
    [
        '{% data_table "Nom" %}<tr></tr>{% enddata_table %}',
        '{% data_table "Nom" %}<tr></tr>{% caption %}Membres{% endcaption %}{% enddata_table %}',
        '{% data_table "Nom" colour="bleu" %}{% caption %}Membres{% endcaption %}{% enddata_table %}',
    ],
)
def test_a_table_without_a_caption_first_or_with_an_unknown_option_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load tables %}" + source)


def test_a_pagination_link_that_leads_nowhere_is_marked_inactive_as_the_dsfr_writes_it():
    # Without aria-disabled, the grey « Page précédente » of a first page is an active link to assistive
    # technologies, and fails the contrast check (3.11:1) that inactive components are exempt from.
    source = '{% load tables %}{% data_table "Nom" page=page %}{% caption %}Appels{% endcaption %}{% enddata_table %}'
    html = render(source, page=Paginator(range(30), 10).page(1))

    for label in ("Première page", "Page précédente"):
        link = re.search(rf"<a [^>]*>\s*{label}\s*</a>", html).group(0)
        assert 'aria-disabled="true"' in link and 'role="link"' in link and "href" not in link
    for label in ("Page suivante", "Dernière page"):
        link = re.search(rf"<a [^>]*>\s*{label}\s*</a>", html).group(0)
        assert "aria-disabled" not in link and 'href="?page=' in link
