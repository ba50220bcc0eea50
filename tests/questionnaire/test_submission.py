"""Two clicks, two tabs, a replayed request: one draft, one response, the same receipt."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from questionnaire.models import AnnexResponse, Attachment
from questionnaire.services.drafts import create_draft
from questionnaire.services.responses import fill_identity
from questionnaire.services.submission import submit_draft
from questionnaire.wizard import STEP_SUMMARY
from tests.procurement.factories import MarketFactory
from tests.questionnaire.conftest import SIRET, fill_all, post_step
from tests.utils import text_of


def test_replayed_submit_stores_one_response_and_shows_the_same_receipt(client, draft):
    first = fill_all(client, draft)
    receipt = AnnexResponse.objects.get().receipt_number

    replay = post_step(client, draft, STEP_SUMMARY, {}, follow=True)

    assert AnnexResponse.objects.count() == 1
    assert replay.redirect_chain[-1][0] == first["Location"]
    assert receipt in text_of(replay)


def test_submit_from_a_second_tab_after_the_first_one_stores_nothing_more(client, draft):
    fill_all(client, draft, until=STEP_SUMMARY)
    second_tab = Client()

    post_step(client, draft, STEP_SUMMARY, {})
    response = post_step(second_tab, draft, STEP_SUMMARY, {}, follow=True)

    assert AnnexResponse.objects.count() == 1
    assert AnnexResponse.objects.get().receipt_number in text_of(response)


def test_service_called_twice_returns_the_existing_response(draft):
    answers = {"structure_name": "Atelier", "siret": "", "has_board": "non"}

    first = submit_draft(draft=draft, answers=answers)
    second = submit_draft(draft=draft, answers={**answers, "structure_name": "Autre nom"})

    assert first.created and not second.created
    assert second.response.pk == first.response.pk
    assert AnnexResponse.objects.get().structure_name == "Atelier"


def test_database_refuses_a_second_response_for_one_draft(draft):
    submit_draft(draft=draft, answers={"structure_name": "Atelier"})
    duplicate = AnnexResponse(organisation=draft.organisation, draft=draft, structure_name="Doublon")
    fill_identity(duplicate)

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_attachments_follow_the_response(draft):
    attachment = Attachment.objects.create(
        organisation=draft.organisation,
        draft=draft,
        original_name="plan.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        file="annexes/x",
    )

    submission = submit_draft(draft=draft, answers={"structure_name": "Atelier"})

    attachment.refresh_from_db()
    assert attachment.response == submission.response


def test_answering_again_stores_a_new_response_and_the_page_says_it_replaces_the_previous(client, market):
    first_draft = create_draft(organisation=market.organisation, market=market)
    second_draft = create_draft(organisation=market.organisation, market=market)

    fill_all(client, first_draft)
    response = client.get(fill_all(client, second_draft)["Location"])

    responses = AnnexResponse.objects.all()
    assert responses.count() == 2
    assert len({item.structure_key for item in responses}) == 1
    assert "sa nouvelle réponse remplacera celle-ci dans les statistiques" in text_of(response)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Les verrous de ligne demandent PostgreSQL.")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_draft_store_one_response():
    market = MarketFactory()
    draft = create_draft(organisation=market.organisation, market=market)
    answers = {"structure_name": "Atelier", "siret": SIRET}
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(submit_draft(draft=draft, answers=answers))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert AnnexResponse.objects.count() == 1
    assert sorted(result.created for result in results) == [False, True]
    assert len({result.response.receipt_number for result in results}) == 1


def test_confirmation_of_a_draft_not_submitted_is_404(client, draft):
    assert client.get(reverse("questionnaire:confirmation", args=[draft.resume_token])).status_code == 404
