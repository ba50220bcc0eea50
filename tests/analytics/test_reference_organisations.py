"""Several organisations and withdrawn responses, against tests/analytics/reference.py.

Two buyers import their own seeded datasets (tests/analytics/reference_data.py); some structures of the first also
answer the second. Each buyer's `indicators` must be the reference over its own rows only, and the figures of both
together (`compute_indicators(organisations=[a, b])`, and the dashboard's consolidation as a platform
administrator requests and reads it) the reference over the union of their rows, where a structure that answered
both counts once (docs/indicateurs.md, « Une structure compte une fois »). Then responses are withdrawn through
the platform's service (`withdraw_response`): the latest response of a structure, its only one, one answer to the
second buyer of a shared structure, a titulaire's; a withdrawn response does not count, and the structure's latest
response still standing counts instead.
"""

import datetime

from analytics.indicators import compute_indicators
from analytics.models import AnalyticsSettings
from analytics.serialisation import to_json
from procurement.enums import Role
from questionnaire.models import AnnexResponse
from questionnaire.services.responses import withdraw_response
from tests.analytics import reference as ref
from tests.analytics.reference_data import PERIODS, Dataset, with_key
from tests.analytics.test_reference_display import display_differences, request_computation
from tests.analytics.test_reference_indicators import differences, imported_organisation, printed_indicators
from tests.procurement.factories import member


def shared_answers(first: Dataset, second: Dataset) -> None:
    """Four structures of `first` (three with a SIRET, one known by its name only) answer `second` too, in 2025
    and in 2024, at instants none of their answers to `first` uses."""
    with_siret = [row for row in first.annex if row.siret][:3]
    by_name = [row for row in first.annex if not row.siret][:1]
    for n, row in enumerate(with_siret + by_name):
        for year in (2024, 2025):
            moment = datetime.datetime(year, 5 + n, 11, 9, 17, n, tzinfo=ref.PARIS)
            answer = ref.AnnexRow(
                name=row.name, siret=row.siret, submitted_at=moment, staff=second._staff(), order=len(second.annex)
            )
            second.annex_lines.append(second._answers(answer))
            second.annex.append(answer)
    # Companies that hold contracts of `first` and never answered it answer `second` in 2025: titulaires of the
    # first buyer who answered « l'un des acheteurs calculés ensemble » only.
    for n in range(12):
        siret = with_key(with_key(f"{60000000 + first.seed * 100 + n:08d}") + "0001")
        moment = datetime.datetime(2025, 9, 1 + n, 15, 0, tzinfo=ref.PARIS)
        answer = ref.AnnexRow(
            name=f"Titulaire de l'autre acheteur {n}", siret=siret, submitted_at=moment, staff=second._staff()
        )
        answer.order = len(second.annex)
        second.annex_lines.append(second._answers(answer))
        second.annex.append(answer)


def reference_of(datasets: list[Dataset], start, end) -> dict:
    """The reference over the datasets' rows together (both buyers keep the default dominance threshold)."""
    return datasets[0].reference(start, end, 60, others=tuple(datasets[1:]))


def union_differences(organisations, datasets, start, end) -> list[str]:
    computed = to_json(compute_indicators(organisations=organisations, start=start, end=end), organisation_slug="")
    return differences(reference_of(datasets, start, end), computed)


def withdraw(organisation, data: Dataset, row: ref.AnnexRow) -> None:
    response = AnnexResponse.objects.get(
        organisation=organisation, structure_key=ref.structure_key(row), submitted_at=row.submitted_at
    )
    withdraw_response(response=response)
    row.withdrawn = True


def withdrawals(organisation, data: Dataset, shared: list[ref.AnnexRow]) -> list[str]:
    """Withdraws, for 2025: the latest response of two structures that answered several times that year, the only
    response of one structure, one response of a shared structure; and a titulaire's only answer."""
    in_2025 = {}
    for row in data.annex:
        if not row.withdrawn and ref.paris_date(row.submitted_at).year == 2025:
            in_2025.setdefault(ref.structure_key(row), []).append(row)
    several = [rows for rows in in_2025.values() if len(rows) >= 2]
    alone = [rows for rows in in_2025.values() if len(rows) == 1 and not rows[0].name.startswith("Titulaire")]
    chosen = [max(rows, key=lambda r: (r.submitted_at, r.order)) for rows in several[:2]] + [alone[0][0]]
    chosen += [row for row in shared if row.submitted_at.year == 2025 and row not in chosen][:1]
    chosen += [row for row in data.annex if row.name.startswith("Titulaire") and not row.withdrawn][:1]
    for row in chosen:
        withdraw(organisation, data, row)
    return [f"{row.name} {row.submitted_at:%Y-%m-%d %H:%M}" for row in chosen]


