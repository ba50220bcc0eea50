"""Every page a signed-in staff member can open, at a phone's width (320 px) and a desktop's (1280 px), in a real
browser with the CSP enforced: the page itself never scrolls sideways (a wide table scrolls inside its own `.fr-table`
frame), a select shows its chosen option whole, axe-core finds no WCAG 2.1 A/AA violation (the RGAA's
reference) and the console stays free of errors.

One organisation with data on every page (markets and lots, annex responses with attachments, insertion clause
participants and hours, a stamped cahier des charges, titulaires, an indicator snapshot published as open data, API
tokens), made once for the module; its administrator, also a platform administrator, browses with one page per width.

`PAGES` lists the crawled URL names, `EXCLUDED` the others with why; `test_every_get_page_is_crawled_or_excluded`
(no browser) fails when a new URL is in neither.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from clauses.enums import Sex
from procurement.enums import Role
from questionnaire.wizard import STEPS
from tests.browser.conftest import _new_page
from tests.browser.helpers import AXE_SCRIPT, ConsoleErrors, axe_violations, describe_violations, log_in, stop_server
from tests.clauses.factories import HoursRecordFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import PASSWORD, LotFactory, MarketFactory, OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory, pdf_attachment
from tests.test_authorisation_matrix import World, _build, _project_url_names, _run_at_once
from tests.utils import committed_for_module, unavailable

WIDTHS = (1280, 320)
HEIGHTS = {1280: 900, 320: 640}

# URL name -> the `World` method giving its arguments (None: none).
PAGES: dict[str, str | None] = {
    # Accounts and organisation
    "members": None,
    "members_log": None,
    "member_invite": None,
    "member_role": "membership",
    "member_deactivate": "membership",
    "invitation_cancel": "invitation",
    "profile": None,
    "password_change": None,
    "email_change": None,
    "email_change_confirm": "email_change_token",
    "second_factor_setup": None,
    "privacy": None,
    "legal_details": None,
    "password_reset": None,
    "password_reset_done": None,
    "password_reset_confirm": "reset_link",
    "password_reset_complete": None,
    # Platform administrators
    "platform_organisations": None,
    "registers:egapro_import": None,
    # Public pages linked from every footer
    "legal_notice": None,
    "public_privacy": None,
    "accessibility": None,
    # Markets and cahiers des charges
    "procurement:market_list": None,
    "procurement:market_create": None,
    "procurement:market_import": None,
    "procurement:market_detail": "market",
    "procurement:market_update": "market",
    "procurement:market_reopen_annex": "market",
    "procurement:lot_delete": "lot",
    "procurement:market_specification": "market",
    "procurement:stamped_preview": "stamped",
    "procurement:decp_import": None,
    "procurement:decp_import_detail": "decp_import",
    "specifications:index": None,
    "specifications:text_edit": "text_kind",
    "specifications:text_versions": "text_kind",
    # Annexe égalité, staff side
    "responses:list": None,
    "responses:import": None,
    "responses:settings": None,
    "responses:detail": "response",
    "responses:remove": "response",
    "responses:staff_entry": None,
    "questionnaire:staff_wizard_step": "staff_step",  # one page per step, see CRAWL
    "questionnaire:staff_confirmation": "staff_submitted",
    "titulaires:list": None,
    "titulaires:company": "company",
    # Statistiques and open data
    "analytics:dashboard": None,
    "analytics:settings": None,
    "analytics:open_data": None,
    "analytics:open_data_publish": "snapshot",
    "analytics:open_data_unpublish": "publication",
    "open_data:index": None,
    "open_data:organisation": "organisation_slug",
    # Clauses d'insertion
    "clauses_report:report": None,
    "clauses:index": None,
    "clauses:market": "clause_market",
    "clauses:clause_create": "clause_market",
    "clauses:clause_update": "clause",
    "clauses:participant_list": None,
    "clauses:participant_create": None,
    "clauses:participant_detail": "participant",
    "clauses:participant_update": "participant",
    "clauses:mission_create": "participant",
    "clauses:mission_update": "mission",
    "clauses:mission_hours": "mission",
    "clauses:hours_import": None,
    "clauses:access_log": None,
    "clauses:settings": None,
    # API tokens
    "api_tokens:list": None,
    "api_tokens:create": None,
    "api_tokens:calls": None,
    "api_tokens:revoke": "api_token",
}

# URL names not crawled, and why. The Django admin (« admin: » names, left out of `_project_url_names`) is Django's
# own interface, for platform administrators only, outside the DSFR: tests/test_admin.py checks it.
EXCLUDED: dict[str, str] = {
    # Redirects for a signed-in member: the page they lead to is crawled.
    "home": "redirects to the role's home page",
    "login": "redirects a signed-in account",
    "second_factor_verify": "redirects an account without a second factor",
    # POST only (a GET answers 405).
    "logout": "POST only",
    "switch_organisation": "POST only",
    "member_reactivate": "POST only",
    "invitation_resend": "POST only",
    "specifications:text_validate": "POST only",
    "titulaires:remind": "POST only",
    "analytics:compute": "POST only",
    "analytics:job_retry": "POST only",
    "analytics:freeze": "POST only",
    "analytics:job_status": "JSON read by the dashboard's script while a computation runs",
    "questionnaire:send_resume_link": "POST only",
    # File downloads and machine-readable documents.
    "procurement:market_import_model": "file download",
    "procurement:market_qrcode": "SVG image",
    "procurement:stamped_download": "file download",
    "questionnaire:market_fiche_docx": "file download",
    "questionnaire:market_fiche_pdf": "file download",
    "questionnaire:staff_receipt_pdf": "file download",
    "questionnaire:receipt_pdf": "file download",
    "responses:export": "file download",
    "responses:import_model": "file download",
    "responses:attachment": "file download",
    "titulaires:export": "file download",
    "titulaires:reminder_letter": "file download",
    "analytics:export": "file download",
    "clauses_report:workbook": "file download",
    "clauses:hours_import_model": "file download",
    "open_data:catalogue": "JSON document",
    "open_data:schema": "JSON document",
    "open_data:organisation_catalogue": "JSON document",
    "open_data:csv": "file download",
    # The API answers JSON; its documentation page is Swagger UI, checked by test_api_documentation.py.
    "api:schema": "API",
    "api:docs": "Swagger UI, tests/browser/test_api_documentation.py",
    "api:markets": "API",
    "api:market_import": "API",
    "api:market": "API",
    "api:market_candidate_link": "API",
    "api:market_qrcode": "API",
    "api:market_specification": "API",
    "api:responses": "API",
    "api:response": "API",
    "api:indicators": "API",
    "api:jobs": "API",
    "api:job": "API",
    "api:snapshots": "API",
    "api:snapshot": "API",
    "api:clause_hours": "API",
    "api:clause_report": "API",
    # Candidates' pages, reached without an account: test_annex.py and test_mobile_layout.py check them.
    "questionnaire:thanks": "candidate page",
    "questionnaire:organisation_entry": "candidate page",
    "questionnaire:market_entry": "candidate page",
    "questionnaire:resume": "candidate page",
    "questionnaire:wizard_step": "candidate page (the staff entry crawls the same steps)",
    "questionnaire:confirmation": "candidate page",
    "questionnaire:confirm_address": "candidate page",
    "questionnaire:reminder_opt_out": "page of a company reminded by e-mail",
    "invitation_accept": "page of an invited person before they have an account (test_members.py)",
}

# (URL name, variant): the staff entry of an annex once per step, every other page once.
STAFF_STEPS = [step for step, _form, _title in STEPS]
CRAWL = [
    (name, variant)
    for name in PAGES
    for variant in (STAFF_STEPS if name == "questionnaire:staff_wizard_step" else [""])
]


def test_every_get_page_is_crawled_or_excluded():
    names = _project_url_names()
    assert PAGES.keys() & EXCLUDED.keys() == set(), "URL à la fois parcourue et exclue"
    assert names - PAGES.keys() - EXCLUDED.keys() == set(), "Nouvelle page : ajoutez-la à PAGES (ou à EXCLUDED)"
    assert (PAGES.keys() | EXCLUDED.keys()) - names == set(), "URL qui n'existe plus"


# --- One data set, one server and one page per width for the module ---------------------------------------------


class CrawlWorld(World):
    def staff_step(self, step: str):
        return {"token": self.o["staff_draft"].resume_token, "step": step}


def build_crawl_world(slug: str = "vm-crawl") -> tuple[CrawlWorld, object]:
    """One organisation with data on every page, long names included, and its administrator (also a platform
    administrator); tests/test_staff_typography.py reads the same pages without a browser."""
    organisation = OrganisationFactory(name="Communauté d'agglomération Valenciennes Métropole", slug=slug)
    buyer = _build(organisation, _run_at_once)
    market = buyer.objects["market"]
    market.reference = "2026-TRX-0021-ACCORD-CADRE-MULTI-ATTRIBUTAIRES-VALENCIENNES"
    market.title = "Réfection de la voirie et des réseaux du centre-ville, tranche optionnelle n° 2"
    market.estimated_amount = market.awarded_amount = Decimal("12500")
    market.save()
    for number, title in enumerate(("Terrassement et voirie", "Éclairage public", "Espaces verts"), start=2):
        LotFactory(market=market, number=number, title=title)
    MarketFactory(organisation=organisation, reference="2025-FCS-0007", title="Fournitures de bureau")
    response = AnnexResponseFactory(
        organisation=organisation,
        market=market,
        structure_name="Société coopérative de production des travaux publics du Hainaut-Cambrésis",
        cadres=(12, 30, 1, 2),
        non_cadres=(40, 95, 0, 3),
    )
    pdf_attachment(organisation=organisation, response=response, name="plan-egalite-2025-2027-version-finale.pdf")
    mission = buyer.objects["mission"]
    for month in (1, 2, 3):
        HoursRecordFactory(mission=mission, month=datetime.date(2025, month, 1), hours=Decimal("120.50"))
    MissionFactory(participant=ParticipantFactory(organisation=organisation, sex=Sex.H), market=market)
    administrator = member(organisation=organisation, role=Role.ADMIN)
    administrator.is_superuser = True
    administrator.is_staff = True
    administrator.save()
    return CrawlWorld(buyer), administrator


@pytest.fixture(scope="module")
def crawl_world(django_db_setup, django_db_blocker) -> Iterator[tuple[CrawlWorld, object, str]]:
    """Committed before the first test and emptied after the last one (tests/utils.py: committed_for_module);
    sessions are signed in before any test's transaction."""
    with committed_for_module(django_db_blocker):
        server = None
        try:
            world, administrator = build_crawl_world()
            server = LiveServer("localhost")
            yield world, administrator, server.url
        finally:
            if server is not None:
                stop_server(server.thread, server.thread.connections_override.values())


