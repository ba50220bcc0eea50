"""Reminders to titulaires (questionnaire.titulaires.services): the 30-day rule, the e-mail, the refusal link,
the letter."""

import dataclasses
import datetime
import importlib
import io
import re
import subprocess

import docx
import pytest
import weasyprint
from django.apps import apps
from django.core import mail
from django.urls import reverse

from procurement.enums import Role
from procurement.models import Market
from questionnaire.enums import ReminderChannel
from questionnaire.models import Reminder, ReminderOptOut
from questionnaire.titulaires import exports, services
from tests.procurement.awards.factories import A, B, D, E
from tests.procurement.factories import OrganisationFactory
from tests.utils import text_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)
# B's SIREN as the letter writes it: INSEE's groups of digits, no-break spaces between them.
GROUPED_B = f"{B[0][:3]}\u00a0{B[0][3:6]}\u00a0{B[0][6:]}"


def market_of(buyer, siren):
    return Market.objects.get(organisation=buyer, holders__siren=siren, holders__is_current=True)


@pytest.fixture
def market_of_b(buyer):
    return Market.objects.get(organisation=buyer, holders__siren=B[0])


def remind(buyer, market, *, siren=B[0], email="", user=None, now=NOW):
    return services.send_reminder(organisation=buyer, siren=siren, market=market, email=email, sent_by=user, now=now)


def test_a_second_reminder_within_30_days_is_refused_with_the_date_of_the_first(buyer, market_of_b, buyer_account):
    first = remind(buyer, market_of_b, user=buyer_account)
    remind_ok = remind(buyer, market_of_b, siren=D[0], user=buyer_account)  # another company: not concerned

    with pytest.raises(services.ReminderRefused, match="déjà été relancée le 10\u00a0janvier 2026") as refused:
        remind(buyer, market_of_b, now=NOW + datetime.timedelta(days=29, hours=23))
    assert "9\u00a0février 2026" in str(refused.value)
    later = remind(buyer, market_of_b, now=NOW + datetime.timedelta(days=30, minutes=1))

    assert list(Reminder.objects.filter(siren=B[0]).order_by("sent_at")) == [first, later]
    assert (first.channel, first.sent_by, first.market) == (ReminderChannel.LETTER, buyer_account, market_of_b)
    assert remind_ok.siren == D[0]


def test_the_30_day_rule_is_per_buyer(buyer, market_of_b):
    remind(buyer, market_of_b)
    other = OrganisationFactory()
    Reminder.objects.create(organisation=other, siren=A[0], company_name="x", channel="letter", sent_at=NOW)

    assert remind(buyer, market_of(buyer, A[0]), siren=A[0]).pk


def test_a_company_that_answered_or_is_not_titulaire_is_not_reminded(buyer, answer_of_a, market_of_b):
    with pytest.raises(services.ReminderRefused, match="déjà répondu au questionnaire le 2\u00a0avril 2025"):
        remind(buyer, market_of(buyer, A[0]), siren=A[0])
    # A was replaced by F on 2025-003 by a modification: no longer its titulaire.
    with pytest.raises(services.ReminderRefused, match="pas titulaire de ce marché"):
        remind(buyer, Market.objects.get(organisation=buyer, reference="2025-003"), siren=A[0])
    # E is a declared subcontractor of 2025-002, not a titulaire.
    with pytest.raises(services.ReminderRefused, match="pas titulaire de ce marché"):
        remind(buyer, market_of_b, siren=E[0])
    assert not Reminder.objects.exists()


