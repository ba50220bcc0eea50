"""Fixtures and helpers of the annex wizard tests: one valid answer per step, and a way to post a step."""

import pytest
from django.urls import reverse

from questionnaire.enums import Commitment
from questionnaire.models import Draft
from questionnaire.services.drafts import create_draft
from questionnaire.wizard import (
    STEP_ATTACHMENTS,
    STEP_COMMITMENTS,
    STEP_GOVERNANCE,
    STEP_HEADCOUNT,
    STEP_POLICY,
    STEP_STRUCTURE,
    STEP_SUMMARY,
)
from tests.questionnaire.factories import siret_with_luhn

SIRET = siret_with_luhn("7324567891234")


def valid_steps(*, siret: str = SIRET, staff: int = 60) -> dict[str, dict]:
    """A complete set of answers; `staff` spread over the grid (≥ 50: the index is asked)."""
    cadres_f = staff // 10
    return {
        STEP_STRUCTURE: {"structure_name": "Bâtiments du Hainaut", "siret": siret, "contact_email": "rh@batiments.fr"},
        STEP_HEADCOUNT: {
            "cadres_f": str(cadres_f),
            "cadres_h": str(staff // 5),
            "cadres_nb": "0",
            "cadres_nsp": "",
            "non_cadres_f": str(staff // 4),
            "non_cadres_h": str(staff - cadres_f - staff // 5 - staff // 4 - 1),
            "non_cadres_nb": "1",
            "non_cadres_nsp": "0",
        },
        STEP_GOVERNANCE: {
            "has_board": "oui",
            "board_women_pct": "37,5",
            "president": "F",
            "secretary": "H",
            "treasurer": "sans_objet",
            "volunteers_women_pct": "",
        },
        STEP_POLICY: {
            "policy_text": "Un accord égalité signé en 2023.",
            "equality_index_status": "score",
            "equality_index_score": "88",
            "equality_index_year": "2024",
        },
        STEP_COMMITMENTS: {
            **{f"commitment_{commitment}": "non" for commitment in Commitment},
            "commitment_agreements": "oui",
            "commitment_agreements_detail": "Accord d'entreprise sur l'égalité professionnelle.",
            "commitment_training": "oui",
            "commitment_training_detail": "Formation des managers aux biais.",
        },
        STEP_ATTACHMENTS: {},
        STEP_SUMMARY: {},
    }


def step_url(draft: Draft, step: str, *, staff: bool = False) -> str:
    name = "questionnaire:staff_wizard_step" if staff else "questionnaire:wizard_step"
    return reverse(name, kwargs={"token": draft.resume_token, "step": step})


def post_step(client, draft: Draft, step: str, data: dict, *, staff: bool = False, **extra):
    return client.post(step_url(draft, step, staff=staff), {"annexe-current_step": step, **data}, **extra)


def fill_all(client, draft: Draft, steps: dict | None = None, *, staff: bool = False, until: str | None = None):
    """Posts every step in order (stopping before `until`); returns the last response."""
    response = None
    for step, data in (steps or valid_steps()).items():
        if step == until:
            break
        response = post_step(client, draft, step, data, staff=staff)
        assert response.status_code == 302, f"{step}: {response.status_code}"
    return response


@pytest.fixture
def draft(market):
    return create_draft(organisation=market.organisation, market=market)
