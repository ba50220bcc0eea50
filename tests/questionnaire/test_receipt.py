"""The receipt: confirmation page, PDF of every answer, the address confirmed before the PDF is emailed, resend."""

import base64
import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from questionnaire.enums import HEADCOUNT_CATEGORIES
from questionnaire.models import AnnexResponse
from questionnaire.services import receipts
from questionnaire.wizard import STEP_POLICY, STEP_STRUCTURE
from tests.questionnaire.conftest import SIRET, fill_all, post_step, valid_steps
from tests.utils import image_bytes, page_texts, pdf_catalog, pdf_image_count, pdf_info, text_of


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


PHISHING_NAME = "Votre compte expire : https://hameconnage.example/connexion"


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/annexe/confirmer-adresse/\S+/)", message.body).group(1)


def test_the_first_email_only_asks_to_confirm_the_address(django_capture_on_commit_callbacks, client, draft):
    steps = valid_steps()
    steps[STEP_STRUCTURE] = {**steps[STEP_STRUCTURE], "structure_name": PHISHING_NAME}
    with django_capture_on_commit_callbacks(execute=True):
        fill_all(client, draft, steps)

    submitted = AnnexResponse.objects.get()
    assert submitted.contact_email_confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["rh@batiments.fr"]
    assert submitted.receipt_number in message.subject
    assert message.attachments == []
    for typed in ("hameconnage.example", "Votre compte expire", "Un accord égalité", "Formation des managers", SIRET):
        assert typed not in message.subject
        assert typed not in message.body
    assert "confirmez votre adresse" in message.body
    assert confirmation_path(message).startswith("/annexe/confirmer-adresse/")
    # Signed data is only encoded: the link (kept in server logs) names the address by a digest.
    encoded = confirmation_path(message).split("/")[3].split(":")[0]
    assert b"batiments" not in base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


def test_following_the_link_sends_the_pdf_and_nothing_typed_in_the_email(
    django_capture_on_commit_callbacks, client, draft
):
    steps = valid_steps()
    steps[STEP_STRUCTURE] = {**steps[STEP_STRUCTURE], "structure_name": PHISHING_NAME}
    with django_capture_on_commit_callbacks(execute=True):
        fill_all(client, draft, steps)
    path = confirmation_path(mail.outbox[0])

    page = text_of(client.get(path))
    assert "Confirmer mon adresse" in page
    assert "hameconnage.example" not in page
    assert len(mail.outbox) == 1  # opening the link (as a mail scanner does) sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, follow=True)

    submitted = AnnexResponse.objects.get()
    assert submitted.contact_email_confirmed_at is not None
    assert response.redirect_chain[-1][0] == reverse("questionnaire:confirmation", args=[draft.resume_token])
    assert "Votre adresse est confirmée" in text_of(response)
    message = mail.outbox[1]
    assert message.to == ["rh@batiments.fr"]
    assert submitted.receipt_number in message.subject
    assert "ne constitue pas un contrôle" in message.body
    for typed in ("hameconnage.example", "Votre compte expire"):
        assert typed not in message.subject
        assert typed not in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"accuse-reception-{submitted.receipt_number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")

    # A second click confirms nothing more and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("tamper", ["forged", "other_address", "expired"])
def test_a_forged_expired_or_stale_link_confirms_nothing(client, draft, submitted, tamper, monkeypatch):
    token = receipts.address_confirmation_token(submitted)
    if tamper == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif tamper == "other_address":
        AnnexResponse.objects.filter(pk=submitted.pk).update(contact_email="autre@exemple.fr")
    else:
        monkeypatch.setattr(receipts, "ADDRESS_CONFIRMATION_MAX_AGE", -1)
    path = reverse("questionnaire:confirm_address", args=[token])

    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    submitted.refresh_from_db()
    assert submitted.contact_email_confirmed_at is None
    assert mail.outbox == []


def test_no_pdf_to_an_unconfirmed_address_on_resend(client, draft, submitted):
    response = client.post(reverse("questionnaire:confirmation", args=[draft.resume_token]), follow=True)

    assert "Le courriel de confirmation a été renvoyé à rh@batiments.fr" in text_of(response)
    (message,) = mail.outbox
    assert message.attachments == []
    assert "Bâtiments du Hainaut" not in message.body
    assert confirmation_path(message)


