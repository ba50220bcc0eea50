"""French typography of what a titulaire receives: the reminder e-mail (subject and body), the letter (the HTML of
its PDF) and the page that stops reminders by e-mail. A space before « : », « ; », « ? », « ! », « » » and after
« « » is a no-break space, also in the market's title typed by its buyer; « 1er » is in superscript in HTML."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from procurement.models import Market
from questionnaire.titulaires import exports, services
from tests.procurement.awards.factories import B
from tests.utils import text_typography_faults, typography_faults

pytestmark = pytest.mark.django_db

FIRST_OF_JANUARY = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def reminder(buyer, buyer_account, django_capture_on_commit_callbacks):
    market = Market.objects.get(organisation=buyer, holders__siren=B[0])
    market.title = "Lot 2 : voirie ; réseaux"  # typed by the buyer, with ordinary spaces
    market.notified_on = datetime.date(2025, 3, 1)
    market.save()
    with django_capture_on_commit_callbacks(execute=True):
        return services.send_reminder(
            organisation=buyer,
            siren=B[0],
            market=market,
            email="contact@beta.example",
            sent_by=buyer_account,
            now=FIRST_OF_JANUARY,
        )


def test_the_reminder_email_keeps_its_signs_on_their_line(reminder):
    (message,) = mail.outbox
    print(f"--- {message.subject}\n{message.body}")

    assert "«\u00a0Lot 2\u00a0: voirie\u00a0; réseaux\u00a0»" in message.body
    assert not text_typography_faults(f"{message.subject}\n{message.body}")


def test_the_letter_and_the_refusal_page_keep_their_signs_on_their_line(client, reminder):
    url = reverse("questionnaire:reminder_opt_out", kwargs={"signature": services.opt_out_token(reminder)})
    pages = {
        "lettre": exports.letter_html(services.letter_context(reminder=reminder)),
        "refus": client.get(url).content.decode(),
        "refus confirmé": client.post(url).content.decode(),
    }

    found = {name: faults for name, page in pages.items() if (faults := typography_faults(page))}
    assert not found, "\n".join(f"{name} : {faults}" for name, faults in found.items())
    assert "Le 1<sup>er</sup> janvier 2026" in pages["lettre"]
    assert "notifié le 1<sup>er</sup> mars 2025" in pages["lettre"]
    assert re.search("le 1(<sup>er</sup>|er)\u00a0janvier 2026", pages["refus"])
