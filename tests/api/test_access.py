"""Tokens: another organisation's objects answer 404, a revoked or expired token 401, a role without the capability
403, the rate limit 429 with Retry-After; every call is logged and the token's last use recorded."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiCall
from procurement.enums import Role
from tests.analytics.factories import computed_job_2025
from tests.api.factories import bearer, new_token
from tests.procurement.factories import MarketFactory, member
from tests.questionnaire.factories import AnnexResponseFactory


def test_without_a_token_the_answer_is_401_and_says_how_to_authenticate(client):
    response = client.get(reverse("api:markets"))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer", "Basic dXNlcjpwYXNz", "Bearer ecp_inconnu"])
def test_a_malformed_or_unknown_token_gets_401(client, header):
    response = client.get(reverse("api:markets"), HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["title"] == "Authentification requise"


def test_a_revoked_token_gets_401(client, organisation):
    token, secret = new_token(organisation=organisation)
    assert client.get(reverse("api:markets"), **bearer(secret)).status_code == 200

    services.revoke_token(token=token, revoked_by=None)
    response = client.get(reverse("api:markets"), **bearer(secret))

    assert response.status_code == 401
    assert "révoqué" in response.json()["detail"]


def test_an_expired_token_gets_401(client, organisation):
    token, secret = new_token(organisation=organisation)
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()

    response = client.get(reverse("api:markets"), **bearer(secret))

    assert response.status_code == 401
    assert "expiré" in response.json()["detail"]


def test_another_organisations_market_is_404_for_every_role(client, organisation, other_organisation):
    theirs = MarketFactory(organisation=other_organisation)
    for role in Role.values:
        _, secret = new_token(organisation=organisation, role=role)
        response = client.get(reverse("api:market", kwargs={"pk": theirs.pk}), **bearer(secret))
        assert response.status_code == 404, role
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == "Ce marché n'existe pas dans votre organisation."


def test_another_organisations_job_snapshot_and_response_are_404_with_what_was_not_found(
    client, organisation, other_organisation, django_capture_on_commit_callbacks
):
    job = computed_job_2025(
        django_capture_on_commit_callbacks,
        organisation=other_organisation,
        requested_by=member(organisation=other_organisation, role=Role.ADMIN),
    )
    response = AnnexResponseFactory(organisation=other_organisation)
    _, secret = new_token(organisation=organisation, role=Role.ADMIN)

    for name, pk, detail in [
        ("api:job", job.pk, "Ce calcul n'existe pas dans votre organisation."),
        ("api:snapshot", job.snapshot_id, "Ce résultat n'existe pas dans votre organisation."),
        ("api:response", response.pk, "Cette réponse n'existe pas dans votre organisation."),
    ]:
        answer = client.get(reverse(name, kwargs={"pk": pk}), **bearer(secret))
        assert answer.status_code == 404, name
        assert answer["Content-Type"] == "application/problem+json"
        assert answer.json()["detail"] == detail


def test_a_role_without_the_capability_gets_403(client, organisation):
    _, secret = new_token(organisation=organisation, role=Role.FACILITATOR)

    response = client.get(reverse("api:responses"), **bearer(secret))

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Le rôle de ce jeton ne donne pas accès")


def test_beyond_the_rate_limit_the_answer_is_429_with_retry_after(client, organisation, settings):
    settings.API_RATE_LIMIT = (3, 60)
    _, secret = new_token(organisation=organisation)
    statuses = [client.get(reverse("api:markets"), **bearer(secret)).status_code for _ in range(3)]

    limited = client.get(reverse("api:markets"), **bearer(secret))

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another token of the same organisation has its own count.
    _, other = new_token(organisation=organisation)
    assert client.get(reverse("api:markets"), **bearer(other)).status_code == 200


def test_every_call_is_logged_and_the_last_use_recorded(client, organisation):
    token, secret = new_token(organisation=organisation, role=Role.FACILITATOR)

    client.get(reverse("api:markets") + "?year=2026", **bearer(secret), REMOTE_ADDR="203.0.113.7")
    client.get(reverse("api:responses"), **bearer(secret), REMOTE_ADDR="203.0.113.7")

    calls = list(ApiCall.objects.filter(token=token).order_by("pk").values_list("method", "path", "status", "ip"))
    assert calls == [
        ("GET", "/api/v1/markets/?year=2026", 200, "203.0.113.7"),
        ("GET", "/api/v1/responses/", 403, "203.0.113.7"),
    ]
    token.refresh_from_db()
    assert token.last_used_ip == "203.0.113.7"
    assert token.last_used_at is not None


def test_django_404_and_unknown_api_addresses_answer_in_problem_json(client):
    response = client.get("/api/v1/nulle-part/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Ressource introuvable",
        "status": 404,
        "detail": "Cette adresse ne correspond à aucune ressource de votre organisation : vérifiez l'identifiant.",
        "instance": "/api/v1/nulle-part/",
    }
    # Elsewhere, the site's French page.
    assert "text/html" in client.get("/nulle-part/")["Content-Type"]


def test_an_unexpected_error_under_api_answers_500_in_problem_json(client, organisation, monkeypatch):
    from api.views import markets

    def broken(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(markets.selectors, "filtered_markets", broken)
    client.raise_request_exception = False
    _, secret = new_token(organisation=organisation)

    response = client.get(reverse("api:markets"), **bearer(secret))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Erreur interne"


def test_a_body_over_the_upload_limit_is_refused_in_problem_json(client, organisation, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024
    settings.UPLOAD_MAX_FILE_BYTES = 1024
    _, secret = new_token(organisation=organisation)
    upload = io.BytesIO(b"reference,title\n" + b"x" * 4096)
    upload.name = "marches.csv"

    response = client.post(reverse("api:market_import"), {"file": upload}, **bearer(secret))

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Contenu trop volumineux"
