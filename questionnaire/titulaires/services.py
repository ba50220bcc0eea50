"""Reminders to the titulaires that have not answered: the 30-day rule, the letter, the e-mail and its refusal.

A reminder is recorded whatever its channel (who, when, for which market). It goes by e-mail when an address is
known (a previous answer's, or typed by the buyer) and the company has not refused reminders by e-mail from this
buyer; otherwise the buyer prints or sends the letter. The e-mail leaves through Celery once the reminder is stored.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from procurement import links, spreadsheets
from procurement.models import Market, MarketHolder, Organisation
from procurement.selectors import market_is_open
from procurement.templatetags.french import long_date
from questionnaire.enums import ReminderChannel
from questionnaire.models import Reminder, ReminderOptOut
from questionnaire.titulaires import exports, selectors

logger = logging.getLogger(__name__)

# A company is reminded at most once in this many days by the same buyer, whatever the channel.
REMINDER_INTERVAL = datetime.timedelta(days=30)
OPT_OUT_SALT = "questionnaire.titulaires.reminder-opt-out"


class ReminderRefused(Exception):
    """Why a reminder was not recorded, in French, for the page."""


def _date(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return long_date(moment)


def annex_url(*, market: Market | None, organisation: Organisation, request=None) -> str:
    """The link the letter gives: the market's while it takes answers, else the buyer's generic link (a notified
    market's link is usually closed by its bid deadline; the answer counts by SIREN either way)."""
    if market is not None and market_is_open(market=market, now=timezone.now()):
        return links.market_candidate_url(market, request=request)
    return links.organisation_candidate_url(organisation, request=request)


@transaction.atomic
def send_reminder(
    *,
    organisation: Organisation,
    siren: str,
    market: Market,
    email: str,
    sent_by,
    now: datetime.datetime | None = None,
) -> Reminder:
    """Records a reminder of the titulaire `siren` for `market` and, when it may go by e-mail, sends it after the
    transaction. Refused (ReminderRefused) when the company is not a titulaire of this buyer's market, has
    already answered for the market's year, or was reminded in the last 30 days (the message gives that date)."""
    now = now or timezone.now()
    # One reminder at a time per buyer: two clicks in two tabs cannot both pass the 30-day check.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    holder = (
        MarketHolder.objects.titulaires()
        .current()
        .filter(market=market, market__organisation=organisation, siren=siren)
        .exclude(siren="")
        .first()
    )
    if holder is None:
        raise ReminderRefused("Cette entreprise n'est pas titulaire de ce marché.")
    recent = (
        Reminder.objects.filter(organisation=organisation, siren=siren, sent_at__gt=now - REMINDER_INTERVAL)
        .order_by("sent_at", "pk")
        .first()
    )
    if recent is not None:
        raise ReminderRefused(
            f"Cette entreprise a déjà été relancée le {_date(recent.sent_at)}\u00a0: une entreprise n'est relancée "
            f"qu'une fois par période de 30 jours (prochaine relance possible le "
            f"{_date(recent.sent_at + REMINDER_INTERVAL)})."
        )
    year = (market.notified_on or timezone.localdate(now)).year
    answer = selectors.latest_answer_by_siren([organisation.pk], *selectors.year_period(year), sirens=[siren]).get(
        siren
    )
    if answer is not None:
        raise ReminderRefused(f"Cette entreprise a déjà répondu au questionnaire le {_date(answer.submitted_on)}.")
    email = (email or "").strip()
    by_email = bool(email) and not selectors.has_opted_out(organisation=organisation, siren=siren)
    reminder = Reminder.objects.create(
        organisation=organisation,
        siren=siren,
        company_name=selectors.company_name(organisation=organisation, siren=siren) or holder.name,
        market=market,
        channel=ReminderChannel.EMAIL if by_email else ReminderChannel.LETTER,
        email=email if by_email else "",
        sent_at=now,
        sent_by=sent_by,
    )
    if by_email:
        transaction.on_commit(lambda: _queue_email(reminder.pk))
    return reminder


