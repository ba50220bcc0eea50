"""Staff accounts: login by email, throttling, logout, password reset, sessions, Django admin, access rules."""

import re
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from procurement.enums import Role
from procurement.models import User
from tests.procurement.factories import PASSWORD, MarketFactory, UserFactory, member
from tests.utils import text_of

LOGIN_URL = reverse("login")
WRONG_LOGIN = "Adresse électronique ou mot de passe incorrect."
LOCKED = "Trop de tentatives de connexion échouées."


def log_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Login ---------------------------------------------------------------------------------------------------


def test_login_with_email_lands_on_the_markets(client, buyer):
    response = log_in(client, buyer.email)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(response.url).url == reverse("procurement:market_list")
    assert is_logged_in(client)


def test_login_page_speaks_french(client):
    page = text_of(client.get(LOGIN_URL))

    assert "Adresse électronique" in page
    assert "Mot de passe" in page
    assert "Mot de passe oublié\u00a0?" in page


def test_login_ignores_the_case_and_spaces_of_the_email(client, organisation):
    user = member(organisation=organisation)

    response = log_in(client, f"  {user.email.upper()} ")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_follows_next_within_the_site(client, buyer, market):
    detail = reverse("procurement:market_detail", kwargs={"pk": market.pk})

    response = client.post(f"{LOGIN_URL}?next={detail}", {"username": buyer.email, "password": PASSWORD})

    assert response.url == detail


def test_login_does_not_follow_next_to_another_site(client, buyer):
    response = client.post(
        f"{LOGIN_URL}?next=https://pirate.example/", {"username": buyer.email, "password": PASSWORD}
    )

    assert response.url == reverse("home")


def test_wrong_password_says_so_in_french(client, buyer):
    response = log_in(client, buyer.email, "pas-le-bon-mot-de-passe")

    assert response.status_code == 200
    assert WRONG_LOGIN in text_of(response)
    assert not is_logged_in(client)


def test_unknown_email_gets_the_same_message(client):
    response = log_in(client, "inconnu@example.org", "pas-le-bon-mot-de-passe")

    assert WRONG_LOGIN in text_of(response)


def test_a_deactivated_account_cannot_log_in(client, buyer):
    buyer.is_active = False
    buyer.save()

    response = log_in(client, buyer.email)

    assert WRONG_LOGIN in text_of(response)
    assert not is_logged_in(client)


def test_login_is_locked_after_repeated_failures(client, buyer):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert WRONG_LOGIN in text_of(log_in(client, buyer.email, "mauvais"))

    response = log_in(client, buyer.email)

    page = text_of(response)
    assert LOCKED in page
    assert f"Réessayez dans {settings.LOGIN_LOCKOUT_SECONDS // 60} minutes" in page
    assert "réinitialisez votre mot de passe" in page
    assert not is_logged_in(client)


def test_failures_below_the_limit_do_not_lock(client, buyer):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        log_in(client, buyer.email, "mauvais")

    assert log_in(client, buyer.email).status_code == 302


def test_a_success_clears_the_failures(client, buyer):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        log_in(client, buyer.email, "mauvais")
    log_in(client, buyer.email)
    client.post(reverse("logout"))

    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        log_in(client, buyer.email, "mauvais")

    assert log_in(client, buyer.email).status_code == 302


def test_the_lock_is_per_email(client, organisation, buyer):
    colleague = member(organisation=organisation, role=Role.EQUALITY_OFFICER)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        log_in(client, buyer.email, "mauvais")

    assert LOCKED in text_of(log_in(client, buyer.email))
    assert log_in(client, colleague.email).status_code == 302


def test_the_lock_ignores_the_case_of_the_email(client, buyer):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        log_in(client, buyer.email.upper(), "mauvais")

    assert LOCKED in text_of(log_in(client, buyer.email))


def test_one_address_guessing_many_emails_is_locked_too(client, organisation, buyer):
    # Many emails tried from one IP address: the address is locked, whichever account it tries next.
    for index in range(settings.LOGIN_MAX_FAILURES * 4):
        log_in(client, f"essai{index}@example.org", "mauvais")

    assert LOCKED in text_of(log_in(client, buyer.email))


