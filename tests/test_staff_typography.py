"""French typography of every staff page the browser crawl opens (tests/browser/test_every_page.py: `CRAWL`): a
space before « : », « ; », « ? », « ! », « » », after « « » and between a number and its unit (« 45 % »,
« 12 500 € HT ») is a no-break space, so that on a 390 px phone a colon never starts a line nor a unit leaves its
number; an hour is written « 17 h 13 » through the named date forms (procurement/templatetags/french.py), as on the
candidate pages (tests/questionnaire/test_candidate_typography.py; tests/utils.py holds the scanner).

One buyer with data on every page (the crawl's: markets and lots, responses, a computed and published year, clauses,
titulaires, an API token), built once for the module and browsed by its administrator, a platform administrator too.
A refused import's messages (« ligne N : colonne : raison ») are not on these pages: they stay exactly as the import
commands print them, a format scripts read; a text in `<code>` (a column's name, a file format) is read as typed."""

from collections.abc import Iterator

import pytest

from tests.browser.test_every_page import CRAWL, CrawlWorld, build_crawl_world, crawl_url
from tests.utils import committed_for_module, typography_faults


@pytest.fixture(scope="module")
def _committed_world(django_db_setup, django_db_blocker) -> Iterator[tuple[CrawlWorld, object]]:
    with committed_for_module(django_db_blocker):
        yield build_crawl_world(slug="vm-typography")


@pytest.mark.parametrize(("name", "variant"), CRAWL, ids=[f"{name}:{variant}".rstrip(":") for name, variant in CRAWL])
def test_the_staff_pages_keep_their_signs_on_their_line(client, _committed_world, name, variant):
    world, administrator = _committed_world
    client.force_login(administrator)
    page = client.get(crawl_url(world, name, variant, with_figures=True))

    assert page.status_code == 200
    faults = typography_faults(page.content.decode(), units=True, times=True)
    assert not faults, "\n".join(faults)
