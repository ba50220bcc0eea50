"""The candidate pages' weight, served as in production: `collectstatic` into a temporary STATIC_ROOT with the
manifest storage (hashed names, gzip and brotli files), whitenoise serving them. Chromium counts the bytes that
cross the network (DevTools' "transferred": headers and encoded bodies) for the first page with a cold cache,
then for each following step with the cache the first one filled (benchmarks/README.md, « Pages candidats »).

`LIGHT_PAGES_SCREENSHOTS=<folder>` also saves a screenshot of each step at 390 and 1280 px wide.
"""

import os
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect
from whitenoise.storage import CompressedManifestStaticFilesStorage

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import ConsoleErrors, stop_server
from tests.browser.test_annex import (
    _fill_commitments,
    _fill_governance,
    _fill_headcount,
    _fill_policy,
    _fill_structure,
)
from tests.procurement.factories import LotFactory, MarketFactory, OrganisationFactory

pytestmark = pytest.mark.browser

FIRST_PAGE_BUDGET = 250_000
NEXT_STEP_BUDGET = 30_000
SCREENSHOT_WIDTHS = (390, 1280)


# The folders of the static files that the candidate pages load. Compressing all of the 7,000 collected files (both
# copies, hashed and not; the DSFR's icons, the API documentation's bundles) takes 80 s of CPU; the candidate pages
# load a handful. The test checks that each of their text resources arrives compressed: one from another folder
# fails it, instead of going unmeasured.
CANDIDATE_STATIC_FOLDERS = (
    "candidate/",
    "css/",
    "js/",
    "dsfr/dist/dsfr/dsfr.module",
    "dsfr/dist/dsfr/dsfr.nomodule",
    "dsfr/dist/favicon/",
    "dsfr/dist/fonts/",
    "dsfr/dist/icons/system/",
)


class CandidateCompressionStorage(CompressedManifestStaticFilesStorage):
    """Production's storage (hashed names, gzip and brotli copies), compressing the candidate pages' files only."""

    def compress_files(self, paths):
        return super().compress_files([path for path in paths if path.startswith(CANDIDATE_STATIC_FOLDERS)])


