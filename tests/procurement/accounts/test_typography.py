"""The e-mails the platform sends to agents (an invitation, a new address to confirm, a password to reset) and the
messages of the members' pages keep their French signs on their line, as the candidates' e-mails do
(tests/questionnaire/test_candidate_typography.py): a no-break space before « : », « ; », « ? », « ! », « » »."""

from django.core import mail
from django.urls import reverse

from procurement.accounts.services import members as members_services
from procurement.enums import Role
from tests.procurement.factories import PASSWORD
from tests.utils import text_typography_faults, typography_faults


def test_the_invitation_e_mail_keeps_its_signs_on_their_line(organisation, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        members_services.invite(
            organisation=organisation, email="camille@ville.example", role=Role.BUYER, invited_by=admin
        )

    (message,) = mail.outbox
    assert not text_typography_faults(f"{message.subject}\n{message.body}")


def test_the_address_change_e_mail_keeps_its_signs_on_their_line(buyer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer_client.post(
            reverse("email_change"), {"new_email": "nouvelle@ville.example", "password": PASSWORD}, follow=True
        )

    (message,) = mail.outbox
    assert not text_typography_faults(f"{message.subject}\n{message.body}")
    # The message that says the link was sent, shown on the next page.
    assert not typography_faults(response.content.decode())


def test_the_password_reset_e_mail_keeps_its_signs_on_their_line(client, buyer):
    client.post(reverse("password_reset"), {"email": buyer.email})

    (message,) = mail.outbox
    assert not text_typography_faults(f"{message.subject}\n{message.body}")
