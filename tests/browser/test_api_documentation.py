"""The API documentation page in a real browser, under the site's Content-Security-Policy: Swagger UI (served from
our static files) loads the OpenAPI document and lists the operations, with no console error."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_documentation_shows_the_operations_without_console_error(page, console_errors):
    page.goto("/api/v1/docs/")

    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == 17
    expect(page.get_by_text("Lister les marchés").first).to_be_visible()
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("API Égalité commande publique")
    # The token is asked for in « Authorize », as a bearer token.
    page.locator(".btn.authorize").click()
    expect(page.get_by_text("jeton", exact=False).first).to_be_visible()
    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"
