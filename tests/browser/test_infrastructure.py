"""The browser-test helpers catch what they claim to catch: otherwise every browser test could pass blindly."""

import pytest

from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser

PAGE_WITH_INLINE_SCRIPT = (
    '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head>'
    "<body><main><p>Essai</p><script>document.title = 'exécuté';</script></main></body></html>"
)


def _serve(page, url: str, body: str, headers: dict | None = None) -> None:
    page.route(
        url,
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body, headers=headers),
    )


def test_console_errors_catch_a_csp_violation(page, console_errors, live_server):
    url = f"{live_server.url}/essai-csp/"
    _serve(page, url, PAGE_WITH_INLINE_SCRIPT, headers={"Content-Security-Policy": "script-src 'self'"})

    page.goto(url)

    assert page.title() == "Essai", "le script en ligne aurait dû être bloqué"
    assert "script-src" in str(console_errors)


def test_console_errors_catch_an_uncaught_exception(page, console_errors, live_server):
    url = f"{live_server.url}/essai-exception/"
    _serve(page, url, "<!DOCTYPE html><html><body><script>null.x;</script></body></html>")

    page.goto(url)

    assert "exception" in str(console_errors)


def test_axe_reports_a_missing_label(axe_page, live_server):
    url = f"{live_server.url}/essai-axe/"
    _serve(
        axe_page,
        url,
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head>'
        '<body><main><h1>Essai</h1><input type="text" name="sans-etiquette"></main></body></html>',
    )
    axe_page.goto(url)

    violations = axe_violations(axe_page)

    assert "label" in {violation["id"] for violation in violations}


def test_the_site_pages_are_served_with_their_stylesheets(page, console_errors):
    page.goto("/connexion/")

    # The DSFR stylesheet is loaded: the page is set in Marianne, the State's typeface.
    assert "Marianne" in page.locator("body").evaluate("element => getComputedStyle(element).fontFamily")
    assert not console_errors, str(console_errors)
