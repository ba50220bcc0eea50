"""The candidate's wizard: every step, good and bad values, French messages, and typed values kept."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from questionnaire.enums import QUESTIONNAIRE_VERSION, Commitment, EqualityIndexScheme, ResponseSource
from questionnaire.models import AnnexResponse, Draft
from questionnaire.wizard import (
    STEP_ATTACHMENTS,
    STEP_COMMITMENTS,
    STEP_GOVERNANCE,
    STEP_HEADCOUNT,
    STEP_POLICY,
    STEP_STRUCTURE,
    STEP_SUMMARY,
)
from tests.procurement.factories import LotFactory, MarketFactory
from tests.questionnaire.conftest import SIRET, fill_all, post_step, step_url, valid_steps
from tests.utils import text_of

HOUR = datetime.timedelta(hours=1)


def _input_value(response, name: str) -> str:
    """The value attribute of the named input as rendered (what the person sees in the field)."""
    form = response.context["form"]
    return form[name].value()


def test_market_link_shows_introduction_and_optional_notice(client, market):
    response = client.get(reverse("questionnaire:market_entry", args=[market.candidate_token]))

    page = text_of(response)
    assert response.status_code == 200
    assert "Répondre est facultatif" in page
    assert "ne conditionneront pas la recevabilité de la candidature" in page
    assert "compte parmi les objectifs de nos achats" in page  # default introduction
    # The default claims no commitment the buyer may not have made (a charter, a plan d'actions).
    assert "Charte" not in page and "plan d'actions" not in page
    assert market.reference in page


def test_buyer_introduction_replaces_the_default(client, market):
    from questionnaire.models import QuestionnaireSettings

    QuestionnaireSettings.objects.create(organisation=market.organisation, introduction="Merci de votre aide, 2026.")

    page = text_of(client.get(reverse("questionnaire:market_entry", args=[market.candidate_token])))

    assert "Merci de votre aide, 2026." in page
    assert "compte parmi les objectifs de nos achats" not in page
    assert "ne conditionneront pas la recevabilité" in page


def test_starting_creates_a_draft_for_the_market_and_remembers_it_in_this_browser(client, market):
    url = reverse("questionnaire:market_entry", args=[market.candidate_token])

    response = client.post(url)

    draft = Draft.objects.get()
    assert (draft.organisation, draft.market, draft.form_version) == (
        market.organisation,
        market,
        QUESTIONNAIRE_VERSION,
    )
    assert response["Location"] == step_url(draft, STEP_STRUCTURE)
    page = text_of(client.get(url))
    assert "Reprendre mon questionnaire en cours" in page
    assert reverse("questionnaire:resume", args=[draft.resume_token]) in page


def test_unknown_market_link_is_404(client):
    assert client.get(reverse("questionnaire:market_entry", args=["inconnu"])).status_code == 404


def test_generic_link_offers_the_recent_markets_of_the_buyer_only(client, organisation, other_organisation):
    today = datetime.date.today()
    recent = MarketFactory(organisation=organisation, published_on=today - datetime.timedelta(days=30))
    old = MarketFactory(organisation=organisation, published_on=today - datetime.timedelta(days=400))
    foreign = MarketFactory(organisation=other_organisation, published_on=today)

    client.post(reverse("questionnaire:organisation_entry", args=[organisation.slug]))
    draft = Draft.objects.get()
    response = client.get(step_url(draft, STEP_STRUCTURE))

    choices = list(response.context["form"].fields["market"].queryset)
    assert draft.market is None
    assert choices == [recent]
    assert old not in choices and foreign not in choices
    assert "Aucun marché en particulier" in text_of(response)


def test_generic_link_does_not_offer_a_market_whose_link_is_closed(client, organisation):
    today = datetime.date.today()
    now = timezone.now()
    published = today - datetime.timedelta(days=30)
    open_market = MarketFactory(organisation=organisation, published_on=published, bid_deadline=now + HOUR)
    closed = MarketFactory(organisation=organisation, published_on=published, bid_deadline=now - HOUR)
    reopened = MarketFactory(
        organisation=organisation, published_on=published, bid_deadline=now - 2 * HOUR, annex_reopened_at=now - HOUR
    )

    client.post(reverse("questionnaire:organisation_entry", args=[organisation.slug]))
    draft = Draft.objects.get()
    response = client.get(step_url(draft, STEP_STRUCTURE))

    choices = set(response.context["form"].fields["market"].queryset)
    assert choices == {open_market, reopened}
    assert closed not in choices


def test_generic_link_answer_is_filed_under_the_chosen_market(client, organisation):
    market = MarketFactory(organisation=organisation, published_on=datetime.date.today())
    client.post(reverse("questionnaire:organisation_entry", args=[organisation.slug]))
    draft = Draft.objects.get()
    steps = valid_steps()
    steps[STEP_STRUCTURE]["market"] = str(market.pk)

    fill_all(client, draft, steps)

    assert AnnexResponse.objects.get().market == market


def test_lot_is_asked_when_the_market_has_lots(client, market, draft):
    lot = LotFactory(market=market, number=2, title="Plomberie")
    steps = valid_steps()
    steps[STEP_STRUCTURE]["lot"] = str(lot.pk)

    page = text_of(client.get(step_url(draft, STEP_STRUCTURE)))
    fill_all(client, draft, steps)

    assert "Lot 2 — Plomberie" in page
    assert AnnexResponse.objects.get().lot == lot


def test_stepper_says_step_n_of_7(client, draft):
    page = text_of(client.get(step_url(draft, STEP_GOVERNANCE)))

    assert "Étape 3 sur 7" in page
    assert 'class="fr-stepper"' in page
    # django-dsfr's French: a no-break space before the colon.
    assert "Étape suivante\u00a0:" in page and "Politique interne" in page


# --- Bad values: French message, typed values kept --------------------------------------------------------------


def test_bad_siret_keeps_what_was_typed(client, draft):
    data = {**valid_steps()[STEP_STRUCTURE], "siret": "73245678912345"}

    response = post_step(client, draft, STEP_STRUCTURE, data)

    page = text_of(response)
    assert response.status_code == 200
    assert "Ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte)." in page
    assert _input_value(response, "siret") == "73245678912345"
    assert _input_value(response, "structure_name") == "Bâtiments du Hainaut"
    draft.refresh_from_db()
    assert draft.data[STEP_STRUCTURE]["siret"] == "73245678912345"  # saved, even invalid


def test_siret_of_13_digits_is_refused(client, draft):
    response = post_step(client, draft, STEP_STRUCTURE, {**valid_steps()[STEP_STRUCTURE], "siret": "1234567890123"})

    assert "Le SIRET doit comporter exactement 14 chiffres." in text_of(response)


def test_siret_with_spaces_is_read(client, draft):
    spaced = f"{SIRET[:3]} {SIRET[3:6]} {SIRET[6:9]} {SIRET[9:]}"

    response = post_step(client, draft, STEP_STRUCTURE, {**valid_steps()[STEP_STRUCTURE], "siret": spaced})

    assert response.status_code == 302


def test_missing_email_is_explained(client, draft):
    response = post_step(client, draft, STEP_STRUCTURE, {**valid_steps()[STEP_STRUCTURE], "contact_email": ""})

    assert "Indiquez une adresse électronique\u00a0: l'accusé de réception y sera envoyé." in text_of(response)


def test_negative_headcount_keeps_the_grid(client, draft):
    data = {**valid_steps()[STEP_HEADCOUNT], "cadres_h": "-3", "non_cadres_f": "17"}

    response = post_step(client, draft, STEP_HEADCOUNT, data)

    page = text_of(response)
    assert response.status_code == 200
    assert "L'effectif doit être un nombre entier positif ou nul." in page
    assert _input_value(response, "cadres_h") == "-3"
    assert _input_value(response, "non_cadres_f") == "17"
    assert 'aria-invalid="true"' in page


def test_headcount_totals_are_computed_by_the_server(client, draft):
    data = {
        "cadres_f": "2",
        "cadres_h": "3",
        "cadres_nb": "",
        "cadres_nsp": "1",
        "non_cadres_f": "10",
        "non_cadres_h": "abc",
        "non_cadres_nb": "0",
        "non_cadres_nsp": "",
    }

    response = post_step(client, draft, STEP_HEADCOUNT, data)

    grid = response.context["form"].grid()
    assert [row["total"] for row in grid["rows"]] == [2 + 3 + 1, 10]
    assert [column["total"] for column in grid["column_totals"]] == [12, 3, 0, 1]
    assert grid["total"] == 16
    assert "Saisissez un nombre entier positif ou nul" in text_of(response)


def test_the_phone_list_of_headcount_errors_goes_on_in_lower_case_after_the_colon(client, draft):
    data = {**valid_steps()[STEP_HEADCOUNT], "cadres_h": "-3", "non_cadres_f": "abc"}

    page = text_of(post_step(client, draft, STEP_HEADCOUNT, data))

    assert "Cadres, hommes\u00a0: l'effectif doit être un nombre entier positif ou nul." in page
    assert "Non cadres, femmes\u00a0: saisissez un nombre entier positif ou nul (sans espace ni virgule)." in page


def test_headcounts_and_their_totals_write_thousands_the_french_way(client, draft):
    # 3,000 people: cadres 300 F + 600 H = 900; non cadres 750 F + 1,349 H + 1 NB = 2,100; women 1,050.
    fill_all(client, draft, valid_steps(staff=3000), until=STEP_SUMMARY)

    summary = client.get(step_url(draft, STEP_SUMMARY)).content.decode()
    step = client.get(step_url(draft, STEP_HEADCOUNT)).content.decode()

    for cell in ("1\u202f349", "2\u202f100", "1\u202f050", "3\u202f000"):
        assert f"<td>{cell}</td>" in summary
    for total in ("2\u202f100", "1\u202f050", "3\u202f000"):
        assert f">{total}</output>" in step


def test_all_zero_headcount_is_a_warning_not_an_error(client, draft):
    data = dict.fromkeys(valid_steps()[STEP_HEADCOUNT], "0")

    response = post_step(client, draft, STEP_HEADCOUNT, data, follow=True)

    page = text_of(response)
    assert response.redirect_chain[-1][0] == step_url(draft, STEP_GOVERNANCE)
    assert "Vous avez indiqué un effectif total de 0." in page


def test_board_share_is_required_when_there_is_a_board(client, draft):
    data = {**valid_steps()[STEP_GOVERNANCE], "board_women_pct": ""}

    response = post_step(client, draft, STEP_GOVERNANCE, data)

    assert "Indiquez la part de femmes dans votre conseil d'administration (entre 0 et 100\u00a0%)." in text_of(
        response
    )
    assert _input_value(response, "president") == "F"


def test_board_share_above_100_is_refused(client, draft):
    data = {**valid_steps()[STEP_GOVERNANCE], "board_women_pct": "120"}

    response = post_step(client, draft, STEP_GOVERNANCE, data)

    assert "La part de femmes dans le CA doit être comprise entre 0 et 100\u00a0%." in text_of(response)
    assert _input_value(response, "board_women_pct") == "120"


def test_board_share_is_ignored_without_a_board(client, draft):
    steps = valid_steps()
    steps[STEP_GOVERNANCE].update(has_board="non", board_women_pct="55")

    fill_all(client, draft, steps)

    stored = AnnexResponse.objects.get()
    assert stored.has_board is False
    assert stored.board_women_pct is None


def test_policy_of_1001_characters_is_refused_and_kept(client, draft):
    fill_all(client, draft, until=STEP_POLICY)
    text = "é" * 1001

    response = post_step(client, draft, STEP_POLICY, {**valid_steps()[STEP_POLICY], "policy_text": text})

    assert "Le texte ne doit pas dépasser 1\u202f000 caractères (vous en avez saisi 1\u202f001)" in text_of(response)
    assert _input_value(response, "policy_text") == text


def test_policy_of_1000_characters_is_accepted(client, draft):
    fill_all(client, draft, until=STEP_POLICY)

    response = post_step(client, draft, STEP_POLICY, {**valid_steps()[STEP_POLICY], "policy_text": "a" * 1000})

    assert response.status_code == 302


@pytest.mark.parametrize("score", ["101", "-1"])
def test_index_out_of_range_is_refused(client, draft, score):
    fill_all(client, draft, until=STEP_POLICY)

    response = post_step(client, draft, STEP_POLICY, {**valid_steps()[STEP_POLICY], "equality_index_score": score})

    assert "La note de l'index doit être comprise entre 0 et 100." in text_of(response)
    assert str(_input_value(response, "equality_index_score")) == score


def test_index_is_not_asked_below_50_employees(client, draft):
    steps = valid_steps(staff=49)
    fill_all(client, draft, steps, until=STEP_POLICY)

    response = client.get(step_url(draft, STEP_POLICY))

    assert "equality_index_status" not in response.context["form"].fields
    assert "ne vous concerne pas d'après vos effectifs" in text_of(response)


def test_index_not_computable_stores_no_score(client, draft):
    steps = valid_steps()
    steps[STEP_POLICY].update(equality_index_status="not_computable", equality_index_score="77")

    fill_all(client, draft, steps)

    stored = AnnexResponse.objects.get()
    assert (stored.equality_index_status, stored.equality_index_score) == ("not_computable", None)


def test_commitment_yes_without_detail_is_refused(client, draft):
    data = {**valid_steps()[STEP_COMMITMENTS], "commitment_label": "oui", "commitment_label_detail": "  "}

    response = post_step(client, draft, STEP_COMMITMENTS, data)

    assert (
        "Vous avez répondu oui\u00a0: détaillez «\u00a0Détention d'un label égalité\u00a0» en quelques mots."
        in text_of(response)
    )
    assert _input_value(response, "commitment_label") == "oui"
    assert (
        _input_value(response, "commitment_agreements_detail") == "Accord d'entreprise sur l'égalité professionnelle."
    )


def test_commitment_without_answer_is_explained(client, draft):
    data = {**valid_steps()[STEP_COMMITMENTS]}
    del data["commitment_events"]

    response = post_step(client, draft, STEP_COMMITMENTS, data)

    assert "Répondez oui ou non pour «\u00a0Événements / communication\u00a0»." in text_of(response)


# --- The whole path ---------------------------------------------------------------------------------------------


def test_summary_shows_every_answer_with_a_modify_link_per_step(client, draft):
    fill_all(client, draft, until=STEP_SUMMARY)

    response = client.get(step_url(draft, STEP_SUMMARY))

    page = text_of(response)
    assert "Bâtiments du Hainaut" in page and SIRET in page
    assert "37,5\u00a0%" in page
    assert "88 / 100 (publiée en 2024)" in page
    assert "Oui\u00a0: Formation des managers aux biais." in page
    # Every step has its link, the attachments' too (else only « Précédent » would lead back to them).
    for step in (STEP_STRUCTURE, STEP_HEADCOUNT, STEP_GOVERNANCE, STEP_POLICY, STEP_COMMITMENTS, STEP_ATTACHMENTS):
        assert f'href="{step_url(draft, step)}"' in page
    assert page.count(">Modifier<") == 6


def test_submit_stores_every_answer(client, draft, market):
    response = fill_all(client, draft)

    stored = AnnexResponse.objects.get()
    assert response["Location"] == reverse("questionnaire:confirmation", args=[draft.resume_token])
    assert (stored.organisation, stored.market, stored.draft) == (market.organisation, market, draft)
    assert stored.source == ResponseSource.ONLINE
    assert stored.entered_by is None
    assert stored.form_version == QUESTIONNAIRE_VERSION
    assert (stored.structure_name, stored.siret, stored.siren) == ("Bâtiments du Hainaut", SIRET, SIRET[:9])
    assert stored.structure_key == f"siren:{SIRET[:9]}"
    assert stored.contact_email == "rh@batiments.fr"
    headcount = valid_steps()[STEP_HEADCOUNT]
    assert stored.staff_total == sum(int(value or 0) for value in headcount.values())
    assert stored.non_cadres_nb == 1
    assert (stored.has_board, stored.board_women_pct) == (True, Decimal("37.50"))
    assert (stored.president, stored.secretary, stored.treasurer) == ("F", "H", "sans_objet")
    assert stored.volunteers_women_pct is None
    assert (stored.equality_index_status, stored.equality_index_score, stored.equality_index_year) == (
        "score",
        88,
        2024,
    )
    assert stored.equality_index_scheme == EqualityIndexScheme.INDEX_EGAPRO
    answered_yes = {commitment for commitment, yes, _detail in stored.commitments() if yes}
    assert answered_yes == {Commitment.AGREEMENTS, Commitment.TRAINING}
    assert stored.commitment_training_detail == "Formation des managers aux biais."
    assert stored.receipt_number.startswith(f"AE-{stored.submitted_at.year}-")
    draft.refresh_from_db()
    assert draft.submitted_at is not None


def test_summary_refuses_a_skipped_step(client, draft):
    steps = valid_steps()
    del steps[STEP_GOVERNANCE]
    for step, data in steps.items():
        post_step(client, draft, step, data)

    assert AnnexResponse.objects.count() == 0
    response = post_step(client, draft, STEP_SUMMARY, {}, follow=True)
    assert response.redirect_chain[-1][0] == step_url(draft, STEP_GOVERNANCE)
    assert "L'étape «\u00a0Gouvernance\u00a0» est incomplète" in text_of(response)


def test_previous_button_keeps_what_was_typed(client, draft):
    data = {**valid_steps()[STEP_HEADCOUNT], "cadres_f": "-1", "wizard_goto_step": STEP_STRUCTURE}

    response = post_step(client, draft, STEP_HEADCOUNT, data)

    assert response["Location"] == step_url(draft, STEP_STRUCTURE)
    back = client.get(step_url(draft, STEP_HEADCOUNT))
    assert _input_value(back, "cadres_f") == "-1"


def test_a_submitted_draft_opens_its_receipt(client, draft):
    fill_all(client, draft)

    response = client.get(step_url(draft, STEP_STRUCTURE))

    assert response["Location"] == reverse("questionnaire:confirmation", args=[draft.resume_token])


def test_another_draft_token_is_404(client):
    assert client.get(reverse("questionnaire:wizard_step", args=["nope", STEP_STRUCTURE])).status_code == 404