def test_resend_button_sends_the_receipt_again_once_confirmed(client, draft, submitted):
    client.post(reverse("questionnaire:confirm_address", args=[receipts.address_confirmation_token(submitted)]))
    mail.outbox.clear()
    page = text_of(client.get(reverse("questionnaire:confirmation", args=[draft.resume_token])))
    assert "Renvoyer l'accusé de réception par courriel" in page

    response = client.post(reverse("questionnaire:confirmation", args=[draft.resume_token]), follow=True)

    assert "L'accusé de réception a été renvoyé à rh@batiments.fr." in text_of(response)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert "Bâtiments du Hainaut" not in mail.outbox[0].body


def test_the_confirmation_page_says_what_to_do_before_confirmation(client, draft, submitted):
    page = text_of(client.get(reverse("questionnaire:confirmation", args=[draft.resume_token])))

    assert "suivez le lien qu'il contient pour confirmer cette adresse" in page
    assert "Renvoyer le courriel de confirmation" in page


def test_the_resume_link_email_quotes_nothing_typed(client, draft):
    steps = valid_steps()
    steps[STEP_STRUCTURE] = {**steps[STEP_STRUCTURE], "structure_name": PHISHING_NAME}
    post_step(client, draft, STEP_STRUCTURE, steps[STEP_STRUCTURE])

    client.post(reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": "moi@exemple.fr"})

    (message,) = mail.outbox
    assert "hameconnage.example" not in message.subject + message.body
    assert "Votre compte expire" not in message.subject + message.body
    assert message.attachments == []


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


# --- An accessible receipt, rendered once ------------------------------------------------------------------------


def test_the_receipt_is_a_tagged_pdf_in_french(client, draft, submitted, tmp_path):
    content = client.get(reverse("questionnaire:receipt_pdf", args=[draft.resume_token])).content

    info = pdf_info(content, tmp_path)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == f"Accusé de réception {submitted.receipt_number}"
    assert b"/Lang (fr)" in pdf_catalog(content)


@pytest.mark.parametrize("policy_lines", [2, 20, 34])
def test_no_label_is_left_at_the_bottom_of_a_page_without_its_answer(client, draft, policy_lines):
    """Policy texts of these lengths left « Politique interne » alone at a page's foot, its text on the next."""
    steps = valid_steps()
    steps[STEP_POLICY]["policy_text"] = "\n".join(f"Ligne {line} de la politique." for line in range(policy_lines))
    fill_all(client, draft, steps)
    response = AnnexResponse.objects.get()
    sections = receipts.answer_sections(response, steps=receipts.RECEIPT_SECTION_STEPS, index_asked=True)
    labels = {label for section in sections for label, _value in section.rows} | {s.title for s in sections}

    pages = page_texts(receipts.receipt_pdf(response))

    assert len(pages) >= 2
    assert [page[-1] for page in pages[:-1] if page[-1] in labels] == []


def test_the_receipt_shows_the_buyers_logo(client, draft, submitted):
    url = reverse("questionnaire:receipt_pdf", args=[draft.resume_token])
    assert pdf_image_count(client.get(url).content) == 0

    submitted.organisation.logo.save("logo.jpg", ContentFile(image_bytes("JPEG")))

    assert pdf_image_count(client.get(url).content) == 1


def test_the_receipt_is_rendered_once_for_every_download_and_the_email(client, draft, submitted, monkeypatch):
    import weasyprint

    renders = []
    write_pdf = weasyprint.HTML.write_pdf

    def counting_write_pdf(self, *args, **kwargs):
        renders.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting_write_pdf)
    url = reverse("questionnaire:receipt_pdf", args=[draft.resume_token])

    first = client.get(url).content
    second = client.get(url).content
    submitted.contact_email_confirmed_at = submitted.submitted_at
    receipts.send_receipt(response=submitted)

    assert len(renders) == 1
    assert first == second == mail.outbox[-1].attachments[0][1]


def test_the_receipt_writes_the_first_of_a_month_with_a_superscript_and_thousands_apart(client, draft):
    fill_all(client, draft, valid_steps(staff=3000))
    response = AnnexResponse.objects.get()
    response.submitted_at = datetime.datetime(2025, 12, 1, 9, 30, tzinfo=datetime.UTC)
    response.save()

    page = client.get(reverse("questionnaire:confirmation", args=[draft.resume_token])).content.decode()
    receipt = receipts.receipt_html(response)

    assert "enregistrées le 1<sup>er</sup>\u00a0décembre 2025 à 10\u00a0h\u00a030" in page
    assert "Enregistré le 1<sup>er</sup>\u00a0décembre 2025 à 10\u00a0h\u00a030" in receipt
    assert '<td class="number">3\u202f000</td>' in receipt
    assert '<td class="number">1\u202f349</td>' in receipt
    assert "37,5\u00a0%" in receipt
