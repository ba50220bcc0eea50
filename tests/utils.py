import html
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser

import openpyxl
from django.conf import settings


def text_of(response) -> str:
    """The page as a user reads it: HTML entities (such as &#x27;) decoded."""
    return html.unescape(response.content.decode())


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict[str, str]
    in_main: bool
    position: int  # order of the start tag in the page


class _ElementCollector(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.elements: list[Element] = []
        self._main_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append(Element(tag, attributes, self._main_depth > 0, len(self.elements)))
        if tag == "main" or (self._main_depth and tag not in self.VOID):
            self._main_depth += 1

    def handle_endtag(self, tag):
        if self._main_depth and tag not in self.VOID:
            self._main_depth -= 1


def elements_of(response) -> list[Element]:
    """The page's start tags in order, each with its attributes and whether it is inside <main>."""
    collector = _ElementCollector()
    collector.feed(response.content.decode())
    return collector.elements


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python *args` in the project folder with a clean environment, as on a server: the test run's own variables
    (DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests, DATABASE_URL, ...) do not leak in; `env` adds to it."""
    environment = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "TMPDIR"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def xlsx_bytes(rows: list[list]) -> bytes:
    """A workbook whose first sheet holds `rows`, as an uploaded file's bytes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
