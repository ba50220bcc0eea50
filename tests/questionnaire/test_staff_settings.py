"""Settings page: the introduction candidates read, edited by admins and equality officers."""

import pytest
from django.urls import reverse

from procurement.enums import Role
from questionnaire import texts
from questionnaire.models import QuestionnaireSettings
from questionnaire.selectors import effective_introduction
from tests.utils import text_of

URL = reverse("responses:settings")
INTRODUCTION = "Notre agglomération suit l'égalité dans ses marchés.\n\nMerci de votre réponse."


@pytest.mark.parametrize("role", [Role.BUYER, Role.FACILITATOR])
def test_other_roles_get_403(client_with_role, role):
    client = client_with_role(role)

    assert client.get(URL).status_code == 403


def test_the_default_text_is_shown_until_the_buyer_writes_its_own(equality_officer_client):
    page = equality_officer_client.get(URL)

    assert page.status_code == 200
    assert page.context["form"].initial["introduction"] == texts.DEFAULT_INTRODUCTION
    text = text_of(page)
    assert "Ce que lisent les structures candidates" in text
    assert texts.OPTIONAL_NOTICE in text


def test_preview_shows_the_text_without_saving(equality_officer_client, organisation):
    page = equality_officer_client.post(URL, {"introduction": INTRODUCTION, "preview": "1"})

    assert page.status_code == 200
    text = text_of(page)
    assert "Aperçu (non enregistré)" in text
    assert "<p>Merci de votre réponse.</p>" in page.content.decode()
    assert not QuestionnaireSettings.objects.filter(organisation=organisation).exists()


def test_saving_stores_the_text_for_this_organisation_only(equality_officer_client, organisation, other_organisation):
    page = equality_officer_client.post(URL, {"introduction": INTRODUCTION, "save": "1"})

    assert page.status_code == 302
    assert effective_introduction(organisation=organisation) == INTRODUCTION
    assert effective_introduction(organisation=other_organisation) == texts.DEFAULT_INTRODUCTION
    assert INTRODUCTION.split("\n")[0] in text_of(equality_officer_client.get(URL))


def test_a_blank_text_or_the_default_unchanged_means_the_default(equality_officer_client, organisation):
    equality_officer_client.post(URL, {"introduction": INTRODUCTION, "save": "1"})

    equality_officer_client.post(URL, {"introduction": "  ", "save": "1"})
    assert QuestionnaireSettings.objects.get(organisation=organisation).introduction == ""
    equality_officer_client.post(URL, {"introduction": texts.DEFAULT_INTRODUCTION.replace("\n", "\r\n"), "save": "1"})
    assert QuestionnaireSettings.objects.get(organisation=organisation).introduction == ""
    assert effective_introduction(organisation=organisation) == texts.DEFAULT_INTRODUCTION


def test_a_text_too_long_is_refused_with_what_was_typed(equality_officer_client, organisation):
    typed = "a" * 4001

    page = equality_officer_client.post(URL, {"introduction": typed, "save": "1"})

    assert page.status_code == 400
    assert "doit tenir en 4000 caractères au plus (4001 actuellement)" in text_of(page)
    assert typed in page.content.decode()
    assert not QuestionnaireSettings.objects.filter(organisation=organisation).exists()


def test_the_text_is_escaped(equality_officer_client):
    equality_officer_client.post(URL, {"introduction": "<script>alert(1)</script>", "save": "1"})

    content = equality_officer_client.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_admins_may_edit_too(client_with_role):
    client = client_with_role(Role.ADMIN)

    assert client.post(URL, {"introduction": INTRODUCTION, "save": "1"}).status_code == 302