def test_the_reminder_email_carries_the_letter_the_buyers_contact_and_a_refusal_link(
    buyer, market_of_b, buyer_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = remind(buyer, market_of_b, email="contact@beta.example", user=buyer_account)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contact@beta.example"]
    assert message.reply_to == [buyer_account.email]
    assert message.subject == f"Questionnaire égalité femmes-hommes — marché {market_of_b.reference}"
    assert f"Camille Durand, {buyer_account.email} (Ville de Test)" in message.body
    assert f"SIREN\u00a0{GROUPED_B}" in message.body
    # A market made from the DECP has no bid deadline: its own link, still open.
    assert f"/annexe/{market_of_b.candidate_token}/" in message.body
    signature = re.search(r"/annexe/relances/refuser/([^/\s]+)/", message.body).group(1)
    assert services.reminder_of_opt_out_token(signature) == reminder
    (name, content, content_type), *_ = message.attachments
    assert (name, content_type) == (f"relance-{B[0]}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    reminder.refresh_from_db()
    assert reminder.channel == ReminderChannel.EMAIL and reminder.email_sent_at is not None


def test_the_refusal_is_confirmed_on_a_public_page_and_honoured(
    client, buyer, market_of_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = remind(buyer, market_of_b, email="contact@beta.example")
    url = reverse("questionnaire:reminder_opt_out", kwargs={"signature": services.opt_out_token(reminder)})

    # Following the link (a mail scanner does) refuses nothing: the page asks.
    page = client.get(url)
    assert page.status_code == 200 and not ReminderOptOut.objects.exists()
    assert "Confirmez pour ne plus recevoir ces relances par courriel" in text_of(page)
    # B has no known name: « votre entreprise », not « a relancé  (SIREN …) ».
    assert "a relancé votre entreprise (SIREN\u00a0" in text_of(page)
    confirmed = client.post(url)
    assert "n'enverra plus de relance par courriel à votre entreprise (SIREN\u00a0" in text_of(confirmed)
    assert ReminderOptOut.objects.get().siren == B[0]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        later = remind(buyer, market_of_b, email="contact@beta.example", now=NOW + datetime.timedelta(days=31))
    assert mail.outbox == []
    assert (later.channel, later.email) == (ReminderChannel.LETTER, "")


def test_a_refusal_between_the_click_and_the_sending_is_honoured(buyer, market_of_b):
    reminder = remind(buyer, market_of_b, email="contact@beta.example")  # on_commit not run: not sent yet
    services.refuse_reminders(reminder=reminder)

    assert services.deliver_reminder_email(reminder=reminder) is False
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.email_sent_at is None and "refusées" in reminder.email_error


def test_a_forged_refusal_link_answers_404(client):
    assert client.get(reverse("questionnaire:reminder_opt_out", kwargs={"signature": "abc:def"})).status_code == 404


def letter_of(reminder):
    return services.letter_context(reminder=reminder)


def test_the_letter_docx_opens_with_python_docx_and_carries_the_name_the_market_and_the_link(
    buyer, market_of_b, buyer_account
):
    reminder = remind(buyer, market_of_b, user=buyer_account)

    document = docx.Document(io.BytesIO(exports.letter_docx(letter_of(reminder))))

    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert f"Votre entreprise (SIREN\u00a0{GROUPED_B}) est titulaire du marché" in text
    assert market_of_b.reference in text
    assert f"/annexe/{market_of_b.candidate_token}/" in text
    assert buyer_account.email in text
    assert len(document.inline_shapes) == 1  # the QR code


def test_the_letter_is_addressed_to_the_companys_management_its_siren_on_its_own_line(buyer, market_of_b, tmp_path):
    """Without a known name, the letter is addressed to the company's management, not « à SIREN 123456789 »."""
    reminder = remind(buyer, market_of_b)
    document = docx.Document(io.BytesIO(exports.letter_docx(letter_of(reminder))))
    lines = [paragraph.text for paragraph in document.paragraphs]
    pdf = tmp_path / "lettre.pdf"
    pdf.write_bytes(exports.letter_pdf(letter_of(reminder)))
    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()

    assert lines[1:3] == ["À l'attention de la direction de l'entreprise", f"SIREN\u00a0{GROUPED_B}"]
    pdf_lines = [" ".join(line.split()) for line in extracted.splitlines()]  # any space as one ordinary space
    assert pdf_lines[1:3] == ["À l'attention de la direction de l'entreprise", " ".join(["SIREN", *GROUPED_B.split()])]
    assert "attention de SIREN" not in extracted + "\n".join(lines)

    # A known name comes between them, its signs kept on their line.
    Reminder.objects.filter(pk=reminder.pk).update(company_name="Société « Les Bâtisseurs »")
    reminder.refresh_from_db()
    named = docx.Document(io.BytesIO(exports.letter_docx(letter_of(reminder))))
    assert [paragraph.text for paragraph in named.paragraphs][1:4] == [
        "À l'attention de la direction de l'entreprise",
        "Société «\u00a0Les Bâtisseurs\u00a0»",
        f"SIREN\u00a0{GROUPED_B}",
    ]


def test_the_letter_pdf_carries_the_same_text(buyer, market_of_b, tmp_path):
    reminder = remind(buyer, market_of_b)
    pdf = tmp_path / "lettre.pdf"
    pdf.write_bytes(exports.letter_pdf(letter_of(reminder)))

    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()

    assert market_of_b.reference in extracted
    # The link may break across two lines, also after one of the token's hyphens, which pdftotext then drops as if
    # it hyphenated a word: each « - » of the token is optional in what it extracts.
    token = "-?".join(re.escape(part) for part in market_of_b.candidate_token.split("-"))
    assert re.search(f"annexe/{token}/", extracted.replace("\n", ""))


def test_the_letter_pdf_shows_the_qr_code_below_the_sentence_that_says_so(buyer, market_of_b):
    """The sentence ends « ou en scannant le QR code ci-dessous. », as in the DOCX, where the code is the next
    paragraph; the PDF drew it to the left of the sentence."""
    letter = letter_of(remind(buyer, market_of_b))
    assert exports.online_sentence(letter)[1].endswith("ci-dessous.")
    page = weasyprint.HTML(string=exports.letter_html(letter)).render().pages[0]._page_box

    boxes = list(page.descendants())
    image = next(box for box in boxes if type(box).__name__.endswith("ReplacedBox"))
    sentence = [box for box in boxes if type(box).__name__ == "TextBox" and "dessous." in box.text][-1]

    assert image.position_y >= sentence.position_y + sentence.height


def test_a_closed_market_link_gives_way_to_the_buyers_generic_link(buyer, market_of_b):
    market_of_b.bid_deadline = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    market_of_b.save()
    reminder = remind(buyer, market_of_b)

    assert letter_of(reminder).annex_url.endswith(f"/annexe/organisation/{buyer.slug}/")


def test_the_letter_downloads_are_the_buyers_only(client, client_with_role, buyer, market_of_b, buyer_account):
    reminder = remind(buyer, market_of_b)
    client.force_login(buyer_account)
    for letter_format, start in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = client.get(reverse("titulaires:reminder_letter", args=[reminder.pk, letter_format]))
        assert response.status_code == 200 and response.content.startswith(start)
    assert client.get(reverse("titulaires:reminder_letter", args=[reminder.pk, "odt"])).status_code == 404
    # An administrator of another organisation (the root `organisation`, not the buyer).
    other_admin = client_with_role(Role.ADMIN)
    assert other_admin.get(reverse("titulaires:reminder_letter", args=[reminder.pk, "pdf"])).status_code == 404


def test_a_company_without_a_known_name_keeps_a_blank_name_not_its_siren(buyer, market_of_b):
    reminder = remind(buyer, market_of_b)

    assert reminder.company_name == ""
    assert reminder.company_label == f"SIREN\u00a0{GROUPED_B}"
    assert str(reminder) == f"SIREN\u00a0{GROUPED_B} (10/01/2026)"


def test_the_migration_blanks_the_siren_written_in_place_of_a_name_and_only_it(buyer, market_of_b):
    migration = importlib.import_module("questionnaire.migrations.0008_reminder_company_name_blank")
    placeholder = remind(buyer, market_of_b)
    named = remind(buyer, market_of_b, siren=D[0])
    Reminder.objects.filter(pk=placeholder.pk).update(company_name=f"SIREN {B[0]}")  # as recorded before
    Reminder.objects.filter(pk=named.pk).update(company_name=f"SIREN {B[0]} Services")  # a real name

    migration.blank_the_siren_placeholders(apps, schema_editor=None)

    placeholder.refresh_from_db()
    named.refresh_from_db()
    assert (placeholder.company_name, named.company_name) == ("", f"SIREN {B[0]} Services")


# A link too long for one line of the letter, whose token has hyphens where a line could break.
LONG_HOST = "https://egalite.commande-publique.agglomeration-de-valenciennes.example.fr"
HYPHENATED_TOKEN = "Ab3-x9Kq_Lm-Zt7-w2Rb-Xy8-Pq1-Nv4"


def test_the_letter_pdf_puts_the_link_on_its_own_lines_breaking_only_after_a_slash(buyer, market_of_b, tmp_path):
    """The PDF broke the link anywhere (« word-break: break-all »), after one of the token's hyphens too
    (« …/annexe/Ab3-x9Kq_Lm-Zt7-w2Rb-Xy8- » then « Pq1-Nv4/ »): a reader takes that hyphen for a word cut at the
    end of the line and types the link without it."""
    url = f"{LONG_HOST}/annexe/{HYPHENATED_TOKEN}/"
    letter = dataclasses.replace(letter_of(remind(buyer, market_of_b)), annex_url=url)
    pdf = tmp_path / "lettre.pdf"
    pdf.write_bytes(exports.letter_pdf(letter))

    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()

    lines = [line.strip() for line in extracted.splitlines()]
    assert [line for line in lines if HYPHENATED_TOKEN in line] == [f"{HYPHENATED_TOKEN}/"]
    start = lines.index("Vous pouvez répondre en ligne à l'adresse")
    assert lines[start + 1 : start + 4] == [
        f"{LONG_HOST}/annexe/",
        f"{HYPHENATED_TOKEN}/",
        "ou en scannant le QR code ci-dessous.",
    ]


def test_the_letter_docx_puts_the_link_on_its_own_lines_with_non_breaking_hyphens(buyer, market_of_b):
    url = f"{LONG_HOST}/annexe/{HYPHENATED_TOKEN}/"
    letter = dataclasses.replace(letter_of(remind(buyer, market_of_b)), annex_url=url)

    document = docx.Document(io.BytesIO(exports.letter_docx(letter)))

    texts = [paragraph.text for paragraph in document.paragraphs]
    start = texts.index("Vous pouvez répondre en ligne à l'adresse")
    # Cut after a « / » where the link would not fit a line: Word breaks such a line at any character.
    assert texts[start + 1 : start + 4] == [
        f"{LONG_HOST}/",
        f"annexe/{HYPHENATED_TOKEN}/",
        "ou en scannant le QR code ci-dessous.",
    ]
    link = document.paragraphs[start + 2]._p
    hyphens = link.xpath(".//w:noBreakHyphen")
    assert len(hyphens) == HYPHENATED_TOKEN.count("-")
    assert not [node.text for node in link.xpath(".//w:t") if "-" in node.text]
    assert {target._target for target in document.part.rels.values() if target.is_external} >= {url}


def test_the_link_is_cut_after_a_slash_only():
    assert exports.link_parts("http://127.0.0.1:8000/annexe/a-b/") == ["http://", "127.0.0.1:8000/", "annexe/", "a-b/"]
    assert exports.link_lines("http://h/annexe/abc/", width=12) == ["http://h/", "annexe/abc/"]
    # A part longer than a line has its own line rather than being cut.
    assert exports.link_lines("http://h/abcdefghijklmnop/x/", width=12) == ["http://h/", "abcdefghijklmnop/", "x/"]
