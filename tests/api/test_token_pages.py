import datetime
import re

from django.urls import reverse
from django.utils import timezone

from api.models import ApiCall, ApiToken, hash_secret
from procurement.enums import Role
from procurement.templatetags.french import long_datetime
from tests.api.factories import bearer, new_token
from tests.utils import text_of


def test_an_administrator_creates_a_token_shown_once_and_stored_hashed(client, admin, organisation):
    client.force_login(admin)
    expires_on = timezone.localdate() + datetime.timedelta(days=90)

    page = client.post(
        reverse("api_tokens:create"), {"name": "Profil d'acheteur", "role": Role.BUYER, "expires_on": expires_on}
    )

    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("ecp_") and secret in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    token = ApiToken.objects.get(organisation=organisation)
    assert token.secret_hash == hash_secret(secret) and secret not in str(vars(token))
    assert (token.name, token.role, token.created_by) == ("Profil d'acheteur", Role.BUYER, admin)
    assert timezone.localtime(token.expires_at).date() == expires_on + datetime.timedelta(days=1)
    # The page then says « Expire le <the next day> à 0 h 00 »: the form's help says so beforehand (it said « ce
    # jour-là à minuit », which reads as the start of the chosen day as well as its end).
    form_page = text_of(client.get(reverse("api_tokens:create")))
    assert "il expire à la fin de ce jour, le lendemain à 0\u00a0h\u00a000" in form_page
    assert f"Expire le {long_datetime(timezone.localtime(token.expires_at))}." in text_of(page)
    # The list never shows it again, only its start.
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in listing and token.prefix in listing
    assert client.get(reverse("api:markets"), **bearer(secret)).status_code == 200


def test_a_past_or_far_expiry_is_refused(client, admin):
    client.force_login(admin)
    today = timezone.localdate()
    for expires_on, message in [
        (today, "Choisissez une date d'expiration après aujourd'hui."),
        (today + datetime.timedelta(days=3 * 365), "Choisissez une date d'expiration dans les 2 ans"),
    ]:
        page = client.post(reverse("api_tokens:create"), {"name": "X", "role": Role.BUYER, "expires_on": expires_on})
        assert page.status_code == 400
        assert message in page.context["form"].errors["expires_on"][0]
    assert not ApiToken.objects.exists()


def test_revoking_asks_to_confirm_then_refuses_the_token(client, admin, organisation):
    token, secret = new_token(organisation=organisation)
    client.force_login(admin)

    confirmation = client.get(reverse("api_tokens:revoke", kwargs={"pk": token.pk}))
    assert confirmation.status_code == 200
    assert "Révoquer le jeton" in confirmation.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    done = client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}))

    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin
    listed = text_of(client.get(reverse("api_tokens:list")))
    assert f"Le jeton «\u00a0{token.name}\u00a0» est révoqué\u00a0: ses prochains appels sont refusés." in listed
    assert f"Révoqué le {timezone.localtime(token.revoked_at):%d/%m/%Y}" in listed
    client.logout()
    assert client.get(reverse("api:markets"), **bearer(secret)).status_code == 401


def test_the_call_log_is_paginated_and_shows_the_organisations_calls_only(
    client, admin, organisation, other_organisation
):
    token, secret = new_token(organisation=organisation, name="Outil des facilitateurs")
    _other, other_secret = new_token(organisation=other_organisation, name="Jeton d'ailleurs")
    for _ in range(3):
        client.get(reverse("api:markets"), **bearer(secret))
    client.get(reverse("api:markets"), **bearer(other_secret))
    ApiCall.objects.bulk_create(
        [
            ApiCall(organisation=organisation, token=token, method="GET", path="/api/v1/responses/", status=200)
            for _ in range(60)
        ]
    )
    client.force_login(admin)

    first = client.get(reverse("api_tokens:calls"))
    second = client.get(reverse("api_tokens:calls"), {"page": 2})

    assert len(first.context["calls"]) == 50 and len(second.context["calls"]) == 13
    assert "Outil des facilitateurs" in first.content.decode()
    assert "Jeton d'ailleurs" not in first.content.decode() + second.content.decode()


def test_the_members_page_links_to_the_tokens_for_administrators(client, admin):
    client.force_login(admin)

    assert reverse("api_tokens:list") in client.get(reverse("members")).content.decode()


def test_the_token_list_names_each_date_column_as_a_date(client, admin, organisation):
    new_token(organisation=organisation)
    client.force_login(admin)

    listing = client.get(reverse("api_tokens:list")).content.decode()

    headers = re.findall(r'<th scope="col">(.*?)</th>', listing)
    assert headers == [
        "Nom",
        "Rôle",
        "Début du jeton",
        "Créé le",
        "Expire le",
        "Dernière utilisation",
        "Statut",
        "Action",
    ]