@pytest.fixture(scope="module")
def production_static_root(tmp_path_factory):
    """The static files as `collectstatic` lays them out for production (config/settings/production.py)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": f"{__name__}.{CandidateCompressionStorage.__name__}"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


class _WhitenoiseServerThread(LiveServerThread):
    """The live server without Django's static handler: whitenoise's middleware answers for /static/."""

    def __init__(self, host, connections_override):
        super().__init__(host, static_handler=lambda handler: handler, connections_override=connections_override)


@pytest.fixture
def production_server(production_static_root, transactional_db):
    with override_settings(
        STATIC_ROOT=production_static_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        # An in-memory SQLite test database is shared with the server's thread (as pytest-django's live_server).
        shared = {
            connection.alias: connection
            for connection in connections.all()
            if connection.vendor == "sqlite" and connection.is_in_memory_db()
        }
        for connection in shared.values():
            connection.inc_thread_sharing()
        thread = _WhitenoiseServerThread("localhost", shared)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
        stop_server(thread, shared.values())


class TransferCounter:
    """Bytes received per resource, from Chromium's network events (cache hits count 0)."""

    def __init__(self, context, page):
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.resources: dict[str, dict] = {}
        self.session.on("Network.responseReceived", self._on_response)
        self.session.on("Network.loadingFinished", self._on_finished)

    def _on_response(self, event) -> None:
        response = event["response"]
        if response["url"].startswith("data:"):
            return  # inline in the stylesheet: nothing crosses the network
        self.resources[event["requestId"]] = {
            "url": response["url"],
            "type": event["type"],
            "encoding": {k.lower(): v for k, v in response["headers"].items()}.get("content-encoding", ""),
            "cache_control": {k.lower(): v for k, v in response["headers"].items()}.get("cache-control", ""),
            "bytes": 0,
        }

    def _on_finished(self, event) -> None:
        if event["requestId"] in self.resources:
            self.resources[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def take(self) -> list[dict]:
        """The resources received since the last call."""
        taken, self.resources = list(self.resources.values()), {}
        return taken


def _total(resources) -> int:
    return sum(resource["bytes"] for resource in resources)


def _by_type(resources) -> dict[str, int]:
    sizes = defaultdict(int)
    for resource in resources:
        sizes[resource["type"]] += resource["bytes"]
    return dict(sizes)


def _next(page) -> None:
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Suivant").click()


def _screenshots(page, name: str) -> None:
    folder = os.environ.get("LIGHT_PAGES_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    for screenshot_width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": screenshot_width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{screenshot_width}.png", full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


def test_candidate_pages_stay_within_their_transfer_budget(browser, production_server):
    organisation = OrganisationFactory(name="Valenciennes Métropole (essai)", slug="vm-essai")
    market = MarketFactory(organisation=organisation, reference="2026-TRX-021", title="Réfection de voirie")
    LotFactory(market=market, number=1, title="Terrassement")
    context = browser.new_context(base_url=production_server, viewport={"width": 390, "height": 900}, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.attach(page)
    counter = TransferCounter(context, page)
    steps = []

    def measure(name: str) -> None:
        resources = counter.take()
        steps.append((name, resources))
        _screenshots(page, name)
        counter.take()  # whatever the screenshots' resizes fetch is not the candidate's

    page.goto(f"/annexe/{market.candidate_token}/", wait_until="networkidle")
    measure("accueil")
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Commencer le questionnaire").click()
    measure("1-structure")
    _fill_structure(page)
    _next(page)
    measure("2-effectifs")
    _fill_headcount(page)
    _next(page)
    measure("3-gouvernance")
    _fill_governance(page)
    _next(page)
    measure("4-politique-interne")
    _fill_policy(page)
    _next(page)
    measure("5-engagements")
    _fill_commitments(page)
    _next(page)
    measure("6-pieces-jointes")
    _next(page)
    measure("7-recapitulatif")
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("#numero-accuse")).to_be_visible()
    measure("accuse-de-reception")
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")  # the stylesheet applies
    # A state class the DSFR script adds (`fr-modal--opened`) is kept: the header's menu opens on a phone.
    close = page.get_by_role("button", name="Fermer")
    expect(close).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    close.wait_for(state="visible")
    close.click()
    close.wait_for(state="hidden")
    # Staff pages keep the whole DSFR: served the same way, the browser applies it (no integrity refusal).
    page.goto("/connexion/", wait_until="networkidle")
    assert any("/dsfr/dist/dsfr/dsfr.min." in resource["url"] for resource in counter.take())
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")
    context.close()

    report = [f"{'page':<22} {'octets':>8}  par type"]
    for name, resources in steps:
        report.append(f"{name:<22} {_total(resources):>8}  {_by_type(resources)}")
    first = steps[0][1]
    report.append("ressources de la première page :")
    report.extend(
        f"  {resource['bytes']:>7}  {resource['encoding'] or '-':<4} {resource['cache_control']:<40} {resource['url']}"
        for resource in first
    )
    print("\n".join(report))

    assert not errors, f"Erreurs dans la console du navigateur :\n{errors}"
    # The whole DSFR stylesheets stay off the candidate pages.
    assert not [url for url in (resource["url"] for resource in first) if "dsfr.min." in url or "utility" in url]
    # Hashed static files are cached for good and sent compressed.
    statics = [resource for resource in first if "/static/" in resource["url"] and resource["type"] != "Font"]
    assert statics
    for resource in statics:
        assert "immutable" in resource["cache_control"], resource
        assert resource["encoding"] in ("br", "gzip"), resource
    assert _total(first) < FIRST_PAGE_BUDGET, "\n".join(report)
    for name, resources in steps[1:]:
        assert _total(resources) < NEXT_STEP_BUDGET, f"{name} :\n" + "\n".join(report)
