"""French typography of the candidate pages: a space before « : », « ; », « ? », « ! », « » » and after « « » is a
no-break space (U+00A0 or the narrow U+202F), so that on a 390 px phone a colon never starts a line.

Every page a candidate may see is rendered (entry, each step empty and with its errors, the summary, the receipt
page and its PDF's HTML, the closed page), with the messages it shows, and its text is scanned: attributes, scripts
and styles are left alone. The e-mails sent on the way (resume link, address to confirm, receipt) are scanned too,
subject and body (tests/utils.py holds the scanner)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from procurement.enums import Article
from questionnaire import wizard
from questionnaire.models import AnnexResponse
from questionnaire.services import receipts
from tests.questionnaire.conftest import fill_all, post_step, step_url, valid_steps
from tests.utils import text_typography_faults, typography_faults


@pytest.mark.parametrize(
    "page",
    [
        "<p>Numéro : 12</p>",
        "<p>Marché <span>2026-01</span> : travaux</p>",
        "<p>cliquez sur « Suivant »</p>",
        "<p>Avez-vous un conseil ?</p>",
        "<p>Format attendu\n  : nom@domaine.fr</p>",
    ],
)
def test_the_scan_finds_a_breakable_space(page):
    assert typography_faults(page)


@pytest.mark.parametrize(
    "page",
    [
        "<p>Numéro\u00a0: 12</p>",
        "<p>cliquez sur «\u00a0Suivant\u00a0»</p>",
        "<p>Avez-vous un conseil\u202f?</p>",
        '<a href="/x/?a=1" title="Modifier : étape">10:30</a>',
        "<script>var a = b ? c : d;</script><style>a { color : red; }</style>",
    ],
)
def test_the_scan_lets_correct_french_attributes_and_scripts_pass(page):
    assert not typography_faults(page)


def _bad_steps() -> dict[str, dict]:
    return {
        wizard.STEP_STRUCTURE: {"structure_name": "", "siret": "123", "contact_email": "pas-une-adresse"},
        wizard.STEP_HEADCOUNT: {"cadres_f": "-2", "cadres_h": "12,5", "non_cadres_f": "99999999"},
        wizard.STEP_GOVERNANCE: {"has_board": "oui", "board_women_pct": "120", "volunteers_women_pct": "abc"},
        wizard.STEP_POLICY: {
            "policy_text": "x" * 1001,
            "equality_index_status": "score",
            "equality_index_score": "120",
        },
        wizard.STEP_COMMITMENTS: {"commitment_agreements": "oui", "commitment_agreements_detail": ""},
    }


def candidate_pages(client, market, draft, capture_on_commit):
    """(name, HTML) of every page a candidate may see, with the messages shown on them."""
    market.bid_deadline = timezone.now() + datetime.timedelta(days=3)
    market.save()
    entry = reverse("questionnaire:market_entry", args=[market.candidate_token])
    yield "accueil du marché", client.get(entry)
    generic = reverse("questionnaire:organisation_entry", args=[market.organisation.slug])
    yield "accueil de l'acheteur", client.get(generic)
    for step, data in _bad_steps().items():
        yield f"{step} (vide)", client.get(step_url(draft, step))
        yield f"{step} (erreurs)", post_step(client, draft, step, data)
    bad_file = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/pdf")
    yield "pièces jointes (erreurs)", post_step(client, draft, wizard.STEP_ATTACHMENTS, {"files": [bad_file]})
    resume_link = reverse("questionnaire:send_resume_link", args=[draft.resume_token])
    yield "lien de reprise (erreur)", client.post(resume_link, {"email": "pas-une-adresse"}, follow=True)
    yield "lien de reprise (envoyé)", client.post(resume_link, {"email": "rh@batiments.fr"}, follow=True)
    fill_all(client, draft, until=wizard.STEP_SUMMARY)
    yield "récapitulatif", client.get(step_url(draft, wizard.STEP_SUMMARY))
    with capture_on_commit(execute=True):
        post_step(client, draft, wizard.STEP_SUMMARY, valid_steps()[wizard.STEP_SUMMARY])
    confirmation = reverse("questionnaire:confirmation", args=[draft.resume_token])
    yield "accusé de réception", client.get(confirmation)
    yield "accusé renvoyé", client.post(confirmation, follow=True)
    response = AnnexResponse.objects.get()
    confirm = reverse("questionnaire:confirm_address", args=[receipts.address_confirmation_token(response)])
    yield "confirmer l'adresse", client.get(confirm)
    yield "adresse confirmée", client.post(confirm, follow=True)
    yield "accusé de réception (PDF)", receipts.receipt_html(response)
    market.bid_deadline = timezone.now() - datetime.timedelta(hours=1)
    market.save()
    yield "date limite passée", client.get(entry)


def test_no_candidate_page_breaks_a_line_before_a_colon(client, market, draft, django_capture_on_commit_callbacks):
    found = {}
    for name, response in candidate_pages(client, market, draft, django_capture_on_commit_callbacks):
        page = response if isinstance(response, str) else response.content.decode()
        if faults := typography_faults(page, times=True):
            found[name] = faults
    assert not found, "\n".join(f"{name} : {faults}" for name, faults in found.items())


def test_no_email_to_a_candidate_breaks_a_line_before_a_colon(
    client, market, draft, django_capture_on_commit_callbacks
):
    market.title = "Lot 2 : voirie « centre »"  # typed by the buyer, with ordinary spaces
    market.save()
    # As its administrators typed it: « du Syndicat « Eau : Nord » » in a sentence.
    market.organisation.name, market.organisation.article = "Syndicat « Eau : Nord »", Article.LE
    market.organisation.save()
    with django_capture_on_commit_callbacks(execute=True):  # the receipt, sent once the address is confirmed
        for _page in candidate_pages(client, market, draft, django_capture_on_commit_callbacks):
            pass
    for message in mail.outbox:
        print(f"--- {message.subject}\n{message.body}")

    # The resume link, the address to confirm, the receipt.
    assert {message.subject.split()[0] for message in mail.outbox} == {"Votre", "Confirmez", "Accusé"}
    for message in mail.outbox:
        assert "du Syndicat «\u00a0Eau\u00a0: Nord\u00a0»" in message.body
    assert re.search(
        r"enregistrée le \d{1,2}(?:er)?\u00a0[a-zéû]+ \d{4} à \d{1,2}\u00a0h\u00a0\d{2}", mail.outbox[-1].body
    )
    found = {
        message.subject: faults
        for message in mail.outbox
        if (faults := text_typography_faults(f"{message.subject}\n{message.body}", times=True))
    }
    assert not found, "\n".join(f"{subject} : {faults}" for subject, faults in found.items())
