import pytest


@pytest.fixture
def egapro_api(httpserver, settings):
    """The API Egapro, served on loopback by pytest-httpserver with recorded answers."""
    settings.EGAPRO_API_BASE_URL = httpserver.url_for("/").rstrip("/")
    return httpserver


@pytest.fixture
def company_register(httpserver, settings):
    """The API Recherche d'entreprises, served on loopback by pytest-httpserver with recorded answers."""
    settings.COMPANY_REGISTER_BASE_URL = httpserver.url_for("/").rstrip("/")
    return httpserver
