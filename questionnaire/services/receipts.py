"""The receipt: every answer, on screen (summary), in a PDF (WeasyPrint) and, once the address is confirmed, by email.

It records a declaration; it is not a check of what was declared.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from procurement import documents, spreadsheets
from procurement.french import number
from procurement.models import Organisation
from questionnaire import selectors, texts
from questionnaire.enums import (
    EQUALITY_INDEX_MIN_STAFF,
    HEADCOUNT_CATEGORIES,
    HEADCOUNT_SCOPES,
    OFFICER_FIELDS,
    EqualityIndexStatus,
    OfficerGender,
)
from questionnaire.models import AnnexResponse
from questionnaire.services.submission import staff_total

logger = logging.getLogger(__name__)
_DISCLAIMER_TAIL = (
    "Il ne constitue pas un contrôle de leur exactitude. Répondre à ce questionnaire est facultatif et n'a aucune "
    "incidence sur la recevabilité de la candidature."
)
# In the PDF, above the answers it lists.
RECEIPT_DISCLAIMER = (
    "Cet accusé de réception atteste que les réponses ci-dessous ont été enregistrées telles que déclarées par la "
    f"structure. {_DISCLAIMER_TAIL}"
)
# On the confirmation page and in the e-mail, where the answers are not listed: they are in the PDF.
CONFIRMATION_DISCLAIMER = (
    "L'accusé de réception au format PDF reprend toutes les réponses et atteste qu'elles ont été enregistrées "
    f"telles que déclarées par la structure. {_DISCLAIMER_TAIL}"
)
NOT_ANSWERED = "Non renseigné"


@dataclass
class Section:
    step: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    grid: dict | None = None


def _pct(value) -> str:
    if value is None:
        return NOT_ANSWERED
    # « 37,5 % »: the number as French texts write it, a no-break space before the sign.
    return f"{number(value.normalize() if hasattr(value, 'normalize') else value)}\u00a0%"


def _yes_no(value: bool | None) -> str:
    return {True: "Oui", False: "Non"}.get(value, NOT_ANSWERED)


def headcount_grid(response: AnnexResponse) -> dict:
    rows = []
    for scope, label in HEADCOUNT_SCOPES.items():
        values = [getattr(response, f"{scope}_{category}") or 0 for category in HEADCOUNT_CATEGORIES]
        rows.append({"label": label, "values": values, "total": sum(values)})
    columns = [sum(row["values"][index] for row in rows) for index in range(len(HEADCOUNT_CATEGORIES))]
    return {
        "categories": HEADCOUNT_CATEGORIES,  # gender code -> label: the summary's narrow headers show the codes
        "rows": rows,
        "column_totals": columns,
        "total": sum(columns),
    }


def answer_sections(response: AnnexResponse, *, steps: dict[str, str], index_asked: bool) -> list[Section]:
    """The answers grouped like the questionnaire; `steps` maps a section key to the wizard's step name."""
    structure = Section(steps["structure"], "Structure")
    structure.rows = [
        ("Nom de la structure", response.structure_name or NOT_ANSWERED),
        ("SIRET", response.siret or NOT_ANSWERED),
        ("Adresse électronique", response.contact_email or NOT_ANSWERED),
    ]
    if response.market_id:
        structure.rows.append(("Marché", str(response.market)))
    if response.lot_id:
        structure.rows.append(("Lot", str(response.lot)))

    headcount = Section(steps["effectifs"], texts.HEADCOUNT_SECTION, grid=headcount_grid(response))

    governance = Section(steps["gouvernance"], "Gouvernance")
    governance.rows = [("Conseil d'administration", _yes_no(response.has_board))]
    if response.has_board:
        governance.rows.append(("Part de femmes dans le conseil d'administration", _pct(response.board_women_pct)))
    for name, label in OFFICER_FIELDS.items():
        value = getattr(response, name)
        governance.rows.append((label, OfficerGender(value).label if value else NOT_ANSWERED))
    governance.rows.append(("Part des femmes parmi les bénévoles", _pct(response.volunteers_women_pct)))

    policy = Section(steps["politique"], texts.POLICY_SECTION)
    policy.rows = [("Politique interne", response.policy_text or NOT_ANSWERED)]
    if index_asked:
        if response.equality_index_status == EqualityIndexStatus.SCORE:
            index = f"{response.equality_index_score} / 100"
            if response.equality_index_year:
                index += f" (publiée en {response.equality_index_year})"
        elif response.equality_index_status == EqualityIndexStatus.NOT_COMPUTABLE:
            index = "Non calculable"
        else:
            index = NOT_ANSWERED
        policy.rows.append((texts.INDEX_SECTION, index))

    commitments = Section(steps["engagements"], texts.COMMITMENTS_SECTION)
    for commitment, answered_yes, detail in response.commitments():
        commitments.rows.append((commitment.label, f"Oui\u00a0: {detail}" if answered_yes else "Non"))
    return [structure, headcount, governance, policy, commitments]


RECEIPT_SECTION_STEPS = {key: key for key in ("structure", "effectifs", "gouvernance", "politique", "engagements")}


def index_was_asked(response: AnnexResponse) -> bool:
    return staff_total(response) >= EQUALITY_INDEX_MIN_STAFF


def receipt_html(response: AnnexResponse) -> str:
    return render_to_string(
        "questionnaire/receipt_pdf.html",
        {
            "response": response,
            "title": texts.TITLE,
            "disclaimer": RECEIPT_DISCLAIMER,
            "platform_name": settings.PLATFORM_NAME,
            "logo_data_uri": documents.image_data_uri(documents.organisation_logo(response.organisation)),
            "sections": answer_sections(response, steps=RECEIPT_SECTION_STEPS, index_asked=index_was_asked(response)),
            "attachments": list(response.attachments.all()),
            **selectors.privacy_notice(organisation=response.organisation),
        },
    )


