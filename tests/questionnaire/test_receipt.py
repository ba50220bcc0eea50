"""The receipt: confirmation page, PDF of every answer, email with the PDF, resend button."""

import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from questionnaire.enums import HEADCOUNT_CATEGORIES
from questionnaire.models import AnnexResponse
from tests.questionnaire.conftest import SIRET, fill_all
from tests.utils import text_of


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "accuse.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


@pytest.fixture
def submitted(client, draft):
    fill_all(client, draft)
    return AnnexResponse.objects.get()


def test_confirmation_page_shows_the_receipt_number(client, draft, submitted):
    page = text_of(client.get(reverse("questionnaire:confirmation", args=[draft.resume_token])))

    assert submitted.receipt_number in page
    assert "Vos réponses ont bien été enregistrées" in page
    assert "ne constitue pas un contrôle" in page
    assert reverse("questionnaire:receipt_pdf", args=[draft.resume_token]) in page


def test_pdf_receipt_lists_every_answer_and_says_it_is_not_a_check(client, draft, submitted, tmp_path):
    response = client.get(reverse("questionnaire:receipt_pdf", args=[draft.resume_token]))

    assert response["Content-Type"] == "application/pdf"
    assert f"accuse-reception-{submitted.receipt_number}.pdf" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert submitted.receipt_number in text
    assert "Bâtiments du Hainaut" in text and SIRET in text
    assert "Il ne constitue pas un contrôle de leur exactitude." in text
    columns = [
        getattr(submitted, f"cadres_{key}") + getattr(submitted, f"non_cadres_{key}") for key in HEADCOUNT_CATEGORIES
    ]
    assert f"Total {' '.join(map(str, columns))} {submitted.staff_total}" in text
    assert "37,5 %" in text
    assert "88 / 100 (publiée en 2024)" in text
    assert "Oui : Formation des managers aux biais." in text
    assert "Détention d'un label égalité Non" in text


def test_email_with_the_pdf_is_sent_on_submission(django_capture_on_commit_callbacks, client, draft):
    with django_capture_on_commit_callbacks(execute=True):
        fill_all(client, draft)

    submitted = AnnexResponse.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rh@batiments.fr"]
    assert submitted.receipt_number in message.subject
    assert "ne constitue pas un contrôle" in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"accuse-reception-{submitted.receipt_number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")


def test_resend_button_sends_the_receipt_again(client, draft, submitted):
    response = client.post(reverse("questionnaire:confirmation", args=[draft.resume_token]), follow=True)

    assert "L'accusé de réception a été renvoyé à rh@batiments.fr." in text_of(response)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_resend_is_rate_limited(client, draft, submitted, settings):
    settings.ANNEX_RATE_LIMITS = {**settings.ANNEX_RATE_LIMITS, "email": (2, 3600)}
    url = reverse("questionnaire:confirmation", args=[draft.resume_token])

    statuses = [client.post(url).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_a_failing_mail_server_does_not_lose_the_response(django_capture_on_commit_callbacks, client, draft, settings):
    settings.EMAIL_BACKEND = "tests.questionnaire.test_receipt.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = fill_all(client, draft)

    assert AnnexResponse.objects.count() == 1
    assert response.status_code == 302


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("serveur de courriel injoignable")
