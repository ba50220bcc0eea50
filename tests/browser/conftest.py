"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

One Chromium per test process (per xdist worker), one fresh context and page per test.
Without `/usr/bin/chromium` the browser tests are skipped, unless `REQUIRE_BROWSER=1` (CI): then they fail.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import AXE_SCRIPT, ConsoleErrors
from tests.utils import unavailable

# Playwright's sync API keeps an asyncio event loop in this thread: Django would otherwise refuse
# every ORM call made by the test itself (SynchronousOnlyOperation). The live server runs in its
# own thread and is not concerned.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# A test never waits longer than this for one element or one navigation.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"Chromium est absent ({CHROMIUM}) : installez le paquet Debian « chromium ».")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Le paquet Python « playwright » est absent : lancez `make install-test`.")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        unavailable(f"Chromium ne démarre pas : {error}")
    yield browser
    browser.close()
    playwright.stop()


# A page reports a CSP violation as an event; Chromium also logs it to the console, but only
# when it can: this listener makes it a console error in every case. Init scripts are not
# subject to the page's CSP.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP : ${event.violatedDirective} a bloqué ${event.blockedURI || "un contenu en ligne"}`);
});
"""


def _new_page(browser, base_url: str, *, bypass_csp: bool = False):
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="fr-FR", bypass_csp=bypass_csp)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    if not bypass_csp:
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
    return context, context.new_page()


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def page(browser, live_server, transactional_db, console_errors) -> Iterator:
    """A page in a fresh context (no cookies), with the CSP enforced, on the live server."""
    context, page = _new_page(browser, live_server.url)
    console_errors.attach(page)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser, live_server, transactional_db) -> Iterator:
    """A page whose context bypasses the CSP so that axe-core can be injected."""
    if not AXE_SCRIPT.exists():
        unavailable(f"axe-core est absent ({AXE_SCRIPT}) : lancez `npm ci`.")
    context, page = _new_page(browser, live_server.url, bypass_csp=True)
    yield page
    context.close()
