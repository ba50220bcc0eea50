"""An organisation's name inside a French sentence: the article, the contractions, the guess, the forms."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from procurement import names
from procurement.enums import Article
from procurement.models import Organisation
from procurement.services.organisations import create_or_update_organisation
from tests.procurement.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("name", "article", "subject", "of", "to"),
    [
        ("Ville de Denain", Article.LA, "la Ville de Denain", "de la Ville de Denain", "à la Ville de Denain"),
        (
            "Département du Nord",
            Article.LE,
            "le Département du Nord",
            "du Département du Nord",
            "au Département du Nord",
        ),
        (
            "Agglomération de Valenciennes",
            Article.ELIDED,
            "l'Agglomération de Valenciennes",
            "de l'Agglomération de Valenciennes",
            "à l'Agglomération de Valenciennes",
        ),
        (
            "Hospices civils de Lyon",
            Article.LES,
            "les Hospices civils de Lyon",
            "des Hospices civils de Lyon",
            "aux Hospices civils de Lyon",
        ),
        (
            "Valenciennes Métropole",
            Article.NONE,
            "Valenciennes Métropole",
            "de Valenciennes Métropole",
            "à Valenciennes Métropole",
        ),
        ("Amiens Métropole", Article.NONE, "Amiens Métropole", "d'Amiens Métropole", "à Amiens Métropole"),
    ],
)
def test_each_article_gives_its_forms(name, article, subject, of, to):
    organisation = Organisation(name=name, article=article)

    assert (organisation.name_subject, organisation.name_of, organisation.name_to) == (subject, of, to)
    assert names.of(name=name, article=article) == of


@pytest.mark.parametrize(
    ("name", "article"),
    [
        ("Ville de Denain", Article.LA),
        ("Communauté d'agglomération du Douaisis", Article.LA),
        ("Métropole européenne de Lille", Article.LA),
        ("Agglomération de la Porte du Hainaut", Article.ELIDED),
        ("Département du Nord", Article.LE),
        ("Centre hospitalier de Valenciennes", Article.LE),
        ("Valenciennes Métropole", Article.NONE),
        ("Villeneuve-d'Ascq", Article.NONE),  # « Ville » only as a whole word
    ],
)
def test_the_article_is_guessed_only_when_obvious(name, article):
    assert names.guess_article(name) == article


def test_a_new_buyer_gets_the_guess_and_an_update_keeps_the_chosen_article():
    organisation, _ = create_or_update_organisation(slug="denain", name="Ville de Denain")
    assert organisation.article == Article.LA

    organisation, _ = create_or_update_organisation(slug="denain", name="Denain", article=Article.NONE)
    organisation, _ = create_or_update_organisation(slug="denain", name="Ville de Denain")

    organisation.refresh_from_db()
    assert organisation.article == Article.NONE


def test_the_command_takes_the_article_and_says_how_the_name_reads():
    stdout = io.StringIO()

    call_command("create_organisation", "nord", name="Département du Nord", article="le", stdout=stdout)

    assert Organisation.objects.get(slug="nord").article == Article.LE
    assert "Dans une phrase : « le Département du Nord », « du Département du Nord »" in stdout.getvalue()


def test_the_admin_form_lets_the_platform_administrator_set_the_article(admin_client):
    organisation = OrganisationFactory(name="Valenciennes Métropole", slug="vm", article=Article.NONE)

    page = admin_client.get(reverse("admin:procurement_organisation_change", args=[organisation.pk]))

    assert page.status_code == 200
    assert 'name="article"' in page.content.decode()
    assert "l&#x27; (l&#x27;Agglomération de …)" in page.content.decode()


def test_the_migration_guesses_the_article_of_existing_buyers_and_leaves_the_others_without():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("procurement.migrations.0003_organisation_article_text_validation")
    for slug, name in [
        ("denain", "Ville de Denain"),
        ("caph", "Agglomération de la Porte du Hainaut"),
        ("vm", "Valenciennes Métropole"),
    ]:
        OrganisationFactory(slug=slug, name=name, article=Article.NONE)

    migration.guess_articles(apps, None)

    articles = dict(Organisation.objects.values_list("slug", "article"))
    assert articles == {"denain": Article.LA, "caph": Article.ELIDED, "vm": Article.NONE}
