"""A market past its bid deadline: its annex link answers the closed page and stores nothing; reopened, it works."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from procurement.enums import Role
from questionnaire.models import AnnexResponse, Draft
from questionnaire.wizard import STEP_HEADCOUNT, STEP_STRUCTURE, STEP_SUMMARY
from tests.procurement.factories import member
from tests.questionnaire.conftest import fill_all, post_step, step_url, valid_steps
from tests.utils import text_of

CLOSED = "La date limite de remise des offres est passée"


def close(market) -> None:
    market.bid_deadline = timezone.now() - datetime.timedelta(hours=1)
    market.save()


def entry_url(market) -> str:
    return reverse("questionnaire:market_entry", args=[market.candidate_token])


def test_entry_after_the_deadline_answers_the_closed_page_and_creates_no_draft(client, market):
    close(market)

    shown = client.get(entry_url(market))
    started = client.post(entry_url(market))

    assert shown.status_code == 410
    assert started.status_code == 410
    page = text_of(shown)
    assert CLOSED in page
    assert "rien n'a été enregistré" in page
    assert market.reference in page
    assert "Commencer le questionnaire" not in page
    assert "Se connecter" not in page  # a candidate's page offers no way into the staff side
    assert not Draft.objects.exists()


def test_entry_before_the_deadline_works(client, market):
    market.bid_deadline = timezone.now() + datetime.timedelta(days=3)
    market.save()

    assert client.get(entry_url(market)).status_code == 200
    assert client.post(entry_url(market)).status_code == 302
    assert Draft.objects.filter(market=market).count() == 1


def test_a_step_of_a_draft_begun_before_the_deadline_stores_nothing_after_it(client, market, draft):
    post_step(client, draft, STEP_STRUCTURE, valid_steps()[STEP_STRUCTURE])
    draft.refresh_from_db()
    saved_before = dict(draft.data)
    close(market)

    shown = client.get(step_url(draft, STEP_HEADCOUNT))
    posted = post_step(client, draft, STEP_HEADCOUNT, valid_steps()[STEP_HEADCOUNT])
    resumed = client.get(reverse("questionnaire:resume", args=[draft.resume_token]), follow=True)

    assert shown.status_code == posted.status_code == 410
    assert CLOSED in text_of(posted)
    assert resumed.status_code == 410
    draft.refresh_from_db()
    assert draft.data == saved_before
    assert STEP_HEADCOUNT not in draft.data


def test_the_summary_of_a_complete_draft_submits_nothing_after_the_deadline(client, market, draft):
    fill_all(client, draft, until=STEP_SUMMARY)
    close(market)

    response = post_step(client, draft, STEP_SUMMARY, {})

    assert response.status_code == 410
    assert not AnnexResponse.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_an_expired_session_rescue_saves_nothing_after_the_deadline(market, draft):
    close(market)
    browser = Client(enforce_csrf_checks=True)  # no CSRF cookie: the rescue path of csrf_failure

    response = post_step(browser, draft, STEP_HEADCOUNT, valid_steps()[STEP_HEADCOUNT])

    assert response.status_code == 410
    draft.refresh_from_db()
    assert draft.data == {}


def test_reopened_by_staff_the_link_works_again(client, organisation, market):
    close(market)
    staff = Client()
    buyer = member(organisation=organisation, role=Role.BUYER)
    staff.force_login(buyer)

    reopened = staff.post(reverse("procurement:market_reopen_annex", args=[market.pk]))

    assert reopened.status_code == 302
    market.refresh_from_db()
    assert market.annex_reopened_by == buyer
    assert market.annex_reopened_at is not None
    assert client.get(entry_url(market)).status_code == 200
    started = client.post(entry_url(market))
    assert started.status_code == 302
    draft = Draft.objects.get(market=market)
    assert post_step(client, draft, STEP_STRUCTURE, valid_steps()[STEP_STRUCTURE]).status_code == 302
    draft.refresh_from_db()
    assert STEP_STRUCTURE in draft.data


@pytest.mark.parametrize("role", [Role.EQUALITY_OFFICER, Role.FACILITATOR])
def test_only_market_editors_may_reopen(client_with_role, market, role):
    close(market)
    staff = client_with_role(role)

    response = staff.post(reverse("procurement:market_reopen_annex", args=[market.pk]))

    assert response.status_code == 403
    market.refresh_from_db()
    assert market.annex_reopened_at is None


def test_a_paper_entry_by_staff_is_not_bound_by_the_deadline(client_with_role, market):
    close(market)
    staff = client_with_role(Role.EQUALITY_OFFICER)

    response = staff.post(reverse("responses:staff_entry") + f"?marche={market.pk}")

    assert response.status_code == 302
    assert Draft.objects.filter(market=market, entered_by__isnull=False).count() == 1
