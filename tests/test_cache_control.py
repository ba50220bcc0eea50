"""Pages and files with personal or unpublished data are never kept by a browser or a proxy (Cache-Control:
no-store): every staff page, and the candidate's pages behind a resume token."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from procurement.enums import Role
from procurement.specifications.services import stamp_specification
from tests.analytics.factories import computed_job_2025
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import MarketFactory, member, validated_encart
from tests.procurement.specifications.documents import minimal
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory, pdf_attachment

NOW = datetime.datetime(2025, 6, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def world(organisation, django_capture_on_commit_callbacks):
    admin = member(organisation=organisation, role=Role.ADMIN)
    market = MarketFactory(organisation=organisation, insertion_hours_planned=Decimal(500))
    validated_encart(organisation=organisation)
    stamped = stamp_specification(
        market=market, content=minimal(), filename="cctp.docx", annex_url="https://exemple.fr/annexe/x/", user=admin
    )
    submitted = DraftFactory(organisation=organisation, market=market, submitted_at=NOW)
    response = AnnexResponseFactory(organisation=organisation, market=market, draft=submitted)
    attachment = pdf_attachment(organisation=organisation, response=response)
    staff_draft = DraftFactory(organisation=organisation, market=market, entered_by=admin)
    staff_submitted = DraftFactory(organisation=organisation, market=market, entered_by=admin, submitted_at=NOW)
    AnnexResponseFactory(organisation=organisation, market=market, draft=staff_submitted)
    job = computed_job_2025(django_capture_on_commit_callbacks, organisation=organisation, requested_by=admin)
    participant = ParticipantFactory(organisation=organisation, first_name="Nadia", last_name="Kaci")
    mission = MissionFactory(participant=participant, market=InsertionClauseFactory(market=market).market)
    HoursRecordFactory(mission=mission)
    return {
        "admin": admin,
        "market": market,
        "stamped": stamped,
        "response": response,
        "attachment": attachment,
        "public_draft": DraftFactory(organisation=organisation, market=market),
        "submitted": submitted,
        "staff_draft": staff_draft,
        "staff_submitted": staff_submitted,
        "job": job,
        "participant": participant,
        "mission": mission,
    }


def staff_urls(w) -> list[str]:
    response, market, job, participant = w["response"], w["market"], w["job"], w["participant"]
    mission = {"participant_pk": participant.pk, "mission_pk": w["mission"].pk}
    return [
        # Responses: detail, files, exports, paper entry
        reverse("responses:list"),
        reverse("responses:detail", args=[response.pk]),
        reverse("responses:attachment", args=[response.pk, w["attachment"].pk]),
        reverse("responses:export", args=["csv"]),
        reverse("responses:export", args=["xlsx"]),
        reverse("questionnaire:staff_wizard_step", args=[w["staff_draft"].resume_token, "structure"]),
        reverse("questionnaire:staff_confirmation", args=[w["staff_submitted"].resume_token]),
        reverse("questionnaire:staff_receipt_pdf", args=[w["staff_submitted"].resume_token]),
        # Statistics: the dashboard, a job's state, every download of a snapshot
        reverse("analytics:dashboard"),
        reverse("analytics:job_status", args=[job.pk]),
        *[reverse("analytics:export", args=[job.snapshot.pk, key]) for key in ("xlsx", "csv", "ods", "phrases")],
        # Markets: stamped cahier des charges and the fiche
        reverse("procurement:market_detail", args=[market.pk]),
        reverse("procurement:stamped_download", args=[market.pk, w["stamped"].pk]),
        reverse("questionnaire:market_fiche_docx", args=[market.pk]),
        reverse("questionnaire:market_fiche_pdf", args=[market.pk]),
        # Insertion clauses: the report and its workbook, participants' pages
        reverse("clauses_report:report"),
        reverse("clauses_report:workbook"),
        reverse("clauses:market", args=[market.pk]),
        reverse("clauses:participant_list"),
        reverse("clauses:participant_detail", args=[participant.pk]),
        reverse("clauses:participant_update", args=[participant.pk]),
        reverse("clauses:mission_update", kwargs=mission),
        reverse("clauses:mission_hours", kwargs=mission),
        reverse("clauses:access_log"),
        reverse("members"),
    ]


def public_urls(w) -> list[str]:
    return [
        reverse("questionnaire:wizard_step", args=[w["public_draft"].resume_token, "structure"]),
        reverse("questionnaire:confirmation", args=[w["submitted"].resume_token]),
        reverse("questionnaire:receipt_pdf", args=[w["submitted"].resume_token]),
    ]


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_staff_pages_and_files_are_never_stored(client, world):
    client.force_login(world["admin"])

    answered = {url: client.get(url) for url in staff_urls(world)}

    assert {url: r.status_code for url, r in answered.items() if r.status_code != 200} == {}
    assert [url for url, r in answered.items() if not _no_store(r)] == []


def test_the_candidates_pages_behind_a_token_are_never_stored(world):
    browser = Client()

    answered = {url: browser.get(url) for url in public_urls(world)}

    assert {url: r.status_code for url, r in answered.items() if r.status_code != 200} == {}
    assert [url for url, r in answered.items() if not _no_store(r)] == []


def test_the_qr_code_of_the_public_link_keeps_its_own_caching(client, world):
    client.force_login(world["admin"])

    response = client.get(reverse("procurement:market_qrcode", args=[world["market"].pk]))

    assert response["Cache-Control"] == "private, max-age=3600"
