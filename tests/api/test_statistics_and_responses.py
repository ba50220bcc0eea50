import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from analytics import services as analytics_services
from analytics.models import IndicatorSnapshot
from procurement.enums import Role
from procurement.models import StampedSpecification
from tests.analytics.datasets import year_of_data
from tests.procurement.factories import MarketFactory, member, validated_encart
from tests.procurement.specifications.documents import minimal
from tests.questionnaire.factories import AnnexResponseFactory


def test_the_indicators_are_exactly_the_json_of_the_command(api, organisation):
    year_of_data(organisation)
    out = io.StringIO()
    call_command("indicators", "--year", "2025", "--organisation", organisation.slug, stdout=out)

    response = api(Role.EQUALITY_OFFICER).get(reverse("api:indicators"), {"year": 2025})

    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["period"] == {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"year": 2025, "start": "2025-01-01"}, "year"), ({"start": "2025-02-01"}, "end"), ({"year": "deux"}, "year")],
)
def test_a_wrong_period_is_refused_by_field(api, query, field):
    response = api(Role.BUYER).get(reverse("api:indicators"), query)

    assert response.status_code == 400
    assert field in {error["champ"] for error in response.json()["errors"]}


def test_a_computation_is_queued_and_followed_to_its_result(api, organisation, django_capture_on_commit_callbacks):
    caller = api(Role.BUYER)
    with django_capture_on_commit_callbacks(execute=True):
        queued = caller.post(reverse("api:jobs"), {"start": "2025-01-01", "end": "2025-06-30"})

    assert queued.status_code == 202
    state = caller.get(queued.json()["url"]).json()
    assert state["status"] == "done"
    result = caller.get(state["snapshot_url"]).json()
    assert result["period"] == {"start": "2025-01-01", "end": "2025-06-30"}
    assert {"annex", "clauses", "specifications"} <= result.keys()


def test_only_frozen_results_are_listed(api, organisation, django_capture_on_commit_callbacks):
    staff = member(organisation=organisation, role=Role.ADMIN)
    for year in (2024, 2025):
        with django_capture_on_commit_callbacks(execute=True):
            analytics_services.request_computation(
                organisation=organisation,
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31),
                requested_by=staff,
            )
    frozen = IndicatorSnapshot.objects.get(organisation=organisation, start__year=2024)
    analytics_services.freeze_snapshot(snapshot=frozen, frozen_by=staff)

    listed = api(Role.EQUALITY_OFFICER).get(reverse("api:snapshots")).json()

    assert [(item["id"], item["start"]) for item in listed] == [(frozen.pk, "2024-01-01")]


def test_responses_are_listed_with_filters_and_read_with_the_export_columns(api, organisation, other_organisation):
    market = MarketFactory(organisation=organisation)
    mine = AnnexResponseFactory(organisation=organisation, market=market, structure_name="Bâtisseurs SA")
    AnnexResponseFactory(organisation=organisation, structure_name="Autre structure")
    AnnexResponseFactory(organisation=other_organisation, structure_name="Bâtisseurs ailleurs")
    caller = api(Role.EQUALITY_OFFICER)

    listed = caller.get(reverse("api:responses"), {"market": market.pk}).json()
    searched = caller.get(reverse("api:responses"), {"q": "Bâtisseurs"}).json()
    detail = caller.get(reverse("api:response", kwargs={"pk": mine.pk})).json()

    assert [item["id"] for item in listed["results"]] == [mine.pk]
    assert [item["name"] for item in searched["results"]] == ["Bâtisseurs SA"]
    assert detail["name"] == "Bâtisseurs SA" and detail["market_reference"] == market.reference
    assert detail["cadres_f"] == mine.cadres_f
    assert detail["contact_email"] == mine.contact_email


def test_a_cahier_des_charges_comes_back_stamped(api, organisation):
    market = MarketFactory(organisation=organisation)
    validated_encart(organisation=organisation)
    upload = io.BytesIO(minimal())
    upload.name = "CCTP.docx"

    response = api(Role.BUYER).upload(reverse("api:market_specification", kwargs={"pk": market.pk}), {"file": upload})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "CCTP-encart-egalite.docx" in response["Content-Disposition"]
    assert response.content.startswith(b"PK")
    record = StampedSpecification.objects.get(market=market)
    assert record.source == "api"


def test_a_hostile_or_wrong_file_is_refused_with_the_same_french_reason(api, organisation):
    market = MarketFactory(organisation=organisation)
    validated_encart(organisation=organisation)
    upload = io.BytesIO(b"%PDF-1.7 pas un document Word")
    upload.name = "CCTP.docx"

    response = api(Role.BUYER).upload(reverse("api:market_specification", kwargs={"pk": market.pk}), {"file": upload})

    assert response.status_code == 400
    assert response.json()["errors"][0]["champ"] == "file"
    assert response.json()["detail"] == response.json()["errors"][0]["raison"]
    assert not StampedSpecification.objects.exists()


def test_stamping_waits_for_the_encart_to_be_validated(api, organisation):
    market = MarketFactory(organisation=organisation)
    upload = io.BytesIO(minimal())
    upload.name = "CCTP.docx"

    response = api(Role.BUYER).upload(reverse("api:market_specification", kwargs={"pk": market.pk}), {"file": upload})

    assert response.status_code == 409
    assert "n'a pas encore été validé" in response.json()["detail"]
