"""`templates/includes/_filter_form.html`: the filter form above the lists of markets, annex responses, titulaires
and clause participants."""

from django import forms
from django.template import engines
from django.test import RequestFactory
from pytest_django.asserts import assertInHTML

from procurement.forms import DsfrForm

INCLUDE = (
    '{% include "includes/_filter_form.html" with form=form label="Filtrer les marchés" column="fr-col-md-2" '
    'search_column=search_column buttons_column=buttons_column submit_label="Filtrer" clear_url=clear_url %}'
)


class ListFilterForm(DsfrForm):
    q = forms.CharField(label="Rechercher", required=False)
    year = forms.ChoiceField(label="Année", required=False, choices=[("", "Toutes les années"), ("2025", "2025")])


def render(*, search_column="", buttons_column="", clear_url="", is_filtered=False) -> tuple[str, ListFilterForm]:
    form = ListFilterForm({"q": "voirie"})
    context = {
        "form": form,
        "search_column": search_column,
        "buttons_column": buttons_column,
        "clear_url": clear_url,
        "is_filtered": is_filtered,
    }
    return engines["django"].from_string(INCLUDE).render(context, request=RequestFactory().get("/")), form


def test_a_search_landmark_with_a_labelled_column_per_field_the_search_box_wider():
    html, form = render(search_column="fr-col-md-4", buttons_column="fr-col-md-2")

    assert '<form method="get" class="filters fr-mb-3w" role="search" aria-label="Filtrer les marchés">' in html
    assertInHTML(f'<div class="fr-col-12 fr-col-md-4">{form["q"].as_field_group()}</div>', html)
    assertInHTML(f'<div class="fr-col-12 fr-col-md-2">{form["year"].as_field_group()}</div>', html)
    assert html.index('for="id_q"') < html.index('for="id_year"')
    # Without a link to clear the filters, the button stands alone, level with the fields.
    assertInHTML(
        '<div class="fr-col-12 fr-col-md-2"><button type="submit" class="fr-btn fr-mb-2w">Filtrer</button></div>', html
    )


def test_every_field_takes_the_same_column_without_a_wider_search_box():
    html, form = render()

    assertInHTML(f'<div class="fr-col-12 fr-col-md-2">{form["q"].as_field_group()}</div>', html)


def test_the_link_clearing_the_filters_shows_only_while_filtered():
    clear = '<a class="fr-btn fr-btn--tertiary" href="/marches/?annee=2025">Effacer les filtres</a>'

    html, _form = render(clear_url="/marches/?annee=2025", is_filtered=True)
    # Without a buttons' width, the buttons take a row of their own.
    assertInHTML(
        f"""<div class="fr-col-12"><ul class="fr-btns-group fr-btns-group--inline">
          <li><button type="submit" class="fr-btn">Filtrer</button></li><li>{clear}</li>
        </ul></div>""",
        html,
    )

    html, _form = render(clear_url="/marches/?annee=2025", is_filtered=False)
    assert "Effacer les filtres" not in html
    assertInHTML('<li><button type="submit" class="fr-btn">Filtrer</button></li>', html)
