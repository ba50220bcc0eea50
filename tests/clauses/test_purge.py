"""RGPD retention: participants are anonymised the retention period after their last mission ends."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clauses import tasks
from clauses.crypto import encrypt_flag
from clauses.models import ClauseSettings, HoursRecord, Participant
from clauses.services.purge import expired_participants, purge_participants
from tests.clauses.factories import HoursRecordFactory, MissionFactory, ParticipantFactory

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def people(organisation):
    """Ended 25 months ago (expired with the default 24), ended 23 months ago, still working (no end)."""

    def person(reference: str, end: datetime.date | None) -> Participant:
        participant = ParticipantFactory(
            organisation=organisation,
            reference=reference,
            first_name="Nadia",
            last_name="Kaci",
            contact="nadia@example.org",
            postcode="59300",
            criteria=["rsa"],
            rqth_token=encrypt_flag(True),
        )
        mission = MissionFactory(participant=participant, start=datetime.date(2023, 1, 1), end=end)
        HoursRecordFactory(mission=mission, month=datetime.date(2023, 3, 1))
        return participant

    return {
        "old": person("OLD", datetime.date(2024, 5, 14)),
        "recent": person("RECENT", datetime.date(2024, 7, 16)),
        "ongoing": person("ONGOING", None),
    }


def test_expired_participants_are_anonymised_and_their_hours_kept(organisation, people):
    assert purge_participants(organisation=organisation, today=TODAY) == 1

    old = Participant.objects.get(pk=people["old"].pk)
    assert old.reference.startswith("anonyme-")
    assert (old.first_name, old.last_name, old.contact, old.birth_year) == ("", "", "", None)
    assert (old.criteria, old.rqth_token, old.postcode) == ([], "", "59")
    assert old.has_rqth is None
    assert old.sex == people["old"].sex
    assert old.anonymised_at is not None
    assert HoursRecord.objects.filter(mission__participant=old).count() == 1
    for key in ("recent", "ongoing"):
        assert Participant.objects.get(pk=people[key].pk).last_name == "Kaci"


def test_the_retention_setting_is_honoured(organisation, people):
    ClauseSettings.objects.create(organisation=organisation, retention_months=12)

    assert purge_participants(organisation=organisation, today=TODAY) == 2
    assert Participant.objects.get(pk=people["ongoing"].pk).anonymised_at is None


def test_the_command_simulates_then_anonymises(organisation, people):
    dry = StringIO()
    call_command("purge_clause_participants", "--organisation", organisation.slug, "--dry-run", stdout=dry)
    assert not Participant.objects.filter(anonymised_at__isnull=False).exists()

    out = StringIO()
    call_command("purge_clause_participants", "--organisation", organisation.slug, stdout=out)

    # Run today: the missions that ended in 2024 are more than 24 months old; an ongoing one never expires.
    assert "à anonymiser (simulation)" in dry.getvalue()
    assert "anonymisé·e(s)" in out.getvalue()
    assert Participant.objects.get(pk=people["old"].pk).anonymised_at is not None
    assert Participant.objects.get(pk=people["ongoing"].pk).anonymised_at is None


def test_the_nightly_task_anonymises_the_expired_participants_of_every_organisation(two_buyers, people):
    assert tasks.purge_clause_participants.apply().get() == len(two_buyers)
    assert anonymised() == two_buyers
    assert Participant.objects.get(pk=people["ongoing"].pk).anonymised_at is None


def anonymised() -> set[int]:
    return set(Participant.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))


@pytest.fixture
def two_buyers(organisation, other_organisation, people):
    """The expired participants of both organisations: `people`, and one of the other buyer's whose mission ended
    in 2020."""
    elsewhere = ParticipantFactory(organisation=other_organisation, last_name="Kaci")
    MissionFactory(participant=elsewhere, start=datetime.date(2020, 1, 1), end=datetime.date(2020, 6, 30))
    expected = {
        participant.pk
        for current in (organisation, other_organisation)
        for participant in expired_participants(organisation=current)
    }
    assert {elsewhere.pk, people["old"].pk} <= expected
    return expected


def test_the_command_anonymises_every_organisation_only_when_asked_by_name(
    organisation, other_organisation, two_buyers
):
    dry = StringIO()
    call_command("purge_clause_participants", "--all-organisations", "--dry-run", stdout=dry)
    assert not anonymised()

    out = StringIO()
    call_command("purge_clause_participants", "--all-organisations", stdout=out)

    assert anonymised() == two_buyers
    for current in (organisation, other_organisation):
        assert f"{current.slug} : " in dry.getvalue()
        assert f"{current.slug} : " in out.getvalue()


def test_with_several_organisations_and_no_choice_nothing_is_anonymised_and_the_error_names_both_options(
    two_buyers,
):
    with pytest.raises(CommandError) as refused:
        call_command("purge_clause_participants")

    assert str(refused.value) == (
        "Plusieurs organisations existent : précisez --organisation SLUG, ou --all-organisations pour les traiter "
        "toutes (tâche planifiée) ; aucun·e participant·e n'a été anonymisé·e."
    )
    assert not anonymised()


def test_one_organisation_and_all_of_them_at_once_is_refused(organisation, two_buyers):
    # « --organisation ville --all-organisations » would purge the other buyers too: which one was meant?
    with pytest.raises(CommandError, match="pas les deux"):
        call_command("purge_clause_participants", "--organisation", organisation.slug, "--all-organisations")

    assert not anonymised()


def test_one_organisation_named_leaves_the_others_alone(organisation, other_organisation, two_buyers):
    call_command("purge_clause_participants", "--organisation", other_organisation.slug, stdout=StringIO())

    assert anonymised() == {
        pk for pk in two_buyers if Participant.objects.get(pk=pk).organisation == other_organisation
    }
    assert anonymised()