@pytest.fixture(scope="module")
def pages_by_width(browser, crawl_world) -> Iterator[dict[int, tuple[object, ConsoleErrors]]]:
    """The administrator's page at each width (console errors collected), kept for the module whatever the order of
    the tests. Signed in here, before any test's transaction: a session written inside one would be rolled back with
    it. axe-core is loaded by an init script, which the CSP does not block."""
    if not AXE_SCRIPT.exists():
        unavailable(f"axe-core est absent ({AXE_SCRIPT}) : lancez `npm ci`.")
    _world, administrator, url = crawl_world
    contexts, pages = [], {}
    for width in WIDTHS:
        context, page = _new_page(browser, url)
        contexts.append(context)
        context.add_init_script(path=str(AXE_SCRIPT))
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        errors = ConsoleErrors()
        errors.attach(page)
        log_in(page, email=administrator.email, password=PASSWORD)
        pages[width] = (page, errors)
    yield pages
    for context in contexts:
        context.close()


# What makes the page scroll sideways, for the failure's message: the elements wider than the window outside any
# scrolling frame and, as an element clipped by its own frame (a button's label) escapes that search, the deepest
# elements whose removal ends the scroll.
_OVERFLOWING = """() => {
  const limit = window.innerWidth;
  const describe = (element) => {
    const classes = [...element.classList].join(".");
    const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `${element.tagName.toLowerCase()}${classes ? "." + classes : ""} (droite ${
      Math.round(element.getBoundingClientRect().right)} px) « ${text} »`;
  };
  const inFrame = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const all = [...document.body.querySelectorAll("*")];
  const wide = all.filter((element) => element.getBoundingClientRect().right > limit + 1 && !inFrame(element));
  const leaves = wide.filter((element) => !wide.some((other) => other !== element && element.contains(other)));
  const culprits = all.filter((element) => {
    const display = element.style.display;
    element.style.display = "none";
    const fits = document.documentElement.scrollWidth <= limit;
    element.style.display = display;
    return fits;
  });
  const deepest = culprits.filter((element) =>
    !culprits.some((other) => other !== element && element.contains(other)));
  return [...leaves.slice(0, 6), ...deepest.slice(0, 2)].map(describe);
}"""


