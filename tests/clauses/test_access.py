"""Who may see participant-level data (RGPD): facilitators and administrators of the organisation only."""

import pytest
from django.urls import reverse

from clauses.models import ParticipantAccess
from procurement.enums import Role
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import member
from tests.utils import text_of


@pytest.fixture
def participant(organisation):
    return ParticipantFactory(organisation=organisation, reference="REF-A1", first_name="Nadia", last_name="Kaci")


@pytest.fixture
def mission(participant):
    clause = InsertionClauseFactory(market__organisation=participant.organisation)
    return MissionFactory(participant=participant, market=clause.market)


@pytest.fixture
def other_participant(other_organisation):
    participant = ParticipantFactory(organisation=other_organisation, reference="REF-B1", last_name="Secret")
    clause = InsertionClauseFactory(market__organisation=other_organisation)
    HoursRecordFactory(mission=MissionFactory(participant=participant, market=clause.market))
    return participant


def participant_urls(participant, mission) -> list[str]:
    return [
        reverse("clauses:participant_detail", kwargs={"participant_pk": participant.pk}),
        reverse("clauses:participant_update", kwargs={"participant_pk": participant.pk}),
        reverse("clauses:mission_create", kwargs={"participant_pk": participant.pk}),
        reverse("clauses:mission_update", kwargs={"participant_pk": participant.pk, "mission_pk": mission.pk}),
        reverse("clauses:mission_hours", kwargs={"participant_pk": participant.pk, "mission_pk": mission.pk}),
    ]


def test_a_facilitator_gets_404_on_another_buyers_participants(facilitator_client, other_participant):
    mission = other_participant.missions.get()

    for url in participant_urls(other_participant, mission):
        response = facilitator_client.get(url)
        assert response.status_code == 404, url
        assert "Secret" not in text_of(response)
    market_url = reverse("clauses:market", kwargs={"market_pk": mission.market_id})
    assert facilitator_client.get(market_url).status_code == 404
    assert not ParticipantAccess.objects.exists()


def test_another_buyers_participant_answers_404_even_to_a_role_without_access(client_with_role, other_participant):
    # 404 comes before the role check: an equality officer cannot learn that the participant exists elsewhere.
    client = client_with_role(Role.EQUALITY_OFFICER)

    url = reverse("clauses:participant_detail", kwargs={"participant_pk": other_participant.pk})

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.EQUALITY_OFFICER, Role.BUYER])
def test_equality_officers_and_buyers_cannot_open_participant_pages(client_with_role, participant, mission, role):
    client = client_with_role(role)

    for url in [
        *participant_urls(participant, mission),
        reverse("clauses:participant_list"),
        reverse("clauses:participant_create"),
        reverse("clauses:hours_import"),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Kaci" not in text_of(response)
    assert not ParticipantAccess.objects.exists()


def test_an_equality_officer_sees_a_markets_totals_but_no_participant(equality_officer_client, mission):
    HoursRecordFactory(mission=mission, hours="35.00")

    response = equality_officer_client.get(reverse("clauses:market", kwargs={"market_pk": mission.market_id}))

    assert response.status_code == 200
    assert "35,00" in text_of(response)
    assert "REF-A1" not in text_of(response)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ADMIN])
def test_facilitators_and_administrators_open_participant_pages(client_with_role, participant, mission, role):
    client = client_with_role(role)

    for url in participant_urls(participant, mission):
        assert client.get(url).status_code == 200, url


def test_the_access_log_records_each_opening(client, organisation, participant):
    facilitator = member(organisation=organisation, role=Role.FACILITATOR)
    admin = member(organisation=organisation, role=Role.ADMIN)
    url = reverse("clauses:participant_detail", kwargs={"participant_pk": participant.pk})

    client.force_login(facilitator)
    client.get(url)
    client.get(url)
    client.force_login(admin)
    client.get(url)

    log = list(ParticipantAccess.objects.order_by("pk").values_list("participant__reference", "user"))
    assert log == [("REF-A1", facilitator.pk), ("REF-A1", facilitator.pk), ("REF-A1", admin.pk)]
    assert all(access.opened_at is not None for access in ParticipantAccess.objects.all())


def test_the_access_log_page_lists_openings_to_administrators(
    client_with_role, organisation, participant, other_participant
):
    facilitator = member(organisation=organisation, role=Role.FACILITATOR)
    ParticipantAccess.objects.create(participant=participant, user=facilitator)
    ParticipantAccess.objects.create(participant=other_participant, user=None)
    client = client_with_role(Role.ADMIN)

    response = client.get(reverse("clauses:access_log"))

    text = text_of(response)
    assert response.status_code == 200
    assert facilitator.email in text
    assert "REF-A1" in text
    assert "REF-B1" not in text


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.EQUALITY_OFFICER, Role.BUYER])
def test_only_administrators_see_the_access_log_and_the_settings(client_with_role, role):
    client = client_with_role(role)

    assert client.get(reverse("clauses:access_log")).status_code == 403
    assert client.get(reverse("clauses:settings")).status_code == 403


def test_anonymised_participants_are_not_shown(facilitator_client, participant):
    participant.anonymised_at = participant.created_at
    participant.save()

    url = reverse("clauses:participant_detail", kwargs={"participant_pk": participant.pk})

    assert facilitator_client.get(url).status_code == 404
    assert "REF-A1" not in text_of(facilitator_client.get(reverse("clauses:participant_list")))


def test_every_page_about_a_participant_is_logged(facilitator_client, facilitator, participant, mission):
    """The edit form shows the names, contact and RQTH; the mission pages are about the same person."""
    urls = participant_urls(participant, mission)

    for url in urls:
        assert facilitator_client.get(url).status_code == 200, url

    assert ParticipantAccess.objects.filter(participant=participant, user=facilitator).count() == len(urls)


def test_an_edit_form_shown_again_with_an_error_is_logged_and_a_save_is_not(
    facilitator_client, facilitator, participant
):
    url = reverse("clauses:participant_update", kwargs={"participant_pk": participant.pk})

    saved = facilitator_client.post(url, {"reference": "REF-A1", "sex": participant.sex, "last_name": "Kaci"})
    assert saved.status_code == 302
    assert not ParticipantAccess.objects.exists()
    refused = facilitator_client.post(url, {"reference": "", "sex": participant.sex, "last_name": "Kaci"})

    assert refused.status_code == 200
    assert "Kaci" in text_of(refused)
    assert ParticipantAccess.objects.filter(participant=participant, user=facilitator).count() == 1
