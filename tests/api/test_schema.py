"""The OpenAPI document validates, and schemathesis calls every operation of it, with a token of each role, against
a live test server: no 500, and every answer (status, content type, headers, body) as the document describes it."""

import datetime
import json
from decimal import Decimal

import pytest
import schemathesis
from django.urls import path, reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from analytics.indicators.base import Section
from api.serializers import YearSerializer
from api.views.base import ApiView
from procurement.enums import Role
from procurement.permissions import ANY_MEMBER
from tests.analytics.factories import computed_job_2025
from tests.api.factories import new_token
from tests.clauses.factories import InsertionClauseFactory
from tests.procurement.factories import MarketFactory, member, validated_encart
from tests.questionnaire.factories import AnnexResponseFactory
from tests.utils import elements_of, typography_faults

# Few examples per operation and role: the suite stays well under a minute for the 17 operations × 4 roles.
MAX_EXAMPLES = 5


def _document() -> dict:
    """The document as /api/v1/schema/ serves it (built here once, at collection, to parametrize the tests)."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def test_the_served_document_is_valid_openapi(client):
    response = client.get(reverse("api:schema"))

    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["jeton"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["jeton"]["description"],
    }
    assert len(document["paths"]) == 15
    assert client.get(reverse("api:schema") + "?format=yaml")["Content-Type"].startswith("application/vnd.oai")


def test_the_documentation_page_has_its_heading_and_french_typography(client):
    """The page's title was a paragraph (Swagger UI's own title is an h2: the page had no h1) and « Document
    OpenAPI : » had an ordinary space before its colon."""
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    headings = [element for element in elements_of(response) if element.tag == "h1"]
    assert len(headings) == 1
    assert not typography_faults(response.content.decode())


def test_a_broken_document_would_be_found():
    document = _document()
    del document["paths"]["/api/v1/markets/"]["get"]["responses"]

    with pytest.raises(Exception, match="responses"):
        validate(document)


class _YearView(ApiView):
    capabilities = {"GET": ANY_MEMBER, "POST": ANY_MEMBER}
    serializer_class = YearSerializer
    query_serializer = YearSerializer

    def get(self, request):
        raise NotImplementedError

    def post(self, request):
        raise NotImplementedError


def test_a_get_documents_the_query_parameters_its_view_checks():
    document = SchemaGenerator(patterns=[path("annee/", _YearView.as_view())]).get_schema(request=None, public=True)

    operations = document["paths"]["/annee/"]
    assert [parameter["name"] for parameter in operations["get"]["parameters"]] == ["year"]
    assert "parameters" not in operations["post"]


# The fuzzing phase only (positive and negative examples, MAX_EXAMPLES each): the coverage phase's hundreds of
# boundary cases per operation would take minutes against a live server.
schema = schemathesis.openapi.from_dict(
    _document(), config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
)


@pytest.fixture
def world(transactional_db, django_capture_on_commit_callbacks):
    """Buyer data for every operation: a market with a clause and a validated encart, a response, a frozen result;
    a token of each role."""
    market = MarketFactory(
        insertion_hours_planned=Decimal(500),
        execution_start=datetime.date(2025, 1, 1),
        execution_end=datetime.date(2025, 12, 31),
    )
    organisation = market.organisation
    InsertionClauseFactory(market=market)
    validated_encart(organisation=organisation)
    response = AnnexResponseFactory(organisation=organisation, market=market)
    staff = member(organisation=organisation, role=Role.ADMIN)
    job = computed_job_2025(django_capture_on_commit_callbacks, organisation=organisation, requested_by=staff)
    ids = {"market": market.pk, "response": response.pk, "job": job.pk, "snapshot": job.snapshot_id}
    secrets = {role: new_token(organisation=organisation, role=role)[1] for role in Role.values}
    return ids, secrets


# Every default check but one: `positive_data_acceptance` expects a schema-valid request to succeed, but whether
# data is acceptable also depends on the database (a statement's market reference must name a market of the
# organisation, a new market's reference must be free), which no schema can say: those answer 400 with the reason.
# Schema-invalid requests must still be refused (negative_data_rejection), and nothing may answer 500.
EXCLUDED_CHECKS = [positive_data_acceptance]


# Each path's `{id}` names one kind of object: the world's object of that kind, for a second call that finds it.
KINDS = {"markets": "market", "responses": "response", "jobs": "job", "snapshots": "snapshot"}


def _with_existing_id(case, ids):
    segments = [segment for segment in case.path.split("/") if segment]
    kind = KINDS[segments[segments.index("{id}") - 1]]
    case.path_parameters = {**case.path_parameters, "id": ids[kind]}
    return case


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented_for_every_role(case, world, live_server):
    ids, secrets = world
    for role in sorted(Role.values):
        headers = {"Authorization": f"Bearer {secrets[role]}"}
        case.call_and_validate(base_url=live_server.url, headers=headers, excluded_checks=EXCLUDED_CHECKS)
        if "{id}" in case.path and case.meta is not None and case.meta.generation.mode.is_positive:
            found = _with_existing_id(case, ids)
            found.call_and_validate(base_url=live_server.url, headers=headers, excluded_checks=EXCLUDED_CHECKS)


def test_the_indicators_document_describes_every_section_the_json_has():
    # The answer carries a list per section (analytics/serialisation.py); the document named three of four.
    properties = _document()["components"]["schemas"]["Indicators"]["properties"]

    assert set(Section.ALL) <= set(properties)
    assert all(properties[section]["type"] == "array" for section in Section.ALL)