# The selects (a list's filters, a form's choice) whose chosen option is wider than the select shows (« Toutes les
# anné », a market's reference and title): the text measured in the select's font against its width less its
# padding (the DSFR's arrow sits in the right one).
_CUT_SELECTS = """() => {
  const context = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("select")].filter((select) => select.offsetParent).flatMap(
    (select) => {
      const style = getComputedStyle(select);
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = select.selectedIndex >= 0 ? select.options[select.selectedIndex].text : "";
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return context.measureText(text).width > room + 1 ? [`${select.name} : « ${text} »`] : [];
    });
}"""


# Query strings that show a page with its figures rather than its empty state (the crawl world's data is of 2025).
WITH_FIGURES = {"analytics:dashboard": "?annee=2025", "clauses_report:report": "?annee=2025"}


def crawl_url(world, name: str, variant: str, *, with_figures: bool = False) -> str:
    """The address of a crawled page (CRAWL), its arguments given by the crawl world's objects (PAGES)."""
    argument = PAGES[name]
    kwargs = {} if argument is None else getattr(world, argument)(*([variant] if variant else []))
    return reverse(name, kwargs=kwargs) + (WITH_FIGURES.get(name, "") if with_figures else "")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
@pytest.mark.parametrize(
    ("name", "variant"), CRAWL, ids=[f"{name}-{variant}" if variant else name for name, variant in CRAWL]
)
def test_every_staff_page_fits_the_screen_without_accessibility_or_console_error(
    pages_by_width, crawl_world, width, name, variant
):
    page, console_errors = pages_by_width[width]
    world = crawl_world[0]
    url = crawl_url(world, name, variant)
    console_errors.messages.clear()

    answer = page.goto(url)
    assert answer.status == 200, f"{url} répond {answer.status}"
    assert page.url.endswith(url), f"{url} redirige vers {page.url}"
    problems = []
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        causes = "\n".join(f"    {cause}" for cause in page.evaluate(_OVERFLOWING))
        problems.append(f"La page défile de côté ({scroll_width} px pour {width} px) :\n{causes}")
    cut = page.evaluate(_CUT_SELECTS)
    if cut:
        problems.append("Liste déroulante au choix affiché coupé :\n" + "\n".join(f"    {one}" for one in cut))
    violations = axe_violations(page)
    if violations:
        problems.append(f"Violations d'accessibilité :\n{describe_violations(violations)}")
    if console_errors:
        problems.append(f"Erreurs dans la console :\n{console_errors}")
    assert not problems, f"{url} à {width} px :\n" + "\n".join(problems)
