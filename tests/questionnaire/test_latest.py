"""The latest answer of each structure, organisation and year is marked on every write, exactly as the statistics'
dedupe finds it when reading (questionnaire.services.latest)."""

import datetime
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.indicators.annex import annex_indicators, deduped_responses
from questionnaire.enums import RemovalReason
from questionnaire.models import AnnexResponse
from questionnaire.services.annex_import import import_annexes
from questionnaire.services.latest import refresh_latest
from questionnaire.services.responses import remove_response, withdraw_response
from questionnaire.services.submission import submit_draft
from tests.procurement.factories import OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Around a new year (Paris dates decide the year). One structure never answers twice at the same instant (the
# database refuses it): online answers and factory rows are a few microseconds after these.
MOMENTS = [
    datetime.datetime(2024, 12, 31, 23, 30, tzinfo=PARIS),
    datetime.datetime(2025, 1, 1, 0, 30, tzinfo=PARIS),
    datetime.datetime(2025, 3, 1, 9, 0, tzinfo=PARIS),
    datetime.datetime(2025, 12, 31, 23, 59, tzinfo=PARIS),
]
STRUCTURES = ["Atelier Durand", "Bâtiments Nord", "Coopérative Sud"]
YEARS = [2024, 2025]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), st.integers(0, 2), st.integers(0, 3)),
        st.tuples(
            st.just("import"), st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=4)
        ),
        st.tuples(st.just("withdraw"), st.integers(0, 50)),
        st.tuples(st.just("remove"), st.integers(0, 50)),
        st.tuples(st.just("factory"), st.integers(0, 2), st.integers(0, 3)),
    ),
    min_size=1,
    max_size=12,
)


def _submit(organisation, structure: int, moment: datetime.datetime) -> None:
    draft = DraftFactory(organisation=organisation)
    answers = {"structure_name": STRUCTURES[structure], "cadres_f": 1, "cadres_h": 1}
    with mock.patch("django.utils.timezone.now", return_value=moment):
        submit_draft(draft=draft, answers=answers)


def _import(organisation, rows: list[tuple[int, int]]) -> None:
    lines = ["name,submitted_at"]
    seen = set()
    for structure, moment in rows:
        if (structure, moment) not in seen:  # one row per structure and instant, as the import requires
            seen.add((structure, moment))
            lines.append(f"{STRUCTURES[structure]},{MOMENTS[moment].isoformat()}")
    import_annexes(organisation=organisation, content="\n".join(lines).encode(), filename="reponses.csv")


def _apply(organisation, operation: tuple, step: int) -> None:
    kind = operation[0]
    after = datetime.timedelta(microseconds=step + 1)
    if kind == "submit":
        _submit(organisation, operation[1], MOMENTS[operation[2]] + after)
    elif kind == "factory":
        moment = MOMENTS[operation[2]] + after
        AnnexResponseFactory(
            organisation=organisation, structure_name=STRUCTURES[operation[1]], siret="", submitted_at=moment
        )
    elif kind == "import":
        _import(organisation, operation[1])
    elif kind == "withdraw":
        answers = list(
            AnnexResponse.objects.filter(organisation=organisation, withdrawn_at__isnull=True).order_by("pk")
        )
        if answers:
            withdraw_response(response=answers[operation[1] % len(answers)])
    else:  # removed for good by staff, withdrawn or not
        answers = list(AnnexResponse.objects.filter(organisation=organisation).order_by("pk"))
        if answers:
            staff = member(organisation=organisation)
            remove_response(
                response=answers[operation[1] % len(answers)], reason=RemovalReason.OTHER, removed_by=staff
            )


def _marked_and_deduped(organisation, year: int) -> tuple[set[int], set[int]]:
    marked = AnnexResponse.objects.filter(organisation=organisation, submitted_year=year, is_latest=True)
    deduped = deduped_responses(
        organisation_ids=[organisation.pk], start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )
    return set(marked.values_list("pk", flat=True)), set(deduped.values_list("pk", flat=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=operations)
def test_every_write_keeps_exactly_the_latest_answer_marked(sequence):
    organisation = OrganisationFactory()
    for step, operation in enumerate(sequence):
        _apply(organisation, operation, step)
        for year in YEARS:
            marked, deduped = _marked_and_deduped(organisation, year)
            assert marked == deduped, (operation, year)


def test_the_yearly_figures_read_the_marked_rows_and_equal_the_dedupe():
    organisation = OrganisationFactory()
    for structure, moment in [(0, 1), (0, 2), (1, 2), (1, 3), (2, 0)]:
        _submit(organisation, structure, MOMENTS[moment])
    withdraw_response(response=AnnexResponse.objects.get(structure_name=STRUCTURES[1], submitted_on__month=12))
    year = {"organisations": organisation, "start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 31)}
    marked = {indicator.key: indicator.value for indicator in annex_indicators(**year)}
    # Any other period dedupes when it reads: one day more gives the same figures here.
    other = {**year, "end": datetime.date(2026, 1, 1)}
    read_time = {indicator.key: indicator.value for indicator in annex_indicators(**other)}
    assert marked["respondents"] == 2
    assert marked == read_time


def _two_answers_of_one_structure_the_same_day() -> tuple[AnnexResponse, AnnexResponse]:
    """Two answers of one structure without SIRET the same day, the second one later (11:00 against 10:00)."""
    first = AnnexResponseFactory(structure_name="Atelier Durand", siret="")
    second = AnnexResponseFactory(
        organisation=first.organisation,
        structure_name="Atelier Durand",
        siret="",
        submitted_at=first.submitted_at.replace(hour=11),
    )
    return first, second


def test_the_database_refuses_two_latest_answers_of_one_structure_in_one_year():
    first, second = _two_answers_of_one_structure_the_same_day()
    first.refresh_from_db()
    assert (first.is_latest, second.is_latest) == (False, True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnexResponse.objects.filter(pk=first.pk).update(is_latest=True)


def test_a_withdrawn_answer_cannot_stay_marked():
    answer = AnnexResponseFactory()
    assert answer.is_latest
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnexResponse.objects.filter(pk=answer.pk).update(withdrawn_at=answer.submitted_at)


def test_withdrawing_the_latest_answer_gives_the_mark_back_to_the_previous_one():
    earlier, later = _two_answers_of_one_structure_the_same_day()
    withdraw_response(response=later)
    earlier.refresh_from_db()
    assert earlier.is_latest


def test_a_full_refresh_repairs_marks_changed_behind_the_services_back():
    answer = AnnexResponseFactory()
    AnnexResponse.objects.filter(pk=answer.pk).update(is_latest=False)
    refresh_latest(organisation_id=answer.organisation_id)
    answer.refresh_from_db()
    assert answer.is_latest


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Les verrous consultatifs demandent PostgreSQL.")
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_of_one_structure_leave_one_marked():
    organisation = OrganisationFactory()
    drafts = [DraftFactory(organisation=organisation) for _ in range(4)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(draft):
        try:
            barrier.wait(timeout=10)
            submit_draft(draft=draft, answers={"structure_name": STRUCTURES[0], "cadres_f": 1})
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=[draft]) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    answers = AnnexResponse.objects.filter(organisation=organisation)
    assert answers.count() == 4
    assert list(answers.filter(is_latest=True)) == [answers.order_by("-submitted_at", "-pk").first()]
