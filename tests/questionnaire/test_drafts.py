"""Nothing is lost: the draft keeps every step, the resume link works anywhere, a CSRF failure keeps the values."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from questionnaire.forms import ResumeLinkForm
from questionnaire.models import Draft
from questionnaire.wizard import STEP_COMMITMENTS, STEP_GOVERNANCE, STEP_HEADCOUNT, STEP_STRUCTURE
from tests.questionnaire.conftest import fill_all, post_step, step_url, valid_steps
from tests.utils import elements_of, text_of


def test_every_step_is_saved_in_the_draft_as_typed(client, draft):
    fill_all(client, draft, until=STEP_COMMITMENTS)

    draft.refresh_from_db()
    assert draft.data[STEP_STRUCTURE]["structure_name"] == "Bâtiments du Hainaut"
    assert draft.data[STEP_HEADCOUNT]["cadres_nsp"] == ""
    assert draft.data[STEP_GOVERNANCE]["board_women_pct"] == "37,5"
    assert draft.current_step == STEP_COMMITMENTS
    assert draft.contact_email == "rh@batiments.fr"
    assert "csrfmiddlewaretoken" not in draft.data[STEP_STRUCTURE]


def test_resume_link_in_a_fresh_client_brings_back_every_answer(client, draft):
    fill_all(client, draft, until=STEP_COMMITMENTS)
    post_step(client, draft, STEP_COMMITMENTS, {"commitment_agreements": "oui", "commitment_agreements_detail": ""})

    fresh = Client()
    response = fresh.get(reverse("questionnaire:resume", args=[draft.resume_token]), follow=True)

    assert response.redirect_chain[-1][0] == step_url(draft, STEP_COMMITMENTS)
    form = response.context["form"]
    assert form["commitment_agreements"].value() == "oui"
    headcount = fresh.get(step_url(draft, STEP_HEADCOUNT)).context["form"]
    assert headcount["cadres_f"].value() == valid_steps()[STEP_HEADCOUNT]["cadres_f"]
    structure = fresh.get(step_url(draft, STEP_STRUCTURE)).context["form"]
    assert structure["siret"].value() == valid_steps()[STEP_STRUCTURE]["siret"]


def test_resume_link_is_shown_on_every_step(client, draft):
    page = text_of(client.get(step_url(draft, STEP_GOVERNANCE)))

    assert f"http://testserver/annexe/reprendre/{draft.resume_token}/" in page


def test_resume_token_has_at_least_128_bits(draft):
    # token_urlsafe: 6 bits per character.
    assert len(draft.resume_token) * 6 >= 128


def test_resume_link_by_email(client, draft):
    response = client.post(
        reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": "moi@exemple.fr"}, follow=True
    )

    assert "Le lien de reprise a été envoyé à moi@exemple.fr." in text_of(response)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["moi@exemple.fr"]
    assert f"/annexe/reprendre/{draft.resume_token}/" in mail.outbox[0].body


def test_resume_link_by_email_needs_a_valid_address(client, draft):
    response = client.post(
        reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": "pas-une-adresse"}, follow=True
    )

    assert "Saisissez une adresse électronique valide" in text_of(response)
    assert mail.outbox == []


def test_the_resume_link_form_leaves_checking_to_the_server_and_keeps_what_was_typed(client, draft):
    """No browser bubble in the browser's language: the form has `novalidate`, and the server's French error is
    shown under the field, which keeps the address as typed; the page opens at the form."""
    step = step_url(draft, STEP_STRUCTURE)
    form = next(
        e for e in elements_of(client.get(step)) if e.tag == "form" and "envoyer-le-lien" in e.attrs.get("action", "")
    )
    assert "novalidate" in form.attrs

    response = client.post(
        reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": "moi@exemple"}
    )
    assert response["Location"] == f"{step}#reprise"
    page = client.get(step)

    email = next(e for e in elements_of(page) if e.attrs.get("id") == "id_resume_email")
    assert email.attrs["value"] == "moi@exemple"
    assert email.attrs["aria-invalid"] == "true"
    assert "id_resume_email-desc-error" in email.attrs["aria-describedby"].split()
    error = next(e for e in elements_of(page) if e.attrs.get("id") == "id_resume_email-desc-error")
    assert error.tag == "div"
    assert "Saisissez une adresse électronique valide, par exemple nom@domaine.fr." in text_of(page)
    assert "fr-input-group--error" in page.content.decode()
    # Once: the next page shows the field as before.
    again = next(e for e in elements_of(client.get(step)) if e.attrs.get("id") == "id_resume_email")
    assert "aria-invalid" not in again.attrs
    assert mail.outbox == []


def test_the_resume_link_field_is_the_forms_own_rendering_and_the_session_keeps_the_address_not_its_error(
    client, draft
):
    """Label, hint and error come from ResumeLinkForm, drawn by the DSFR field template: the refused address is
    validated again on the page it comes back to, rather than an error text carried in the session."""
    step = step_url(draft, STEP_STRUCTURE)
    client.post(reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": "moi@exemple"})
    assert "Saisissez" not in str(dict(client.session))

    page = client.get(step).content.decode()

    assert str(ResumeLinkForm({"email": "moi@exemple"})["email"].as_field_group()) in page
    assert str(ResumeLinkForm(initial={"email": ""})["email"].as_field_group()) in client.get(step).content.decode()


def test_an_empty_address_comes_back_with_its_own_error(client, draft):
    client.post(reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": ""})

    page = client.get(step_url(draft, STEP_STRUCTURE))

    email = next(e for e in elements_of(page) if e.attrs.get("id") == "id_resume_email")
    assert email.attrs.get("value", "") == "" and email.attrs["aria-invalid"] == "true"
    assert "Indiquez l'adresse électronique à laquelle envoyer le lien." in text_of(page)
    assert "required" not in email.attrs  # one field: no asterisk, the server says what is missing
    assert mail.outbox == []


def test_a_huge_refused_address_is_kept_only_up_to_an_address_s_maximum_length(client, draft):
    # The typed address is kept in the session to be shown again: a 100,000-character one was kept whole.
    client.post(reverse("questionnaire:send_resume_link", args=[draft.resume_token]), {"email": "a" * 100_000})

    page = client.get(step_url(draft, STEP_STRUCTURE))

    email = next(e for e in elements_of(page) if e.attrs.get("id") == "id_resume_email")
    assert email.attrs["value"] == "a" * 320
    assert email.attrs["aria-invalid"] == "true"
    assert len(str(dict(client.session))) < 5_000
    assert mail.outbox == []


def test_unknown_resume_token_is_404(client):
    assert client.get(reverse("questionnaire:resume", args=["x" * 32])).status_code == 404


def test_expired_session_loses_nothing(client, draft):
    """The wizard does not depend on the session: a client whose session is gone continues the same draft."""
    post_step(client, draft, STEP_STRUCTURE, valid_steps()[STEP_STRUCTURE])
    client.cookies.clear()

    response = post_step(client, draft, STEP_HEADCOUNT, valid_steps()[STEP_HEADCOUNT])

    assert response["Location"] == step_url(draft, STEP_GOVERNANCE)
    draft.refresh_from_db()
    assert set(draft.data) == {STEP_STRUCTURE, STEP_HEADCOUNT}


def test_csrf_failure_on_a_step_keeps_what_was_typed(draft):
    browser = Client(enforce_csrf_checks=True)  # no CSRF cookie: as after an expired token
    data = {**valid_steps()[STEP_HEADCOUNT], "cadres_h": "-4"}

    response = post_step(browser, draft, STEP_HEADCOUNT, data, follow=True)

    page = text_of(response)
    assert response.redirect_chain[0] == (step_url(draft, STEP_HEADCOUNT), 302)
    assert "Votre session avait expiré\u00a0: ce que vous aviez saisi à cette étape a été conservé." in page
    assert response.context["form"]["cadres_h"].value() == "-4"
    draft.refresh_from_db()
    assert draft.data[STEP_HEADCOUNT]["cadres_h"] == "-4"


def test_csrf_failure_from_another_site_is_refused_and_stores_nothing(draft):
    browser = Client(enforce_csrf_checks=True)

    response = post_step(
        browser, draft, STEP_STRUCTURE, valid_steps()[STEP_STRUCTURE], HTTP_ORIGIN="https://attaquant.example"
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.data == {}


@pytest.mark.parametrize("step", ["pieces-jointes", "recapitulatif"])
def test_csrf_failure_on_files_or_submission_is_a_403_that_says_how_to_send_again(draft, step):
    browser = Client(enforce_csrf_checks=True)

    response = post_step(browser, draft, step, {}, HTTP_REFERER=f"http://testserver{step_url(draft, step)}")

    assert response.status_code == 403
    page = text_of(response)
    assert "Votre formulaire n'a pas pu être envoyé" in page
    assert "il bloque peut-être les cookies de ce site" in page
    assert "DEBUG" not in page
    assert f'href="http://testserver{step_url(draft, step)}"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_csrf_failure_elsewhere_is_the_sites_403_page_without_a_link_to_another_site(client):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        reverse("login"), {"username": "a@b.fr", "password": "x"}, HTTP_REFERER="https://attaquant.example/connexion/"
    )

    assert response.status_code == 403
    assert "Votre formulaire n'a pas pu être envoyé" in text_of(response)
    assert "attaquant.example" not in response.content.decode()
    assert "Revenir à la page du formulaire" not in text_of(response)


def test_two_tabs_on_two_steps_do_not_clobber_each_other(client, draft):
    tab_a, tab_b = Client(), Client()

    post_step(tab_a, draft, STEP_STRUCTURE, valid_steps()[STEP_STRUCTURE])
    post_step(tab_b, draft, STEP_GOVERNANCE, valid_steps()[STEP_GOVERNANCE])

    assert set(Draft.objects.get(pk=draft.pk).data) == {STEP_STRUCTURE, STEP_GOVERNANCE}