def test_each_buyer_alone_and_both_together_follow_the_documentation(
    tmp_path, client, django_capture_on_commit_callbacks
):
    first, second = Dataset(11, "csv-french"), Dataset(37, "csv-technical")
    shared_answers(first, second)
    shared = second.annex[-20:-12]
    for row in second.annex:
        row.order += 100_000  # recorded after every response of the first buyer
    # One national Egapro file, that each import replaces as a whole: both buyers import all of it.
    first.egapro = second.egapro = first.egapro + second.egapro
    organisations = []
    for data in (first, second):
        (tmp_path / data.style).mkdir()
        organisations.append(imported_organisation(data, 60, tmp_path / data.style))
    a, b = organisations

    def check(label: str) -> list[str]:
        found = []
        for start, end in (PERIODS[0], PERIODS[2]):
            for organisation, data in ((a, first), (b, second)):
                expected = reference_of([data], start, end)
                printed = printed_indicators(organisation.slug, start, end)
                found += [f"{label} {organisation.slug} {start}: {line}" for line in differences(expected, printed)]
            found += [
                f"{label} both {start}: {line}" for line in union_differences([a, b], [first, second], start, end)
            ]
        return found

    # The shared structures count in each buyer's figures and once in the union: not twice, not zero.
    start, end = PERIODS[0]
    alone = [reference_of([data], start, end)["annex"]["respondents"].value for data in (first, second)]
    union = reference_of([first, second], start, end)["annex"]["respondents"].value
    assert union < sum(alone)
    # Some titulaires of the first buyer in 2025 answered the second only: not answered for the first alone,
    # answered when both are computed together (docs/indicateurs.md reads « l'acheteur » as the buyers computed).
    holders = {
        ref.holder_siren(holder)
        for contract in ref.contracts_of(first.decp, first.buyer_siren)
        if start <= contract.notified_on <= end
        for holder in contract.holders
    }
    elsewhere = {row.siret[:9] for row in second.annex if row.name.startswith("Titulaire de l'autre acheteur")}
    assert holders & elsewhere
    found = check("imported")

    # The dashboard's consolidation, as a platform administrator requests it and reads it.
    administrator = member(organisation=a, role=Role.ADMIN)
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    AnalyticsSettings.objects.create(organisation=a, secrecy_enabled=False)
    url = request_computation(client, start, end, django_capture_on_commit_callbacks, organisations=[a, b])
    assert "perimetre=" in url
    expected = reference_of([first, second], start, end)
    found += [f"consolidated page: {line}" for line in display_differences(expected, client, url)]

    withdrawn = withdrawals(a, first, []) + withdrawals(b, second, shared)
    assert len(withdrawn) == 9, withdrawn
    found += check("withdrawn")
    assert not found, "\n".join(found)


def test_the_withdrawn_flag_leaves_the_reference_as_the_documentation_says():
    """The reference's own rule, on a hand-made case: a structure whose latest response is withdrawn counts with
    the one before; one whose only response is withdrawn does not count; a titulaire whose answer is withdrawn has
    not answered."""
    staff = dict.fromkeys([(s, c) for s in ("cadres", "non_cadres") for c in ref.CATEGORIES], 0)
    moment = datetime.datetime(2025, 3, 1, 10, tzinfo=ref.PARIS)
    older = ref.AnnexRow("A", "12345678200010", moment, {**staff, ("cadres", "F"): 4}, order=0)
    newer = ref.AnnexRow("A", "12345678200010", moment.replace(month=4), {**staff, ("cadres", "H"): 4}, order=1)
    only = ref.AnnexRow("B", "", moment, {**staff, ("cadres", "F"): 1}, order=2)
    newer.withdrawn = only.withdrawn = True
    figures = ref.annex_indicators([older, newer, only], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert figures["respondents"].value == 1 and figures["responses"].value == 1
    assert figures["staff_cadres_F_share"].value == 1
