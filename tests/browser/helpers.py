"""Helpers of the browser tests: log in, collect console errors, run axe-core."""

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1, levels A and AA: the RGAA's reference.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


# How long a request thread may take to finish once its server has stopped (it only closes its connection then).
REQUEST_THREAD_SECONDS = 5


def stop_server(thread, shared_connections) -> None:
    """Stops a live server's thread, then ends the sharing of the in-memory SQLite connections it was lent.

    Django's server does not join its request threads (they are daemon threads): one still closing its database
    connection after the sharing ended would fail (« DatabaseWrapper objects created in a thread can only be used
    in that same thread »), which pytest reports on whatever test runs next. They are waited for first."""
    thread.terminate()
    for worker in threading.enumerate():
        if worker.name.endswith("(process_request_thread)"):
            worker.join(timeout=REQUEST_THREAD_SECONDS)
    for connection in shared_connections:
        connection.dec_thread_sharing()


@dataclass
class ConsoleErrors:
    """Errors the page reported: console errors (CSP violations included) and uncaught exceptions."""

    messages: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.messages.append(f"exception : {error}\n{error.stack}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.messages.append(f"console : {message.text} ({message.location.get('url', '')})")

    def __bool__(self) -> bool:
        return bool(self.messages)

    def __str__(self) -> str:
        return "\n".join(self.messages)


def axe_violations(page, *, tags: tuple[str, ...] = AXE_TAGS) -> list[dict]:
    """Runs axe-core on the current page and returns its violations (empty list: none).

    A click that submits a form returns before the next page has replaced the current one: axe injected
    then meets a document being torn down (seen once in CI: « Cannot read properties of null (reading
    'appendChild') »). Such a run waits for the page to load and starts again."""
    attempts = 3
    for attempt in range(1, attempts + 1):
        page.wait_for_load_state("load")
        _wait_for_dsfr(page)
        try:
            return _run_axe(page, tags)
        except PlaywrightError as error:
            if attempt == attempts or not is_navigation_race(error):
                raise
            page.wait_for_timeout(100 * attempt)
    raise AssertionError("unreachable")


def is_navigation_race(error: Exception) -> bool:
    """True for the errors of a script that ran while the page was being replaced."""
    message = str(error)
    return any(sign in message for sign in NAVIGATION_RACE_SIGNS)


NAVIGATION_RACE_SIGNS = (
    "Execution context was destroyed",
    "Cannot read properties of null",
    "frame was detached",
)


def _run_axe(page, tags: tuple[str, ...]) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )
    return results["violations"]


def _wait_for_dsfr(page) -> None:
    """Until the DSFR script has started, its no-JavaScript styles show the header's mobile menu, whose
    aria-labelledby axe then reports as prohibited (seen once in CI): wait for the script's mark on <html>.
    A page without the script is checked as is."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "() => !document.querySelector('script[src*=\"dsfr.module\"]')"
            " || document.documentElement.getAttribute('data-fr-js') === 'true'",
            timeout=5000,
        )


def describe_violations(violations: list[dict]) -> str:
    """A readable summary for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']}")
        lines.extend(f"    {node['target']} : {node['failureSummary']}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def log_in(page, *, email: str, password: str) -> None:
    """Logs in through the login page, as a person would."""
    page.goto("/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
