"""Second factor (TOTP): members may enrol, administrators must; a code is asked after the password."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from procurement.accounts.services import security as account_security
from procurement.enums import Role
from tests.procurement.factories import PASSWORD, member
from tests.utils import text_of

MARKETS = "/marches/"


@pytest.fixture(autouse=True)
def _required_for_admins(settings):
    settings.SECOND_FACTOR_REQUIRED_FOR_ADMINS = True


def _code(device: TOTPDevice, *, shift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += shift * device.step
    return f"{totp.token():06d}"


def _login(client, user):
    response = client.post("/connexion/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_a_buyer_without_device_signs_in_with_the_password_only(client, organisation):
    buyer = member(organisation=organisation, role=Role.BUYER)
    _login(client, buyer)
    assert client.get(MARKETS).status_code == 200


def test_an_administrator_must_enrol_before_any_staff_page(client, organisation):
    admin = member(organisation=organisation, role=Role.ADMIN)
    _login(client, admin)

    response = client.get(MARKETS)
    assert response.status_code == 302
    assert response["Location"] == "/compte/double-authentification/?next=%2Fmarches%2F"

    page = client.get("/compte/double-authentification/")
    assert "Étape obligatoire" in text_of(page)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    wrong = client.post("/compte/double-authentification/", {"token": "000000" if _code(device) != "000000" else "1"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    throttled = client.post("/compte/double-authentification/", {"token": _code(device)})
    assert "Trop de codes erronés" in text_of(throttled)
    device.refresh_from_db()
    device.throttle_reset()  # the wait is over

    done = client.post("/compte/double-authentification/", {"token": _code(device), "next": MARKETS})
    assert done["Location"] == MARKETS
    assert client.get(MARKETS).status_code == 200
    assert account_security.confirmed_device(user=admin) == device


def test_with_a_device_the_code_is_asked_after_the_password(client, organisation):
    buyer = member(organisation=organisation, role=Role.BUYER)
    device = TOTPDevice.objects.create(user=buyer, name="app", confirmed=True)
    _login(client, buyer)

    response = client.get(MARKETS)
    assert response["Location"] == "/connexion/code/?next=%2Fmarches%2F"

    refused = client.post("/connexion/code/", {"token": "12 34", "next": MARKETS})
    assert "Saisissez les 6 chiffres du code, sans lettre." in text_of(refused)
    assert client.get(MARKETS).status_code == 302

    accepted = client.post("/connexion/code/", {"token": _code(device), "next": MARKETS})
    assert accepted["Location"] == MARKETS
    assert client.get(MARKETS).status_code == 200


def test_a_wrong_code_is_refused_and_repeated_errors_are_throttled(client, organisation):
    buyer = member(organisation=organisation, role=Role.BUYER)
    device = TOTPDevice.objects.create(user=buyer, name="app", confirmed=True)
    _login(client, buyer)
    stale = _code(device, shift=-10)  # five minutes old

    first = client.post("/connexion/code/", {"token": stale})
    assert "Ce code n'est pas le bon" in text_of(first)
    second = client.post("/connexion/code/", {"token": _code(device)})
    # django-otp's throttle: after a failure, the next try must wait, even with the right code.
    assert "Trop de codes erronés" in text_of(second)
    assert client.get(MARKETS).status_code == 302


def test_an_administrator_cannot_remove_the_factor_a_buyer_can(client, organisation):
    admin = member(organisation=organisation, role=Role.ADMIN)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _login(client, admin)
    client.post("/connexion/code/", {"token": _code(device)})

    refused = client.post("/compte/double-authentification/", {"action": "disable"}, follow=True)
    assert "impose la double authentification" in text_of(refused)
    assert TOTPDevice.objects.filter(user=admin).exists()

    buyer = member(organisation=organisation, role=Role.BUYER)
    TOTPDevice.objects.create(user=buyer, name="app", confirmed=True)
    assert account_security.disable(user=buyer) is True
    assert not TOTPDevice.objects.filter(user=buyer).exists()


def test_the_candidates_annex_never_asks_for_a_code(client, organisation, market):
    admin = member(organisation=organisation, role=Role.ADMIN)
    _login(client, admin)
    response = client.get(f"/annexe/{market.candidate_token}/")
    assert response.status_code == 200


def test_a_platform_administrator_must_enrol_before_the_admin_site(client, django_user_model):
    superuser = django_user_model.objects.create_superuser(email="root@example.org", password=PASSWORD)
    _login(client, superuser)
    response = client.get("/admin/")
    assert response["Location"].startswith("/compte/double-authentification/")