def test_the_admin_login_is_throttled_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(admin_login, {"username": admin.email, "password": "mauvais"})

    response = client.post(admin_login, {"username": admin.email, "password": PASSWORD})

    assert LOCKED in text_of(response)
    assert not is_logged_in(client)


# --- Logout --------------------------------------------------------------------------------------------------


def test_logout_by_post(buyer_client):
    response = buyer_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert not is_logged_in(buyer_client)
    assert buyer_client.get(reverse("procurement:market_list")).status_code == 302


def test_logout_by_get_is_refused(buyer_client):
    response = buyer_client.get(reverse("logout"))

    assert response.status_code == 405
    assert is_logged_in(buyer_client)


def test_every_staff_page_offers_the_logout_button(buyer_client):
    page = text_of(buyer_client.get(reverse("procurement:market_list")))

    assert f'action="{reverse("logout")}"' in page
    assert "Se déconnecter" in page


# --- Password reset ------------------------------------------------------------------------------------------


def test_password_reset_end_to_end(client, buyer):
    response = client.post(reverse("password_reset"), {"email": buyer.email.upper()})

    assert response.url == reverse("password_reset_done")
    assert "Vérifiez votre messagerie" in text_of(client.get(response.url))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [buyer.email]
    assert message.subject == f"Réinitialisation de votre mot de passe — {settings.PLATFORM_NAME}"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in text_of(form_page)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "Un-nouveau-mot-de-passe-2026", "new_password2": "Un-nouveau-mot-de-passe-2026"},
    )

    assert done.url == reverse("password_reset_complete")
    assert "Mot de passe enregistré" in text_of(client.get(done.url))
    buyer.refresh_from_db()
    assert buyer.check_password("Un-nouveau-mot-de-passe-2026")
    assert log_in(client, buyer.email, "Un-nouveau-mot-de-passe-2026").status_code == 302
    # The link works once.
    client.post(reverse("logout"))
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_refuses_a_weak_password_in_french(client, buyer):
    client.post(reverse("password_reset"), {"email": buyer.email})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": "court", "new_password2": "court"})

    assert response.status_code == 200
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in text_of(response)
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def test_password_reset_of_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def reset(client, email: str, ip: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_the_sixth_reset_in_a_row_for_one_address_sends_nothing(client, organisation, buyer):
    answers = [reset(client, buyer.email, ip=f"203.0.113.{index}") for index in range(1, 7)]

    assert len(mail.outbox) == settings.PASSWORD_RESET_MAX_PER_EMAIL == 5
    assert {answer.url for answer in answers} == {reverse("password_reset_done")}
    # Any case, any IP: the same address. Another account is not held back.
    reset(client, buyer.email.upper(), ip="198.51.100.1")
    assert len(mail.outbox) == 5
    other = member(organisation=organisation)
    reset(client, other.email, ip="198.51.100.2")
    assert [message.to for message in mail.outbox[5:]] == [[other.email]]


def test_one_ip_asking_for_many_resets_is_held_back(client, buyer):
    for index in range(settings.PASSWORD_RESET_MAX_PER_IP):
        reset(client, f"inconnu{index}@example.org")

    answer = reset(client, buyer.email)

    assert answer.url == reverse("password_reset_done")
    assert mail.outbox == []
    reset(client, buyer.email, ip="198.51.100.3")
    assert [message.to for message in mail.outbox] == [[buyer.email]]


def without_nonce(html: str) -> str:
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


def test_a_held_back_reset_answers_like_an_unknown_address(client, buyer):
    for _ in range(settings.PASSWORD_RESET_MAX_PER_EMAIL):
        reset(client, buyer.email)

    held_back = client.get(reset(client, buyer.email).url)
    unknown = client.get(reset(client, "inconnu@example.org", ip="198.51.100.4").url)

    # The pages differ only by their CSP nonce, drawn afresh for every response.
    assert without_nonce(text_of(held_back)) == without_nonce(text_of(unknown))
    assert "Si un compte correspond à cette adresse" in text_of(held_back)


# --- Sessions ------------------------------------------------------------------------------------------------


def test_sessions_end_with_the_browser_and_after_8_hours_at_most():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_session_cookie_is_a_browser_session_cookie(client, buyer):
    response = log_in(client, buyer.email)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert client.session.get_expiry_age() <= 8 * 60 * 60


# --- Django admin --------------------------------------------------------------------------------------------


def test_platform_superuser_uses_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Administration de la plateforme" in text_of(response)
    assert client.get(reverse("admin:procurement_organisation_changelist")).status_code == 200


@pytest.mark.parametrize("is_staff", [False, True])
def test_an_organisation_admin_cannot_use_the_django_admin(client, organisation, is_staff):
    user = member(organisation=organisation, role=Role.ADMIN)
    user.is_staff = is_staff
    user.save()
    client.force_login(user)

    for url in [reverse("admin:index"), reverse("admin:procurement_market_changelist")]:
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url.startswith(reverse("admin:login"))
    index = client.get(reverse("admin:index"), follow=True)
    assert index.redirect_chain == [(f"{reverse('admin:login')}?next={reverse('admin:index')}", 302)]
    assert reverse("admin:procurement_organisation_changelist") not in text_of(index)
    assert reverse("admin:procurement_market_changelist") not in text_of(index)


# --- Who reaches which page ----------------------------------------------------------------------------------


def test_a_user_without_membership_sees_the_aucune_organisation_page(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    page = text_of(response)
    assert response.status_code == 200
    assert "Votre compte n'est rattaché à aucune organisation" in page
    assert "Demandez à l'administrateur·rice de votre organisation" in page
    assert "Administration de la plateforme" not in page


def test_a_user_without_membership_is_refused_staff_pages(client):
    client.force_login(UserFactory())

    response = client.get(reverse("procurement:market_list"))

    assert response.status_code == 403
    assert "Votre compte n'est rattaché à aucune organisation." in text_of(response)


def test_a_deactivated_membership_counts_as_none(client, organisation):
    user = member(organisation=organisation, role=Role.BUYER)
    user.memberships.update(is_active=False)
    client.force_login(user)

    assert "Votre compte n'est rattaché à aucune organisation" in text_of(client.get(reverse("home")))


def test_the_members_page_is_for_organisation_admins(client, organisation):
    admin = member(organisation=organisation, role=Role.ADMIN)
    buyer = member(organisation=organisation, role=Role.BUYER)
    client.force_login(admin)

    page = text_of(client.get(reverse("members")))

    assert admin.email in page
    assert buyer.email in page
    client.force_login(buyer)
    assert client.get(reverse("members")).status_code == 403


PUBLIC_URL_NAMES = {
    "invitation_accept",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The public legal pages, linked from every footer.
    "legal_notice",
    "public_privacy",
    "accessibility",
}
# The candidates' annex, the admin site (its own login), the open data that buyers publish, and the API (a call
# without a token answers 401 in problem+json, never the login page: tests/api).
PUBLIC_NAMESPACES = {"questionnaire", "admin", "open_data", "api"}
SAMPLE_VALUES = {"IntConverter": 1, "SlugConverter": "exemple", "UUIDConverter": uuid.uuid4()}


def _staff_urls(patterns=None, namespace: str = "", converters: dict | None = None):
    converters = converters or {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        pattern_converters = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            if (inner or "").split(":")[0] in PUBLIC_NAMESPACES:
                continue
            yield from _staff_urls(pattern.url_patterns, inner or namespace, pattern_converters)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name in PUBLIC_URL_NAMES:
                continue
            kwargs = {
                key: SAMPLE_VALUES.get(type(value).__name__, "exemple") for key, value in pattern_converters.items()
            }
            yield reverse(name, kwargs=kwargs)


STAFF_URLS = sorted(set(_staff_urls()))


def test_staff_urls_are_found():
    assert {reverse("home"), reverse("procurement:market_list"), reverse("members")} <= set(STAFF_URLS)


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_login_from_every_staff_page(client, url, method):
    MarketFactory()

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={url}"


def test_user_model_stores_emails_in_lower_case():
    user = User.objects.create_user("Camille.Durand@Example.ORG", "Un-mot-de-passe-solide-42")

    assert user.email == "camille.durand@example.org"
