"""Each person's own account: their name, and a new e-mail address confirmed by a link sent to it.

The confirmation link signs the account, the current address and the new one: it works once (afterwards the
current address has changed) and for `EMAIL_CHANGE_VALID_DAYS`."""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from procurement import links
from procurement.accounts.services.members import MembersError, normalise_email
from procurement.models import User

logger = logging.getLogger(__name__)

EMAIL_CHANGE_VALID_DAYS = 2
EMAIL_CHANGE_SALT = "procurement.email-change"


class EmailChangeError(MembersError):
    pass


@transaction.atomic
def update_name(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user


def email_is_taken(*, email: str, user: User) -> bool:
    return User.objects.filter(email__iexact=normalise_email(email)).exclude(pk=user.pk).exists()


def email_change_url(*, user: User, new_email: str, request: HttpRequest | None = None) -> str:
    token = signing.dumps(
        {"user": user.pk, "from": user.email, "to": normalise_email(new_email)}, salt=EMAIL_CHANGE_SALT
    )
    return links.absolute_url(reverse("email_change_confirm", kwargs={"token": token}), request=request)


def request_email_change(*, user: User, new_email: str, request: HttpRequest | None = None) -> None:
    """Sends the confirmation link to the new address (after the commit); nothing changes until it is followed."""
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise EmailChangeError("C'est déjà l'adresse de votre compte\u00a0: saisissez la nouvelle adresse.")
    if email_is_taken(email=new_email, user=user):
        raise EmailChangeError("Cette adresse est déjà celle d'un autre compte\u00a0: saisissez-en une autre.")
    context = {
        "url": email_change_url(user=user, new_email=new_email, request=request),
        "valid_days": EMAIL_CHANGE_VALID_DAYS,
        "platform_name": settings.PLATFORM_NAME,
        "previous_email": user.email,
    }

    def send() -> None:
        try:
            send_mail(
                subject=f"Confirmez votre nouvelle adresse sur {settings.PLATFORM_NAME}",
                message=render_to_string("registration/email_change_email.txt", context),
                from_email=None,
                recipient_list=[new_email],
            )
        except Exception:
            logger.exception("Envoi de la confirmation d'adresse impossible")

    transaction.on_commit(send)


@transaction.atomic
def confirm_email_change(*, user: User, token: str) -> str:
    """Applies the new address the link stands for; EmailChangeError with the reason otherwise."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_VALID_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise EmailChangeError(
            "Ce lien a expiré\u00a0: demandez de nouveau le changement d'adresse depuis votre compte."
        ) from None
    except signing.BadSignature:
        raise EmailChangeError("Ce lien n'est pas valable\u00a0: vérifiez qu'il est complet.") from None
    if data.get("user") != user.pk:
        raise EmailChangeError(
            "Ce lien concerne un autre compte\u00a0: connectez-vous avec le compte qui l'a demandé."
        )
    if data.get("from") != user.email:
        raise EmailChangeError("Ce lien a déjà servi, ou votre adresse a changé depuis\u00a0: demandez-en un nouveau.")
    new_email = data["to"]
    if email_is_taken(email=new_email, user=user):
        raise EmailChangeError("Cette adresse est devenue celle d'un autre compte\u00a0: choisissez-en une autre.")
    user.email = new_email
    user.save(update_fields=["email"])
    return new_email
