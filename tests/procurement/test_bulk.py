"""procurement.bulk.upsert on the database the tests run on (SQLite by default, PostgreSQL with DATABASE_URL),
through the writes of the clause hours import that use it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from clauses.models import HoursRecord, Participant
from clauses.services.hours_import import write_hours, write_participants
from tests.clauses.factories import MissionFactory, ParticipantFactory


def row_version(participant: Participant) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {Participant._meta.db_table} WHERE id = %s", [participant.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_new_rows_get_the_models_defaults_and_text_comes_back_as_written(organisation):
    # A tab, a line break and a backslash would break COPY's text format if they were not escaped.
    awkward = "P\t1\\\n2\r"

    write_participants([(organisation.pk, awkward, "F", None), (organisation.pk, "P-2", "NB", 1990)])

    second = Participant.objects.get(organisation=organisation, reference=awkward)
    first = Participant.objects.get(organisation=organisation, reference="P-2")
    assert (second.reference, second.sex, second.birth_year) == (awkward, "F", None)
    assert (first.reference, first.sex, first.birth_year) == ("P-2", "NB", 1990)
    assert (first.postcode, first.qpv_resident, first.criteria, first.first_name, first.anonymised_at) == (
        "",
        False,
        [],
        "",
        None,
    )
    assert first.created_at is not None
    assert first.updated_at is not None


def test_a_stored_row_is_updated_and_stamped_and_its_other_columns_kept(organisation):
    stale = timezone.now() - datetime.timedelta(days=30)
    changed = ParticipantFactory(organisation=organisation, reference="P-1", sex="F", first_name="Nadia")
    Participant.objects.filter(pk=changed.pk).update(updated_at=stale)

    write_participants([(organisation.pk, "P-1", "H", 1991)])

    changed.refresh_from_db()
    assert (changed.sex, changed.birth_year, changed.first_name, changed.postcode) == ("H", 1991, "Nadia", "59300")
    assert changed.updated_at > stale
    assert Participant.objects.filter(organisation=organisation).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions are PostgreSQL's")
def test_on_postgresql_a_row_whose_values_did_not_change_is_not_rewritten(organisation):
    same = ParticipantFactory(organisation=organisation, reference="P-1", sex="F", birth_year=1990)
    other = ParticipantFactory(organisation=organisation, reference="P-2", sex="F", birth_year=1990)
    before = row_version(same), row_version(other)

    write_participants([(organisation.pk, "P-1", "F", 1990), (organisation.pk, "P-2", "H", 1990)])

    assert row_version(same) == before[0]
    assert row_version(other) != before[1]


def test_hours_are_inserted_then_replaced(organisation):
    mission = MissionFactory(participant__organisation=organisation)
    january, february = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)

    write_hours([(mission.pk, january, Decimal("35.00")), (mission.pk, february, Decimal("12.50"))])
    write_hours([(mission.pk, february, Decimal("20.25"))])
    write_hours([])

    assert list(HoursRecord.objects.filter(mission=mission).order_by("month").values_list("month", "hours")) == [
        (january, Decimal("35.00")),
        (february, Decimal("20.25")),
    ]
