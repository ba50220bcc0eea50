"""The browser helpers themselves, on a stand-in page: no browser needed."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import axe_violations

NULL_DOCUMENT = "TypeError: Cannot read properties of null (reading 'appendChild')"


class PageBeingReplaced:
    """A page whose first script runs while the next document replaces it, as after a form submission."""

    def __init__(self, failures: int, message: str = NULL_DOCUMENT):
        self.failures = failures
        self.message = message
        self.waits = 0

    def wait_for_load_state(self, state):
        self.waits += 1

    def wait_for_function(self, expression, timeout):
        return True

    def wait_for_timeout(self, milliseconds):
        pass

    def add_script_tag(self, path):
        pass

    def evaluate(self, expression, *arguments):
        if self.failures:
            self.failures -= 1
            raise PlaywrightError(self.message)
        if expression.startswith("typeof"):
            return True
        return {"violations": [{"id": "color-contrast"}]}


def test_axe_waits_for_the_next_page_instead_of_failing_on_the_one_being_replaced():
    page = PageBeingReplaced(failures=1)

    assert axe_violations(page) == [{"id": "color-contrast"}]
    assert page.waits == 2


def test_axe_still_reports_an_error_that_is_not_a_navigation():
    page = PageBeingReplaced(failures=1, message="ReferenceError: axe is not defined")

    with pytest.raises(PlaywrightError, match="axe is not defined"):
        axe_violations(page)


def test_axe_gives_up_on_a_page_that_never_settles():
    page = PageBeingReplaced(failures=10)

    with pytest.raises(PlaywrightError, match="Cannot read properties of null"):
        axe_violations(page)
