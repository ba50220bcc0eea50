"""Staff remove a response for good (a paper entry typed twice, a company's request to erase its answer): the
confirmation page says what goes and what changes, the service deletes the response, its attachments and its draft,
and the structure's previous answer counts again."""

import datetime
import logging
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from analytics import selectors as analytics_selectors
from analytics import services as analytics_services
from analytics.indicators import compute_indicators
from analytics.models import IndicatorSnapshot
from procurement.enums import Role
from procurement.permissions import REMOVE_ANNEX_RESPONSES
from questionnaire.enums import RemovalReason, ResponseSource
from questionnaire.models import AnnexResponse, Attachment, Draft
from questionnaire.selectors import removal_effects
from questionnaire.services.responses import remove_response, withdraw_response
from questionnaire.titulaires.selectors import latest_answer_by_siren
from tests.analytics.factories import computed_job_2025
from tests.procurement.factories import member
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory, pdf_attachment, siret_with_luhn
from tests.utils import text_of

PARIS = ZoneInfo("Europe/Paris")
SIRET_A = siret_with_luhn("4420000000001")


def paris(year: int, month: int, day: int = 15) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=PARIS)


def plain(html: str) -> str:
    """The text of a page without its tags (a date in a link reads within its sentence)."""
    return re.sub(r"<[^>]+>", "", html)


def remove_url(annex) -> str:
    return reverse("responses:remove", args=[annex.pk])


def figures(organisation, start: datetime.date, end: datetime.date) -> dict:
    """The annex figures of the period as the statistics compute them: {key: (numerator, denominator)}."""
    indicator_set = compute_indicators(organisations=organisation, start=start, end=end)
    return {indicator.key: (indicator.numerator, indicator.denominator) for indicator in indicator_set.indicators}


YEAR_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def officer_client(equality_officer_client):
    return equality_officer_client


@pytest.fixture
def entered_twice(organisation, market):
    """A paper entry typed twice: the same structure, the same answers, a few minutes apart, the second one with the
    draft it was entered from and an attachment."""
    first = AnnexResponseFactory(
        organisation=organisation, market=market, structure_name="Bâtir Ensemble", siret=SIRET_A,
        submitted_at=paris(2025, 3), source=ResponseSource.STAFF, cadres=(4, 6, 0, 0),
    )  # fmt: skip
    draft = DraftFactory(organisation=organisation, market=market, submitted_at=paris(2025, 3))
    second = AnnexResponseFactory(
        organisation=organisation, market=market, structure_name="Bâtir Ensemble", siret=SIRET_A,
        submitted_at=paris(2025, 3) + datetime.timedelta(minutes=7), source=ResponseSource.STAFF, cadres=(5, 5, 0, 0),
        draft=draft, contact_email="rh@batir.example",
    )  # fmt: skip
    pdf_attachment(organisation=organisation, response=second, name="plan-egalite.pdf")
    return first, second


# --- The action and its confirmation page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_detail_page_offers_the_removal_to_the_roles_that_may_remove(client_with_role, entered_twice, role):
    annex = entered_twice[1]
    page = client_with_role(role).get(reverse("responses:detail", args=[annex.pk]))

    if page.status_code == 403:  # a role that does not read the responses
        return
    offered = f'href="{remove_url(annex)}"' in page.content.decode()
    assert offered == (role in REMOVE_ANNEX_RESPONSES)
    if offered:
        assert "Supprimer cette réponse" in text_of(page)


