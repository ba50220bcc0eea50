"""The annex's first step and the company register (served on loopback by pytest-httpserver, never the internet):
the SIRET fills the structure's name, the register's facts are recorded with the response, and a source down or
off never stops nor holds the candidate more than 2 seconds."""

import threading
import time

import pytest
from werkzeug import Response

from questionnaire.models import AnnexResponse
from questionnaire.wizard import LOOKUP_FIELD, STEP_HEADCOUNT, STEP_STRUCTURE
from tests.questionnaire.conftest import fill_all, post_step, step_url, valid_steps
from tests.registers import recorded
from tests.utils import text_of

SIRET = "55210055400013"


@pytest.fixture
def register(httpserver, settings):
    settings.COMPANY_REGISTER_BASE_URL = httpserver.url_for("/").rstrip("/")
    return httpserver


def look_up(client, draft, *, name="", siret=SIRET):
    data = {"structure_name": name, "siret": siret, "contact_email": "", LOOKUP_FIELD: "1"}
    return post_step(client, draft, STEP_STRUCTURE, data)


def test_the_siret_fills_the_name_and_the_register_is_recorded_with_the_response(client, draft, register):
    register.expect_request("/search").respond_with_json(recorded.COMPANY_SEARCH)

    response = look_up(client, draft)

    assert response["Location"] == step_url(draft, STEP_STRUCTURE)
    page = client.get(response["Location"])
    assert page.context["form"]["structure_name"].value() == "ACME INDUSTRIE"
    assert "Nom trouvé au répertoire des entreprises\u00a0: «\u00a0ACME INDUSTRIE\u00a0»" in text_of(page)
    draft.refresh_from_db()
    assert draft.data[STEP_STRUCTURE]["siret"] == SIRET  # what was typed is kept
    # The candidate corrects the name and goes on; the corrected name is the one sent.
    steps = valid_steps(siret=SIRET)
    steps[STEP_STRUCTURE]["structure_name"] = "ACME Industrie (atelier de Douai)"
    fill_all(client, draft, steps)

    answer = AnnexResponse.objects.get()
    assert answer.structure_name == "ACME Industrie (atelier de Douai)"
    assert (answer.register_name, answer.register_headcount_bracket, answer.register_naf, answer.register_status) == (
        "ACME INDUSTRIE",
        "32",
        "25.62B",
        "A",
    )
    assert answer.register_checked_at is not None
    assert len(register.log) == 1  # the forward step reused what the look-up found


def test_a_name_the_candidate_typed_is_never_replaced(client, draft, register):
    register.expect_request("/search").respond_with_json(recorded.COMPANY_SEARCH)

    page = client.get(look_up(client, draft, name="Acme Douai")["Location"])

    assert page.context["form"]["structure_name"].value() == "Acme Douai"
    assert "connaît ce SIRET sous le nom «\u00a0ACME INDUSTRIE\u00a0»" in text_of(page)


def test_moving_on_records_the_register_without_the_button(client, draft, register):
    register.expect_request("/search").respond_with_json(recorded.COMPANY_SEARCH_CLOSED)
    steps = valid_steps(siret="73282932000074")

    fill_all(client, draft, steps)

    answer = AnnexResponse.objects.get()
    assert answer.structure_name == "Bâtiments du Hainaut"
    assert (answer.register_status, answer.register_headcount_bracket) == ("C", "11")


def test_a_register_that_does_not_answer_holds_the_step_2_seconds_at_most(client, draft, register):
    release = threading.Event()

    def hanging(request):
        release.wait(10)
        return Response("{}", content_type="application/json")

    register.expect_request("/search").respond_with_handler(hanging)
    started = time.monotonic()
    try:
        response = look_up(client, draft)
        elapsed = time.monotonic() - started
        page = client.get(response["Location"])
        # Moving on while the source hangs: the step goes on too, within the same bound.
        started = time.monotonic()
        forward = post_step(client, draft, STEP_STRUCTURE, valid_steps(siret=SIRET)[STEP_STRUCTURE])
        forward_elapsed = time.monotonic() - started
    finally:
        release.set()

    assert response.status_code == 302
    assert elapsed < 2.5
    assert "Le répertoire des entreprises ne répond pas pour le moment (délai de réponse dépassé)" in text_of(page)
    assert "Saisissez le nom de votre structure\u00a0: vous pouvez continuer." in text_of(page)
    assert page.status_code == 200
    assert forward["Location"] == step_url(draft, STEP_HEADCOUNT)
    assert forward_elapsed < 2.5


def test_a_register_in_error_shows_a_notice_not_an_error(client, draft, register):
    register.expect_request("/search").respond_with_data("Internal Server Error", status=500)

    page = client.get(look_up(client, draft)["Location"])

    assert page.status_code == 200
    assert "ne répond pas pour le moment (erreur 500 de la source)" in text_of(page)


def test_without_a_register_the_step_offers_no_look_up(client, draft, settings):
    settings.COMPANY_REGISTER_BASE_URL = ""

    page = client.get(step_url(draft, STEP_STRUCTURE))

    assert "Trouver le nom de ma structure par son SIRET" not in text_of(page)
    fill_all(client, draft)
    assert AnnexResponse.objects.get().register_checked_at is None


def test_the_look_up_button_shows_when_the_register_is_configured(client, draft, register):
    page = client.get(step_url(draft, STEP_STRUCTURE))

    assert "Trouver le nom de ma structure par son SIRET" in text_of(page)
    assert not register.log  # showing the step asks nothing
