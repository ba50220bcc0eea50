"""The platform's Django admin in French: titles with their article, plural names, OTP devices; the favicon."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from procurement.models import SecondFactorDevice
from questionnaire.models import AnnexResponse, Attachment, Draft
from tests.procurement.factories import member
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory, pdf_attachment
from tests.utils import text_of

MARCH = datetime.datetime(2025, 3, 14, 9, 0, tzinfo=datetime.UTC)


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


# --- Deleting a response here is a removal like the staff's ----------------------------------------------------------


def _entered_twice(organisation):
    """Two answers of one structure in 2025; the later one sent from a draft, with an attachment."""
    first = AnnexResponseFactory(organisation=organisation, structure_name="Doublon", siret="", submitted_at=MARCH)
    draft = DraftFactory(organisation=organisation, submitted_at=MARCH)
    second = AnnexResponseFactory(
        organisation=organisation,
        structure_name="Doublon",
        siret="",
        submitted_at=MARCH + datetime.timedelta(minutes=5),
        draft=draft,
    )
    attachment = pdf_attachment(organisation=organisation, response=second)
    return first, second, attachment


@pytest.mark.parametrize("how", ["page", "action"])
def test_deleting_a_response_in_the_admin_removes_its_files_and_draft(
    platform_admin, organisation, django_capture_on_commit_callbacks, how
):
    first, second, attachment = _entered_twice(organisation)
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        if how == "page":
            url = reverse("admin:questionnaire_annexresponse_delete", args=[second.pk])
            answer = platform_admin.post(url, {"post": "yes"})
        else:
            answer = platform_admin.post(
                reverse("admin:questionnaire_annexresponse_changelist"),
                {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
            )

    assert answer.status_code == 302
    assert not AnnexResponse.objects.filter(pk=second.pk).exists()
    assert not storage.exists(name)
    assert not Draft.objects.filter(pk=second.draft_id).exists()
    first.refresh_from_db()
    assert first.is_latest


# --- Deleting a draft or an attachment here takes its files with it ------------------------------------------------


def _delete_in_admin(client, model: str, pk: int, how: str):
    if how == "page":
        return client.post(reverse(f"admin:questionnaire_{model}_delete", args=[pk]), {"post": "yes"})
    return client.post(
        reverse(f"admin:questionnaire_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
    )


@pytest.mark.parametrize("how", ["page", "action"])
def test_deleting_a_draft_in_the_admin_removes_its_files_but_not_its_responses(
    platform_admin, organisation, django_capture_on_commit_callbacks, how
):
    draft = DraftFactory(organisation=organisation)
    loose = pdf_attachment(organisation=organisation, draft=draft)
    answered = AnnexResponseFactory(organisation=organisation, submitted_at=MARCH)
    kept = pdf_attachment(organisation=organisation, draft=draft, response=answered)

    with django_capture_on_commit_callbacks(execute=True):
        answer = _delete_in_admin(platform_admin, "draft", draft.pk, how)

    assert answer.status_code == 302
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not loose.file.storage.exists(loose.file.name)
    assert not Attachment.objects.filter(pk=loose.pk).exists()
    assert kept.file.storage.exists(kept.file.name)
    assert Attachment.objects.filter(pk=kept.pk, response=answered).exists()


@pytest.mark.parametrize("how", ["page", "action"])
def test_deleting_an_attachment_in_the_admin_removes_its_file(
    platform_admin, organisation, django_capture_on_commit_callbacks, how
):
    attachment = pdf_attachment(organisation=organisation, draft=DraftFactory(organisation=organisation))
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        answer = _delete_in_admin(platform_admin, "attachment", attachment.pk, how)

    assert answer.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
