"""The registers' HTTP clients against a real HTTP server on loopback (pytest-httpserver), never the internet."""

import threading
import time

import pytest
from werkzeug import Response

from registers import http, selectors
from tests.registers import recorded

DECLARATION = "/api/public/declaration/552100554/2024"


def test_a_declaration_found(egapro_api):
    egapro_api.expect_oneshot_request(DECLARATION, method="GET").respond_with_json(recorded.EGAPRO_DECLARATION)

    declaration = http.egapro_declaration(siren="552100554", year=2024)

    assert declaration == http.ApiDeclaration(siren="552100554", year=2024, index=88)
    # Cached: the second look-up asks nothing (the one-shot answer is spent).
    assert http.egapro_declaration(siren="552100554", year=2024).index == 88
    egapro_api.check_assertions()


def test_no_declaration_is_a_404(egapro_api):
    egapro_api.expect_request(DECLARATION).respond_with_data("Not Found", status=404)

    assert http.egapro_declaration(siren="552100554", year=2024) is None


def test_a_ues_declaration_reads_its_index_only(egapro_api):
    egapro_api.expect_request("/api/public/declaration/356000000/2024").respond_with_json(
        recorded.EGAPRO_UES_DECLARATION
    )

    declaration = http.egapro_declaration(siren="356000000", year=2024)

    assert declaration.index is None  # not computable
    assert selectors.live_published_index(siren="356000000", year=2024).not_computable


def test_a_308_to_a_new_path_is_a_changed_source_never_followed(egapro_api):
    new_path = "/api/public/declarations/552100554/2024"
    egapro_api.expect_request(DECLARATION).respond_with_response(Response(status=308, headers={"Location": new_path}))
    egapro_api.expect_request(new_path).respond_with_json(recorded.EGAPRO_NEW_SHAPE)

    with pytest.raises(http.SourceChanged) as changed:
        http.egapro_declaration(siren="552100554", year=2024)

    assert "a changé la forme de ses réponses (redirection 308 vers une nouvelle adresse)" in changed.value.notice
    assert [request.path for request, _response in egapro_api.log] == [DECLARATION]


def test_an_answer_of_another_shape_is_a_changed_source(egapro_api):
    egapro_api.expect_request(DECLARATION).respond_with_json(recorded.EGAPRO_NEW_SHAPE)

    with pytest.raises(http.SourceChanged, match="déclaration.index"):
        http.egapro_declaration(siren="552100554", year=2024)


@pytest.mark.parametrize("body", ["<html>Maintenance</html>", "[" * 100_000], ids=["html", "deeply-nested"])
def test_an_answer_that_is_not_readable_json_is_a_changed_source(egapro_api, body):
    egapro_api.expect_request(DECLARATION).respond_with_data(body, content_type="application/json")

    with pytest.raises(http.SourceChanged, match="réponse qui n'est pas du JSON"):
        http.egapro_declaration(siren="552100554", year=2024)


def test_a_timeout_gives_up_after_the_configured_delay(egapro_api, settings):
    settings.REGISTERS_TIMEOUT_SECONDS = 0.5
    release = threading.Event()

    def slow(request):
        release.wait(5)
        return Response("{}", content_type="application/json")

    egapro_api.expect_request(DECLARATION).respond_with_handler(slow)
    started = time.monotonic()
    try:
        with pytest.raises(http.SourceDown) as down:
            http.egapro_declaration(siren="552100554", year=2024)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    # The server logs the request once its handler returns: wait for it, or the entry lands in the next test's log
    # (the server is shared by the session).
    deadline = time.monotonic() + 5
    while not egapro_api.log and time.monotonic() < deadline:
        time.sleep(0.01)

    assert elapsed < 1.0
    assert len(egapro_api.log) == 1
    assert "ne répond pas pour le moment (délai de réponse dépassé)" in down.value.notice


def test_a_429_is_honoured_for_its_retry_after(company_register):
    company_register.expect_oneshot_request("/search").respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "120"})
    )

    with pytest.raises(http.SourceDown, match="limite de demandes"):
        http.company_by_siret(siret="55210055400013")
    # During the Retry-After, nothing is asked: the answer is at once "down".
    with pytest.raises(http.SourceDown, match="source indisponible"):
        http.company_by_siret(siret="73282932000074")

    assert len(company_register.log) == 1
    assert http.retry_after_seconds("120") == 120
    assert http.retry_after_seconds("999999") == 15 * 60
    assert http.retry_after_seconds("") == 60


def test_a_500_counts_towards_the_circuit_breaker(egapro_api, settings):
    settings.REGISTERS_BREAKER_FAILURES = 2
    egapro_api.expect_request("/api/public/declaration/552100554/2023").respond_with_data("boom", status=500)
    egapro_api.expect_request("/api/public/declaration/552100554/2022").respond_with_data("boom", status=500)

    for year in (2023, 2022):
        with pytest.raises(http.SourceDown, match="erreur 500"):
            http.egapro_declaration(siren="552100554", year=year)
    started = time.monotonic()
    with pytest.raises(http.SourceDown, match="source indisponible"):
        http.egapro_declaration(siren="552100554", year=2024)

    # An open breaker answers at once: well under the 2-second timeout a call would wait (and no third request).
    assert time.monotonic() - started < settings.REGISTERS_TIMEOUT_SECONDS / 2
    assert len(egapro_api.log) == 2


def test_a_refused_connection_is_a_source_down(settings):
    settings.EGAPRO_API_BASE_URL = "http://127.0.0.1:9"

    with pytest.raises(http.SourceDown, match="connexion impossible"):
        http.egapro_declaration(siren="552100554", year=2024)


def test_a_source_without_base_url_is_off(settings):
    settings.COMPANY_REGISTER_BASE_URL = ""

    assert selectors.company_lookup(siret="55210055400013") == selectors.Lookup()
    with pytest.raises(http.SourceOff):
        http.company_by_siret(siret="55210055400013")


def test_the_company_of_a_siret(company_register):
    company_register.expect_request(
        "/search", query_string={"q": "55210055400013", "page": "1", "per_page": "5"}
    ).respond_with_json(recorded.COMPANY_SEARCH)

    facts = http.company_by_siret(siret="55210055400013")

    assert facts == http.CompanyFacts(
        siret="55210055400013",
        siren="552100554",
        name="ACME INDUSTRIE",
        headcount_bracket="32",
        naf="25.62B",
        administrative_status="A",
    )


def test_a_siret_the_register_does_not_know(company_register):
    company_register.expect_request("/search").respond_with_json(recorded.COMPANY_SEARCH_EMPTY)

    assert http.company_by_siret(siret="55210055400013") is None


def test_the_company_register_rate_limit(company_register, settings):
    settings.COMPANY_REGISTER_MAX_PER_SECOND = 2
    company_register.expect_request("/search").respond_with_json(recorded.COMPANY_SEARCH_EMPTY)

    outcomes = []
    for siret in ("55210055400013", "73282932000074", "44306184100047"):
        try:
            http.company_by_siret(siret=siret)
            outcomes.append("asked")
        except http.SourceDown:
            outcomes.append("held")

    # Within one second the third is held back (or, across a second boundary, asked).
    assert outcomes[:2] == ["asked", "asked"]
    searches = [request for request, _response in company_register.log if request.path == "/search"]
    assert len(searches) == outcomes.count("asked")