def test_the_confirmation_page_says_what_goes_and_what_changes_and_deletes_nothing(officer_client, entered_twice):
    first, second = entered_twice

    page = officer_client.get(remove_url(second))

    assert page.status_code == 200
    text = text_of(page)
    assert "Supprimer la réponse de Bâtir Ensemble\u00a0?" in text
    assert second.receipt_number in text
    assert "sans retour possible" in text
    assert "ses pièces jointes (1)\u00a0: plan-egalite.pdf" in text
    assert "son lien de reprise et son accusé de réception en ligne ne s'ouvriront plus" in text
    # It counts for 2025 now; the first entry of March counts instead.
    assert "Elle compte aujourd'hui dans les statistiques de 2025" in text
    assert f'href="{reverse("responses:detail", args=[first.pk])}"' in page.content.decode()
    assert "comptera à sa place et redevient sa dernière réponse" in plain(text)
    assert "Sa réponse précédente" not in text  # the same answer, said once
    assert "figés pour le rapport annuel ou publiés en données ouvertes restent tels quels" in text
    assert [choice for choice, _label in page.context["form"].fields["reason"].choices] == RemovalReason.values
    # The fil d'Ariane goes back to the list and to the response.
    assert page.context["breadcrumb_data"]["links"] == [
        {"url": reverse("responses:list"), "title": "Annexe égalité"},
        {"url": reverse("responses:detail", args=[second.pk]), "title": "Bâtir Ensemble"},
    ]
    assert AnnexResponse.objects.filter(pk=second.pk).exists()
    assert Attachment.objects.filter(response=second).exists()


def test_a_response_without_another_answer_says_the_structure_no_longer_counts(officer_client, organisation):
    alone = AnnexResponseFactory(
        organisation=organisation, structure_name="Seule", submitted_at=paris(2025, 5), source=ResponseSource.IMPORT
    )

    text = text_of(officer_client.get(remove_url(alone)))

    assert "la structure n'y comptera plus" in text
    assert "n'aura plus aucune réponse comptée" in text
    assert "aucune pièce jointe" in text
    assert "importée d'un fichier" in text  # no draft: nothing else goes


def test_an_online_response_whose_draft_is_gone_is_not_said_imported(officer_client, organisation):
    # It read « elle a été importée d'un fichier » beside « origine : en ligne par la structure ».
    online = AnnexResponseFactory(organisation=organisation, submitted_at=paris(2025, 5), source=ResponseSource.ONLINE)

    text = text_of(officer_client.get(remove_url(online)))

    assert "importée d'un fichier" not in text
    assert "le questionnaire rempli d'où elle est partie n'est plus conservé" in text


def test_a_withdrawn_response_changes_no_figure(officer_client, entered_twice):
    second = entered_twice[1]
    withdraw_response(response=second, withdrawn_at=paris(2025, 4, 2))

    text = text_of(officer_client.get(remove_url(second)))

    assert "Cette réponse était déjà retirée des statistiques le 2\u00a0avril 2025" in text
    assert "redevient la dernière réponse" not in text


def test_a_superseded_response_changes_no_figure_of_its_year(officer_client, entered_twice):
    first, _second = entered_twice

    text = text_of(officer_client.get(remove_url(first)))

    assert "Une réponse plus récente de la même structure compte déjà à sa place" in text
    assert "redevient la dernière réponse" not in text


# --- The removal -----------------------------------------------------------------------------------------------------


def test_the_removal_deletes_the_response_its_attachments_their_files_and_its_draft(
    officer_client, entered_twice, django_capture_on_commit_callbacks
):
    first, second = entered_twice
    attachment = second.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        answer = officer_client.post(remove_url(second), {"reason": RemovalReason.DUPLICATE})

    assert answer.status_code == 302
    assert answer["Location"] == reverse("responses:list")
    assert not AnnexResponse.objects.filter(pk=second.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
    assert not Draft.objects.filter(pk=second.draft_id).exists()
    first.refresh_from_db()
    assert first.is_latest
    listing = officer_client.get(answer["Location"])
    assert (
        "La réponse de Bâtir Ensemble a été supprimée. Les statistiques en tiendront compte au prochain calcul."
        in (text_of(listing))
    )


def test_the_files_stay_until_the_removal_commits(organisation, entered_twice, django_capture_on_commit_callbacks):
    second = entered_twice[1]
    attachment = second.attachments.get()
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remove_response(response=second, reason=RemovalReason.DUPLICATE, removed_by=officer)

    assert attachment.file.storage.exists(attachment.file.name)
    assert len(callbacks) == 2  # the files' deletion and the log's trace, both after the commit


def test_a_removal_without_a_reason_deletes_nothing(officer_client, entered_twice):
    second = entered_twice[1]

    page = officer_client.post(remove_url(second), {})

    assert page.status_code == 400
    assert "Choisissez la raison de la suppression." in text_of(page)
    assert AnnexResponse.objects.filter(pk=second.pk).exists()
    assert officer_client.post(remove_url(second), {"reason": "parce-que"}).status_code == 400
    assert AnnexResponse.objects.filter(pk=second.pk).exists()


def test_a_removal_needs_the_csrf_token(organisation, entered_twice):
    second = entered_twice[1]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(organisation=organisation, role=Role.ADMIN))

    answer = client.post(remove_url(second), {"reason": RemovalReason.DUPLICATE})

    assert answer.status_code == 403
    assert AnnexResponse.objects.filter(pk=second.pk).exists()