def _queue_email(reminder_id: int) -> None:
    """Queues the e-mail; without a reachable broker, sends it here (as the annex's receipts)."""
    from questionnaire.titulaires.tasks import send_reminder_email

    try:
        send_reminder_email.delay(reminder_id)
    except Exception:
        logger.warning("File d'attente indisponible : relance %s envoyée directement", reminder_id, exc_info=True)
        send_reminder_email(reminder_id)


def letter_context(*, reminder: Reminder, request=None) -> exports.LetterContext:
    market = reminder.market
    sender = reminder.sent_by
    return exports.LetterContext(
        organisation_name=reminder.organisation.name,
        organisation_subject=reminder.organisation.name_subject,
        organisation_of=reminder.organisation.name_of,
        company_name=reminder.company_name,
        siren=reminder.siren,
        market_reference=market.reference if market else "",
        market_title=market.title if market else "",
        notified_on=market.notified_on if market else None,
        annex_url=annex_url(market=market, organisation=reminder.organisation, request=request),
        contact_name=sender.get_full_name() if sender else "",
        contact_email=sender.email if sender else settings.DEFAULT_FROM_EMAIL,
        written_on=timezone.localtime(reminder.sent_at).date(),
    )


# --- Refusing further reminders by e-mail ------------------------------------------------------------------------


def opt_out_token(reminder: Reminder) -> str:
    """Signed (reminder, buyer, SIREN): the link names one company for one buyer, nothing anyone typed."""
    return signing.dumps([reminder.pk, reminder.organisation_id, reminder.siren], salt=OPT_OUT_SALT)


def opt_out_url(reminder: Reminder) -> str:
    path = reverse("questionnaire:reminder_opt_out", kwargs={"signature": opt_out_token(reminder)})
    return links.absolute_url(path)


def reminder_of_opt_out_token(token: str) -> Reminder | None:
    """The reminder whose e-mail carried the link; None when the link is forged or its reminder is gone."""
    try:
        reminder_id, organisation_id, siren = signing.loads(token, salt=OPT_OUT_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(reminder_id, int):
        return None
    return (
        Reminder.objects.select_related("organisation")
        .filter(pk=reminder_id, organisation_id=organisation_id, siren=siren)
        .first()
    )


@transaction.atomic
def refuse_reminders(*, reminder: Reminder) -> ReminderOptOut:
    """Records that the company refuses further reminders by e-mail from this buyer (once; later clicks keep the
    first date)."""
    opt_out, _created = ReminderOptOut.objects.get_or_create(
        organisation=reminder.organisation, siren=reminder.siren, defaults={"email": reminder.email}
    )
    return opt_out


# --- The e-mail --------------------------------------------------------------------------------------------------


def deliver_reminder_email(*, reminder: Reminder) -> bool:
    """Sends the reminder by e-mail with the letter as PDF; False (and the reason recorded) when it cannot go:
    no address, the company refused reminders by e-mail since, already sent, or the server failed."""
    if reminder.channel != ReminderChannel.EMAIL or not reminder.email or reminder.email_sent_at is not None:
        return False
    if selectors.has_opted_out(organisation=reminder.organisation, siren=reminder.siren):
        Reminder.objects.filter(pk=reminder.pk).update(email_error="Relances par courriel refusées par l'entreprise")
        return False
    context = letter_context(reminder=reminder)
    message = EmailMessage(
        subject=exports.letter_subject(context),
        body=render_to_string(
            "questionnaire/titulaires/emails/reminder.txt",
            {
                "letter": context,
                "paragraphs": exports.letter_paragraphs(context),
                "closing": exports.letter_closing(context),
                "opt_out_url": opt_out_url(reminder),
                "platform_name": settings.PLATFORM_NAME,
            },
        ),
        to=[reminder.email],
        reply_to=[context.contact_email],
    )
    message.attach(f"relance-{reminder.siren}.pdf", exports.letter_pdf(context), spreadsheets.PDF)
    try:
        message.send()
    except Exception:
        logger.exception("Envoi de la relance %s impossible", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(email_error="Le serveur de messagerie a refusé l'envoi")
        return False
    Reminder.objects.filter(pk=reminder.pk).update(email_sent_at=timezone.now(), email_error="")
    return True