def receipt_pdf(response: AnnexResponse) -> bytes:
    """The PDF receipt (tagged: procurement.documents); a submitted response does not change, so it is rendered
    once and every download and email reads that rendering. It is keyed by its page: should the buyer's name,
    logo or privacy notice change, the next download shows the new ones."""
    html = receipt_html(response)
    return documents.rendered_once(
        kind="annex-receipt",
        inputs=[str(response.pk), response.receipt_number, documents.PDF_VARIANT, html],
        render=lambda: documents.html_to_pdf(html),
    )


def receipt_filename(response: AnnexResponse) -> str:
    return f"accuse-reception-{response.receipt_number}.pdf"


# The signed link of the address confirmation: whoever can read the mailbox may follow it, for 30 days.
ADDRESS_CONFIRMATION_SALT = "questionnaire.receipt.contact-email"
ADDRESS_CONFIRMATION_MAX_AGE = 30 * 24 * 60 * 60


def _address_digest(email: str) -> str:
    # The link names the address by a digest: signed data is only encoded, and links end up in server logs.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def address_confirmation_token(response: AnnexResponse) -> str:
    """Signed (response, address): a new address, or another response, needs another link."""
    return signing.dumps([response.pk, _address_digest(response.contact_email)], salt=ADDRESS_CONFIRMATION_SALT)


def address_confirmation_url(response: AnnexResponse) -> str:
    path = reverse("questionnaire:confirm_address", kwargs={"signature": address_confirmation_token(response)})
    return settings.PLATFORM_BASE_URL.rstrip("/") + path


def response_of_confirmation_token(token: str) -> AnnexResponse | None:
    """The response whose address the link confirms; None when the link is forged, expired or for another address."""
    try:
        payload = signing.loads(token, salt=ADDRESS_CONFIRMATION_SALT, max_age=ADDRESS_CONFIRMATION_MAX_AGE)
        response_id, digest = payload
    except (signing.BadSignature, ValueError, TypeError):
        return None
    response = (
        AnnexResponse.objects.select_related("organisation", "market", "draft").filter(pk=response_id).first()
        if isinstance(response_id, int)
        else None
    )
    if response is None or not response.contact_email or _address_digest(response.contact_email) != digest:
        return None
    return response


@transaction.atomic
def confirm_contact_email(*, response: AnnexResponse) -> bool:
    """Records that the address was confirmed; False when it already was (nothing more to send)."""
    updated = AnnexResponse.objects.filter(pk=response.pk, contact_email_confirmed_at__isnull=True).update(
        contact_email_confirmed_at=timezone.now()
    )
    response.refresh_from_db(fields=["contact_email_confirmed_at"])
    return bool(updated)


def _email_context(response: AnnexResponse) -> dict:
    """What the emails may quote: the platform's and the buyer's words, never what the candidate typed."""
    return {
        "receipt_number": response.receipt_number,
        "organisation": response.organisation,
        "market": response.market,
        "submitted_at": response.submitted_at,
        "platform_name": settings.PLATFORM_NAME,
    }


def send_receipt(*, response: AnnexResponse) -> bool:
    """Emails what the contact address may receive; False when there is no address or sending failed.

    Anyone may type any address, so an address not yet confirmed gets only a link to confirm it (no answer, nothing
    typed in the questionnaire); a confirmed address gets the PDF receipt with the answers. Neither email's subject
    or body quotes what was typed: only the PDF does.
    """
    if not response.contact_email:
        return False
    context = _email_context(response)
    if response.contact_email_confirmed_at is None:
        message = EmailMessage(
            subject=f"Confirmez votre adresse pour recevoir l'accusé de réception {response.receipt_number}",
            body=render_to_string(
                "questionnaire/emails/confirm_address.txt",
                {
                    **context,
                    "confirmation_url": address_confirmation_url(response),
                    "valid_days": ADDRESS_CONFIRMATION_MAX_AGE // (24 * 60 * 60),
                },
            ),
            to=[response.contact_email],
        )
    else:
        message = EmailMessage(
            subject=f"Accusé de réception de votre questionnaire égalité ({response.receipt_number})",
            body=render_to_string(
                "questionnaire/emails/receipt.txt", {**context, "disclaimer": CONFIRMATION_DISCLAIMER}
            ),
            to=[response.contact_email],
        )
        message.attach(receipt_filename(response), receipt_pdf(response), spreadsheets.PDF)
    try:
        message.send()
    except Exception:
        # The response is stored whatever happens to the email; the confirmation page offers a resend.
        logger.exception("Envoi de l'accusé de réception %s impossible", response.receipt_number)
        return False
    return True


def send_resume_link(*, email: str, resume_url: str, organisation: Organisation) -> bool:
    message = EmailMessage(
        subject="Votre lien pour reprendre le questionnaire égalité",
        body=render_to_string(
            "questionnaire/emails/resume_link.txt",
            {
                "resume_url": resume_url,
                "organisation": organisation,
                "draft_retention_days": settings.ANNEX_DRAFT_RETENTION_DAYS,
                "platform_name": settings.PLATFORM_NAME,
            },
        ),
        to=[email],
    )
    try:
        message.send()
    except Exception:
        logger.exception("Envoi du lien de reprise impossible")
        return False
    return True
