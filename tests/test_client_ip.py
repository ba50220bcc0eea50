from django.test import RequestFactory

from procurement.http import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "10.0.0.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.2"]
    # A client may send its own X-Forwarded-For: only what the proxies appended is believed.
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 198.51.100.4, 10.0.0.2")) == "198.51.100.4"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"


def test_a_direct_client_cannot_forge_its_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("198.51.100.4", "127.0.0.1")) == "198.51.100.4"


def test_annex_rate_limits_count_each_client_behind_the_proxy(settings, client, market):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.ANNEX_RATE_LIMITS = {**settings.ANNEX_RATE_LIMITS, "draft": (2, 3600)}
    url = f"/annexe/{market.candidate_token}/"
    first = [client.post(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1") for _ in range(3)]
    other = client.post(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert [response.status_code for response in first][-1] == 429
    assert other.status_code == 302  # a new draft, on to the first step
