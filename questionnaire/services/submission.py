"""From a finished draft to exactly one AnnexResponse.

Two clicks, two tabs or a replayed request reach `submit_draft` for the same draft: the draft row is locked
(`select_for_update`, PostgreSQL), an existing response is returned as it is, and the database's OneToOne on
`AnnexResponse.draft` refuses a second row where locks do not exist (SQLite): the loser reads the winner's response.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from procurement.models import Lot, Market
from questionnaire.enums import HEADCOUNT_FIELDS, OFFICER_FIELDS, Commitment, ResponseSource
from questionnaire.models import AnnexResponse, Attachment, Draft
from questionnaire.services.latest import refresh_latest
from questionnaire.services.responses import fill_identity

logger = logging.getLogger(__name__)

_RECEIPT_NUMBER_ATTEMPTS = 5


@dataclass(frozen=True)
class Submission:
    response: AnnexResponse
    created: bool


def _yes_no(value) -> bool | None:
    return {"oui": True, "non": False}.get(value)


def build_response(*, draft: Draft, answers: dict) -> AnnexResponse:
    """An unsaved response from the merged cleaned data of every step (also what the summary shows)."""
    market = draft.market or answers.get("market")
    lot = answers.get("lot")
    response = AnnexResponse(
        organisation_id=draft.organisation_id,
        market=market if isinstance(market, Market) else None,
        lot=lot if isinstance(lot, Lot) else None,
        form_version=draft.form_version,
        source=ResponseSource.STAFF if draft.entered_by_id else ResponseSource.ONLINE,
        entered_by_id=draft.entered_by_id,
        structure_name=answers.get("structure_name", ""),
        siret=answers.get("siret", ""),
        contact_email=answers.get("contact_email") or "",
        has_board=_yes_no(answers.get("has_board")),
        board_women_pct=answers.get("board_women_pct"),
        volunteers_women_pct=answers.get("volunteers_women_pct"),
        policy_text=answers.get("policy_text", ""),
        equality_index_status=answers.get("equality_index_status") or "",
        equality_index_score=answers.get("equality_index_score"),
        equality_index_year=answers.get("equality_index_year"),
    )
    record_register_facts(response, facts=draft.register_facts)
    for name in HEADCOUNT_FIELDS:
        setattr(response, name, answers.get(name) or 0)
    for name in OFFICER_FIELDS:
        setattr(response, name, answers.get(name) or "")
    for commitment in Commitment:
        setattr(response, f"commitment_{commitment}", answers.get(f"commitment_{commitment}") == "oui")
        setattr(response, f"commitment_{commitment}_detail", answers.get(f"commitment_{commitment}_detail", ""))
    return response


def record_register_facts(response: AnnexResponse, *, facts: dict | None) -> None:
    """What the company register said of the response's SIRET, when it was consulted for that SIRET."""
    facts = facts or {}
    if not response.siret or facts.get("siret") != response.siret:
        return
    response.register_name = (facts.get("name") or "")[:255]
    response.register_headcount_bracket = (facts.get("headcount_bracket") or "")[:2]
    response.register_naf = (facts.get("naf") or "")[:10]
    response.register_status = (facts.get("administrative_status") or "")[:1]
    checked_at = facts.get("checked_at")
    response.register_checked_at = datetime.datetime.fromisoformat(checked_at) if checked_at else None


def staff_total(response: AnnexResponse) -> int:
    """The generated column's value, for a response not yet saved."""
    return sum(getattr(response, name) or 0 for name in HEADCOUNT_FIELDS)


def submit_draft(*, draft: Draft, answers: dict) -> Submission:
    """Stores the draft's one response, or returns the one already stored."""
    for _attempt in range(_RECEIPT_NUMBER_ATTEMPTS):
        try:
            return _submit_once(draft_id=draft.pk, answers=answers)
        except IntegrityError:
            existing = AnnexResponse.objects.filter(draft_id=draft.pk).first()
            if existing is not None:
                return Submission(response=existing, created=False)
            # Otherwise the random receipt number met an existing one: draw again.
            logger.warning("Numéro d'accusé de réception déjà pris, nouveau tirage (brouillon %s)", draft.pk)
    raise RuntimeError("Impossible d'attribuer un numéro d'accusé de réception.")


@transaction.atomic
def _submit_once(*, draft_id: int, answers: dict) -> Submission:
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    existing = AnnexResponse.objects.filter(draft=draft).first()
    if existing is not None:
        return Submission(response=existing, created=False)
    now = timezone.now()
    response = build_response(draft=draft, answers=answers)
    response.draft = draft
    fill_identity(response, submitted_at=now)
    response.save()
    refresh_latest(organisation_id=response.organisation_id, structure_keys=[response.structure_key])
    Attachment.objects.filter(draft=draft, response__isnull=True).update(response=response)
    draft.submitted_at = now
    draft.save(update_fields=["submitted_at", "updated_at"])
    response.refresh_from_db()  # staff_total is computed by the database
    return Submission(response=response, created=True)
