"""Each person's own account: name (shown in the header), password, a new address confirmed by a link."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from procurement.accounts.services import profile as profile_services
from tests.procurement.factories import PASSWORD, UserFactory


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_the_name_is_saved_and_shown_in_the_header(buyer_client, buyer):
    response = buyer_client.post(
        reverse("profile"), {"first_name": " Dominique ", "last_name": "Lefebvre"}, follow=True
    )

    buyer.refresh_from_db()
    assert (buyer.first_name, buyer.last_name) == ("Dominique", "Lefebvre")
    header = _page(response).split('<header role="banner"', 1)[1].split("</header>", 1)[0]
    assert "Dominique Lefebvre" in header
    assert "Votre nom est enregistré." in _page(response)


def test_the_password_is_changed_and_the_session_kept(buyer_client, buyer):
    response = buyer_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Un-nouveau-mot-de-passe-7",
            "new_password2": "Un-nouveau-mot-de-passe-7",
        },
        follow=True,
    )

    buyer.refresh_from_db()
    assert buyer.check_password("Un-nouveau-mot-de-passe-7")
    assert "Votre mot de passe est changé." in _page(response)
    assert buyer_client.get(reverse("procurement:market_list")).status_code == 200


def test_a_wrong_current_password_is_said_in_french(buyer_client, buyer):
    response = buyer_client.post(
        reverse("password_change"),
        {
            "old_password": "pas-le-bon",
            "new_password1": "Un-nouveau-mot-de-passe-7",
            "new_password2": "Un-nouveau-mot-de-passe-7",
        },
    )

    assert response.status_code == 200
    assert "Le mot de passe n'a pas été changé" in _page(response)
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def _confirmation_path(message) -> str:
    url = next(line.strip() for line in message.body.splitlines() if "/compte/adresse/confirmer/" in line)
    return url.removeprefix("http://testserver")


def test_a_new_address_changes_only_once_its_link_is_followed(buyer_client, buyer, django_capture_on_commit_callbacks):
    old_email = buyer.email
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer_client.post(
            reverse("email_change"), {"new_email": "Nouvelle@Ville.Example", "password": PASSWORD}, follow=True
        )

    buyer.refresh_from_db()
    assert buyer.email == old_email
    assert "Un lien de confirmation a été envoyé à nouvelle@ville.example" in _page(response)
    (message,) = mail.outbox
    assert message.to == ["nouvelle@ville.example"]
    path = _confirmation_path(message)

    buyer_client.post(path)
    buyer.refresh_from_db()
    assert buyer.email == "nouvelle@ville.example"
    # Used once: the same link now says so and changes nothing.
    again = buyer_client.post(path)
    assert "Ce lien a déjà servi" in _page(again)


def test_the_address_change_needs_the_password(buyer_client, buyer):
    response = buyer_client.post(reverse("email_change"), {"new_email": "nouvelle@ville.example", "password": "faux"})

    assert "Ce mot de passe n'est pas le bon" in _page(response)
    assert mail.outbox == []


def test_an_address_of_another_account_is_refused(buyer_client, buyer):
    other = UserFactory()

    response = buyer_client.post(reverse("email_change"), {"new_email": other.email, "password": PASSWORD})

    assert "déjà celle d'un autre compte" in _page(response)


def test_a_confirmation_link_for_another_account_or_forged_is_refused(buyer):
    other = UserFactory()
    url = profile_services.email_change_url(user=other, new_email="x@ville.example")
    token = url.rstrip("/").rsplit("/", 1)[-1]

    with pytest.raises(profile_services.EmailChangeError, match="un autre compte"):
        profile_services.confirm_email_change(user=buyer, token=token)
    with pytest.raises(profile_services.EmailChangeError, match="n'est pas valable"):
        profile_services.confirm_email_change(user=other, token=token + "x")