def test_a_buyer_may_not_remove_a_response(client_with_role, entered_twice):
    second = entered_twice[1]

    answer = client_with_role(Role.BUYER).post(remove_url(second), {"reason": RemovalReason.DUPLICATE})

    assert answer.status_code == 403
    assert AnnexResponse.objects.filter(pk=second.pk).exists()


def test_another_buyers_response_answers_404_and_stays(client_with_role, other_organisation):
    theirs = AnnexResponseFactory(organisation=other_organisation)
    client = client_with_role(Role.ADMIN)

    assert client.get(remove_url(theirs)).status_code == 404
    assert client.post(remove_url(theirs), {"reason": RemovalReason.DUPLICATE}).status_code == 404
    assert AnnexResponse.objects.filter(pk=theirs.pk).exists()


def test_a_response_removed_twice_is_removed_once(organisation, entered_twice):
    second = entered_twice[1]
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)

    assert remove_response(response=second, reason=RemovalReason.DUPLICATE, removed_by=officer)
    assert not remove_response(response=second, reason=RemovalReason.DUPLICATE, removed_by=officer)


def test_the_log_keeps_who_and_why_without_personal_data(
    organisation, entered_twice, caplog, django_capture_on_commit_callbacks
):
    second = entered_twice[1]
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)

    with (
        caplog.at_level(logging.INFO, logger="questionnaire.services.responses"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        remove_response(response=second, reason=RemovalReason.COMPANY_REQUEST, removed_by=officer)

    [record] = [record for record in caplog.records if record.name == "questionnaire.services.responses"]
    assert record.levelno == logging.INFO
    message = record.getMessage()
    assert f"Réponse {second.pk} " in message
    assert f"par l'utilisateur {officer.pk} : demande_entreprise" in message
    for personal in ("Bâtir", SIRET_A, SIRET_A[:9], "rh@batir.example", officer.email, "plan-egalite"):
        assert personal not in message


# --- The figures -----------------------------------------------------------------------------------------------------


def test_the_first_entry_counts_again_in_the_figures_of_the_year(organisation, entered_twice):
    first, second = entered_twice
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)
    # Counted: the second entry, 5 women among 10 cadres.
    assert figures(organisation, *YEAR_2025)["staff_cadres_F_share"] == (5, 10)
    version = analytics_selectors.data_version(
        organisation_ids=[organisation.pk], start=YEAR_2025[0], end=YEAR_2025[1]
    )

    remove_response(response=second, reason=RemovalReason.DUPLICATE, removed_by=officer)

    # Counted: the first entry, 4 women among 10 cadres; still one structure.
    after = figures(organisation, *YEAR_2025)
    assert after["staff_cadres_F_share"] == (4, 10)
    assert after["respondents"][0] == 1
    # The dashboard sees that the data changed since the last computation.
    assert version != analytics_selectors.data_version(
        organisation_ids=[organisation.pk], start=YEAR_2025[0], end=YEAR_2025[1]
    )


def test_withdrawing_2025_makes_2024_the_structures_latest_answer_again(officer_client, organisation):
    """A answered in 2024 and 2025; B in 2025 only. Removing A's 2025 answer takes A out of the 2025 figures and
    makes its 2024 answer its latest again: a period across both years and the titulaires' pages read it."""
    a_2024 = AnnexResponseFactory(
        organisation=organisation, structure_name="A", siret=SIRET_A, submitted_at=paris(2024, 10), cadres=(1, 9, 0, 0)
    )
    a_2025 = AnnexResponseFactory(
        organisation=organisation, structure_name="A", siret=SIRET_A, submitted_at=paris(2025, 4), cadres=(6, 4, 0, 0)
    )
    AnnexResponseFactory(
        organisation=organisation, structure_name="B", submitted_at=paris(2025, 5), cadres=(2, 8, 0, 0)
    )
    across = (datetime.date(2024, 7, 1), datetime.date(2025, 6, 30))
    # 2025: A (6 of 10) and B (2 of 10) = 8 of 20. July 2024 – June 2025: A's latest is its 2025 answer, and B.
    assert figures(organisation, *YEAR_2025)["staff_cadres_F_share"] == (8, 20)
    assert figures(organisation, *across)["staff_cadres_F_share"] == (8, 20)
    assert (
        latest_answer_by_siren(organisation_ids=[organisation.pk], start=across[0], end=across[1])[SIRET_A[:9]].pk
        == a_2025.pk
    )

    page = text_of(officer_client.get(remove_url(a_2025)))
    assert "la structure n'y comptera plus" in page
    assert (
        "Sa réponse précédente, envoyée le 15\u00a0octobre 2024 à 10\u00a0h\u00a000, redevient la dernière réponse "
        "de la structure" in plain(page)
    )
    officer_client.post(remove_url(a_2025), {"reason": RemovalReason.ENTRY_ERROR})

    a_2024.refresh_from_db()
    assert a_2024.is_latest
    # 2025: B alone, 2 of 10. July 2024 – June 2025: A's 2024 answer (1 of 10) and B = 3 of 20.
    assert figures(organisation, *YEAR_2025)["staff_cadres_F_share"] == (2, 10)
    assert figures(organisation, *YEAR_2025)["respondents"][0] == 1
    assert figures(organisation, *across)["staff_cadres_F_share"] == (3, 20)
    assert (
        latest_answer_by_siren(organisation_ids=[organisation.pk], start=across[0], end=across[1])[SIRET_A[:9]].pk
        == a_2024.pk
    )


def test_the_page_predicts_what_the_removal_does(organisation):
    """`removal_effects` says which answer counts or becomes the latest instead: after the removal, it does."""
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)
    moments = [paris(2024, 11), paris(2025, 2), paris(2025, 8), paris(2025, 8, 20)]
    november, february, august, withdrawn = (
        AnnexResponseFactory(organisation=organisation, siret=SIRET_A, submitted_at=moment) for moment in moments
    )
    withdraw_response(response=withdrawn)
    predicted = []
    for target in (august, february, november):
        effects = removal_effects(response=target)
        predicted.append((target, effects.counted, effects.replacement, effects.previous))
        remove_response(response=target, reason=RemovalReason.OTHER, removed_by=officer)
        if effects.replacement is not None:
            assert AnnexResponse.objects.get(pk=effects.replacement.pk).is_latest
        remaining = latest_answer_by_siren(
            organisation_ids=[organisation.pk], start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31)
        )
        assert getattr(remaining.get(SIRET_A[:9]), "pk", None) == getattr(effects.previous, "pk", None)
    # August counted for 2025 (the withdrawn answer of 20 August never counts): February counts instead and becomes
    # the latest; then November 2024 becomes the latest, alone in its year; then nothing is left.
    assert [(target.pk, counted, replacement, previous) for target, counted, replacement, previous in predicted] == [
        (august.pk, True, february, february),
        (february.pk, True, None, november),
        (november.pk, True, None, None),
    ]


def test_a_frozen_snapshot_keeps_its_figures(organisation, django_capture_on_commit_callbacks):
    administrator = member(organisation=organisation, role=Role.ADMIN)
    response = AnnexResponseFactory(organisation=organisation, submitted_at=paris(2025, 6), cadres=(3, 7, 0, 0))
    job = computed_job_2025(django_capture_on_commit_callbacks, organisation=organisation, requested_by=administrator)
    snapshot = analytics_services.freeze_snapshot(snapshot=job.snapshot, frozen_by=administrator)
    before = snapshot.values

    remove_response(response=response, reason=RemovalReason.COMPANY_REQUEST, removed_by=administrator)

    snapshot = IndicatorSnapshot.objects.get(pk=snapshot.pk)
    assert snapshot.values == before
    assert snapshot.indicator_set().by_key()["staff_cadres_F_share"].numerator == 3
    assert figures(organisation, *YEAR_2025)["staff_cadres_F_share"] == (0, 0)
