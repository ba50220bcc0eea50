"""The platform's Django admin in French: titles with their article, plural names, OTP devices; the favicon."""

import pytest
from django.apps import apps
from django.urls import reverse

from procurement.models import SecondFactorDevice
from tests.procurement.factories import member
from tests.utils import text_of


def test_every_model_names_its_plural():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in {"procurement", "questionnaire", "clauses", "analytics"}
        and "verbose_name_plural" not in model._meta.original_attrs
    ]
    assert missing == []


@pytest.fixture
def platform_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="racine@exemple.fr", password="x" * 20))
    return client


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("admin:procurement_organisation_add", "Ajout d'une organisation"),
        ("admin:procurement_market_add", "Ajout d'un marché"),
        ("admin:procurement_organisation_changelist", "Choisissez une organisation à modifier"),
        ("admin:procurement_secondfactordevice_add", "Ajout d'une application d'authentification"),
        ("admin:questionnaire_attachment_changelist", "Choisissez une pièce jointe à modifier"),
    ],
)
def test_the_admin_titles_read_in_french(platform_admin, url, title):
    page = text_of(platform_admin.get(reverse(url)))
    assert f"<h1>{title}</h1>" in page


def test_the_admin_lists_plurals_and_otp_devices_in_french_with_the_favicon(platform_admin):
    response = platform_admin.get(reverse("admin:index"))
    page = text_of(response)
    assert "Pièces jointes" in page and "Brouillons d'annexe égalité" in page
    assert "Applications d'authentification" in page and "TOTP devices" not in page
    assert "dsfr/dist/favicon/favicon.svg" in page


def test_the_site_pages_carry_the_favicon(client):
    assert "dsfr/dist/favicon/favicon.svg" in client.get(reverse("login")).content.decode()


def test_the_change_pages_read_in_french(platform_admin, organisation):
    page = text_of(platform_admin.get(reverse("admin:procurement_organisation_change", args=[organisation.pk])))
    assert "<h1>Modification d'une organisation</h1>" in page
    assert "Responsable du traitement" in page  # the legal details, inline

    device = SecondFactorDevice.objects.create(
        user=member(organisation=organisation), name="Téléphone", confirmed=True
    )
    page = text_of(platform_admin.get(reverse("admin:procurement_secondfactordevice_change", args=[device.pk])))
    assert "<h1>Modification d'une application d'authentification</h1>" in page
    assert "Nom de l'appareil" in page and "Limitation des essais" in page
    assert "Throttling" not in page and "Identity" not in page
