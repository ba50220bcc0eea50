"""Staff paper entry: the same wizard, for members of the organisation, marked as entered by staff."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from procurement.enums import Role
from questionnaire.enums import ResponseSource
from questionnaire.models import AnnexResponse, Draft
from questionnaire.services.drafts import create_draft
from questionnaire.wizard import STEP_HEADCOUNT, STEP_STRUCTURE
from tests.procurement.factories import MarketFactory, member
from tests.questionnaire.conftest import fill_all, post_step, step_url, valid_steps
from tests.utils import text_of


def _start(client, marche=None):
    return client.post(reverse("responses:staff_entry") + (f"?marche={marche}" if marche else ""))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER])
def test_members_with_an_allowed_role_open_a_staff_draft(client, organisation, role):
    user = member(organisation=organisation, role=role)
    client.force_login(user)

    response = _start(client)

    draft = Draft.objects.get()
    assert (draft.organisation, draft.entered_by, draft.market) == (organisation, user, None)
    assert response["Location"] == step_url(draft, STEP_STRUCTURE, staff=True)


def test_facilitators_may_not_enter_paper_forms(client_with_role):
    client = client_with_role(Role.FACILITATOR)

    assert client.get(reverse("responses:staff_entry")).status_code == 403
    assert _start(client).status_code == 403
    assert Draft.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("responses:staff_entry"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_market_of_the_query_string_is_kept(buyer_client, market):
    page = text_of(buyer_client.get(reverse("responses:staff_entry") + f"?marche={market.pk}"))
    _start(buyer_client, marche=market.pk)

    assert "Saisir une fiche papier" in page
    assert Draft.objects.get().market == market


def test_another_organisations_market_is_404(buyer_client, other_organisation):
    foreign = MarketFactory(organisation=other_organisation)

    assert buyer_client.get(reverse("responses:staff_entry") + f"?marche={foreign.pk}").status_code == 404


def test_paper_entry_stores_a_staff_response_without_email(buyer_client, buyer, market):
    _start(buyer_client, marche=market.pk)
    draft = Draft.objects.get()
    steps = valid_steps()
    steps[STEP_STRUCTURE].update(siret="", contact_email="")

    response = fill_all(buyer_client, draft, steps, staff=True)

    stored = AnnexResponse.objects.get()
    assert response["Location"] == reverse("questionnaire:staff_confirmation", args=[draft.resume_token])
    assert (stored.source, stored.entered_by, stored.market) == (ResponseSource.STAFF, buyer, market)
    assert stored.structure_key == "nom:batiments du hainaut"
    assert mail.outbox == []
    page = text_of(buyer_client.get(response["Location"]))
    assert stored.receipt_number in page
    assert "Saisir une autre fiche papier" in page


def test_staff_pages_say_who_enters_the_form(buyer_client, buyer):
    _start(buyer_client)

    page = text_of(buyer_client.get(step_url(Draft.objects.get(), STEP_HEADCOUNT, staff=True)))

    assert f"la réponse sera marquée comme saisie par {buyer.email}" in page
    assert "Reprendre plus tard" not in page


def test_a_bad_siret_is_still_checked_for_staff(buyer_client):
    _start(buyer_client)
    draft = Draft.objects.get()

    response = post_step(
        buyer_client, draft, STEP_STRUCTURE, {"structure_name": "X", "siret": "12345678901234"}, staff=True
    )

    assert "Ce SIRET n'est pas valide" in text_of(response)


def test_staff_draft_of_another_organisation_is_404(buyer_client, other_organisation):
    foreign_user = member(organisation=other_organisation, role=Role.BUYER)
    foreign = create_draft(organisation=other_organisation, entered_by=foreign_user)

    assert buyer_client.get(step_url(foreign, STEP_STRUCTURE, staff=True)).status_code == 404


def test_public_and_staff_drafts_do_not_mix(client, buyer_client, buyer, draft):
    staff_draft = create_draft(organisation=buyer.memberships.first().organisation, entered_by=buyer)

    assert client.get(step_url(staff_draft, STEP_STRUCTURE)).status_code == 404
    assert buyer_client.get(step_url(draft, STEP_STRUCTURE, staff=True)).status_code == 404


def test_staff_receipt_pdf(buyer_client, market):
    _start(buyer_client, marche=market.pk)
    draft = Draft.objects.get()
    fill_all(buyer_client, draft, staff=True)

    response = buyer_client.get(reverse("questionnaire:staff_receipt_pdf", args=[draft.resume_token]))

    assert response.content.startswith(b"%PDF-")


# A CSRF failure on a paper entry's step: kept for its organisation's paper-entry members only -------------------


@pytest.fixture
def staff_draft(organisation, market, buyer):
    return create_draft(organisation=organisation, market=market, entered_by=buyer)


def _expired_token_post(user, draft):
    """A POST without its CSRF cookie (as after an expired token), by `user` (None: nobody signed in)."""
    browser = Client(enforce_csrf_checks=True)
    if user is not None:
        browser.force_login(user)
    return post_step(browser, draft, STEP_HEADCOUNT, valid_steps()[STEP_HEADCOUNT], staff=True)


def test_csrf_failure_on_a_paper_entry_keeps_what_its_member_typed(staff_draft, buyer):
    response = _expired_token_post(buyer, staff_draft)

    assert response["Location"] == step_url(staff_draft, STEP_HEADCOUNT, staff=True)
    staff_draft.refresh_from_db()
    assert staff_draft.data[STEP_HEADCOUNT]["cadres_h"] == valid_steps()[STEP_HEADCOUNT]["cadres_h"]


@pytest.mark.parametrize("who", ["personne", "autre-organisation", "facilitateur"])
def test_csrf_failure_on_a_paper_entry_saves_nothing_for_anyone_else(
    staff_draft, organisation, other_organisation, who
):
    user = {
        "personne": None,
        "autre-organisation": member(organisation=other_organisation, role=Role.BUYER),
        "facilitateur": member(organisation=organisation, role=Role.FACILITATOR),
    }[who]

    response = _expired_token_post(user, staff_draft)

    assert response.status_code == 403
    staff_draft.refresh_from_db()
    assert staff_draft.data == {}
