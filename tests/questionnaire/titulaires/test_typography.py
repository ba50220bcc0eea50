"""French typography of what a titulaire receives: the reminder e-mail (subject and body), the letter (the HTML of
its PDF) and the page that stops reminders by e-mail. A space before « : », « ; », « ? », « ! », « » » and after
« « » is a no-break space, also in the market's title typed by its buyer; « 1er » is in superscript in HTML."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from procurement.enums import Article
from procurement.models import Market, MarketHolder
from questionnaire.titulaires import exports, services
from tests.procurement.awards.factories import B
from tests.utils import text_typography_faults, typography_faults

pytestmark = pytest.mark.django_db

FIRST_OF_JANUARY = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)


def _remind(buyer, buyer_account, capture_on_commit, *, names: bool = False):
    market = Market.objects.get(organisation=buyer, holders__siren=B[0])
    market.title = "Lot 2 : voirie ; réseaux"  # typed by the buyer, with ordinary spaces
    market.notified_on = datetime.date(2025, 3, 1)
    market.save()
    if names:  # as registers and buyers write them, with ordinary spaces around their signs
        MarketHolder.objects.filter(siren=B[0]).update(name="Société « Les Bâtisseurs » : travaux")
        buyer.name, buyer.article = "Syndicat « Eau : Nord »", Article.LE
        buyer.save()
        buyer_account.first_name = "Anne « Nanou »"
        buyer_account.save()
    with capture_on_commit(execute=True):
        return services.send_reminder(
            organisation=buyer,
            siren=B[0],
            market=market,
            email="contact@beta.example",
            sent_by=buyer_account,
            now=FIRST_OF_JANUARY,
        )


@pytest.fixture
def reminder(buyer, buyer_account, django_capture_on_commit_callbacks):
    return _remind(buyer, buyer_account, django_capture_on_commit_callbacks)


@pytest.fixture
def named_reminder(buyer, buyer_account, django_capture_on_commit_callbacks):
    """Company, buyer and contact named with « : » and « »: what the e-mail and the letter insert."""
    return _remind(buyer, buyer_account, django_capture_on_commit_callbacks, names=True)


def test_the_reminder_email_keeps_its_signs_on_their_line(named_reminder):
    (message,) = mail.outbox
    print(f"--- {message.subject}\n{message.body}")

    assert "«\u00a0Lot 2\u00a0: voirie\u00a0; réseaux\u00a0»" in message.body
    assert "Société «\u00a0Les Bâtisseurs\u00a0»\u00a0: travaux" in message.body
    assert "notifié le 1er\u00a0mars 2025" in message.body
    assert not text_typography_faults(f"{message.subject}\n{message.body}", times=True)


def test_the_letter_keeps_its_signs_on_their_line(named_reminder):
    letter = exports.letter_html(services.letter_context(reminder=named_reminder))

    assert not typography_faults(letter, times=True)
    assert "Le 1<sup>er</sup>\u00a0janvier 2026" in letter
    assert "notifié le 1<sup>er</sup>\u00a0mars 2025" in letter


def test_the_refusal_page_keeps_its_signs_on_their_line(client, reminder):
    url = reverse("questionnaire:reminder_opt_out", kwargs={"signature": services.opt_out_token(reminder)})
    pages = {"refus": client.get(url).content.decode(), "refus confirmé": client.post(url).content.decode()}

    found = {name: faults for name, page in pages.items() if (faults := typography_faults(page))}
    assert not found, "\n".join(f"{name} : {faults}" for name, faults in found.items())
    assert "le 1<sup>er</sup>\u00a0janvier 2026" in pages["refus"]
