"""Abuse limits: per-IP limits on drafts and submissions (429, French page), honeypot, no stack trace."""

from django.urls import reverse

from questionnaire.forms import HONEYPOT_FIELD
from questionnaire.models import AnnexResponse, Draft
from questionnaire.wizard import STEP_GOVERNANCE, STEP_HEADCOUNT, STEP_STRUCTURE, STEP_SUMMARY
from tests.questionnaire.conftest import fill_all, post_step, valid_steps
from tests.utils import text_of


def test_too_many_step_saves_from_one_address_get_a_french_429(client, draft, settings):
    settings.ANNEX_RATE_LIMITS = {**settings.ANNEX_RATE_LIMITS, "draft": (3, 3600)}
    data = valid_steps()[STEP_STRUCTURE]

    statuses = [post_step(client, draft, STEP_STRUCTURE, data).status_code for _ in range(3)]
    blocked = post_step(client, draft, STEP_STRUCTURE, {**data, "structure_name": "Quatrième envoi"})

    assert statuses == [302, 302, 302]
    assert blocked.status_code == 429
    assert "Trop de demandes" in text_of(blocked)
    assert "patientez environ" in text_of(blocked)
    assert int(blocked["Retry-After"]) > 0
    draft.refresh_from_db()
    assert draft.data[STEP_STRUCTURE]["structure_name"] == data["structure_name"]


def test_another_address_is_not_blocked(client, draft, settings):
    settings.ANNEX_RATE_LIMITS = {**settings.ANNEX_RATE_LIMITS, "draft": (1, 3600)}
    data = valid_steps()[STEP_STRUCTURE]

    post_step(client, draft, STEP_STRUCTURE, data, REMOTE_ADDR="10.0.0.1")
    blocked = post_step(client, draft, STEP_STRUCTURE, data, REMOTE_ADDR="10.0.0.1")
    other = post_step(client, draft, STEP_STRUCTURE, data, REMOTE_ADDR="10.0.0.2")

    assert (blocked.status_code, other.status_code) == (429, 302)


def test_new_drafts_are_rate_limited(client, market, settings):
    settings.ANNEX_RATE_LIMITS = {**settings.ANNEX_RATE_LIMITS, "draft": (2, 3600)}
    url = reverse("questionnaire:market_entry", args=[market.candidate_token])

    statuses = [client.post(url).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert Draft.objects.count() == 2


def test_submissions_are_rate_limited(client, draft, settings):
    fill_all(client, draft, until=STEP_SUMMARY)
    settings.ANNEX_RATE_LIMITS = {**settings.ANNEX_RATE_LIMITS, "submit": (0, 3600)}

    response = post_step(client, draft, STEP_SUMMARY, {})

    assert response.status_code == 429
    assert AnnexResponse.objects.count() == 0


def test_default_limits_let_a_person_fill_the_form_many_times(client, market):
    """Generous limits: 20 complete questionnaires in a row from one address pass."""
    for _ in range(20):
        client.post(reverse("questionnaire:market_entry", args=[market.candidate_token]))
        fill_all(client, Draft.objects.latest("pk"))

    assert AnnexResponse.objects.count() == 20


def test_filled_honeypot_on_a_step_stores_nothing_and_looks_fine(client, draft):
    data = {**valid_steps()[STEP_HEADCOUNT], HONEYPOT_FIELD: "http://spam.example"}

    response = post_step(client, draft, STEP_HEADCOUNT, data)

    assert response.status_code == 302
    assert response["Location"].endswith(f"/{STEP_GOVERNANCE}/")
    draft.refresh_from_db()
    assert draft.data == {}


def test_filled_honeypot_on_submit_stores_no_response(client, draft):
    fill_all(client, draft, until=STEP_SUMMARY)

    response = post_step(client, draft, STEP_SUMMARY, {HONEYPOT_FIELD: "spam"}, follow=True)

    assert AnnexResponse.objects.count() == 0
    assert "Votre envoi a bien été reçu." in text_of(response)


def test_honeypot_is_hidden_from_people(client, draft):
    page = text_of(client.get(reverse("questionnaire:wizard_step", args=[draft.resume_token, STEP_STRUCTURE])))

    assert 'class="annex-hp" aria-hidden="true"' in page
    assert f'name="{HONEYPOT_FIELD}"' in page
    assert 'tabindex="-1"' in page


def test_server_error_shows_no_stack_trace(client, draft, monkeypatch, settings):
    assert settings.DEBUG is False

    def explode(**kwargs):
        raise RuntimeError("secret interne")

    monkeypatch.setattr("questionnaire.wizard.draft_service.save_step_values", explode)
    client.raise_request_exception = False

    response = post_step(client, draft, STEP_STRUCTURE, valid_steps()[STEP_STRUCTURE])

    page = text_of(response)
    assert response.status_code == 500
    assert "Une erreur est survenue" in page
    assert "secret interne" not in page and "Traceback" not in page
