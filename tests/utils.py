import contextlib
import html
import io
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import NoReturn

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from PIL import Image


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


# French typography: an ordinary space (or a line break) before « : », « ; », « ? », « ! », « » » or after « « », where
# a line may start with the sign. Correct texts put a no-break space there (U+00A0, or the narrow U+202F).
BREAKABLE_SPACE = re.compile(r"[ \t\r\n]+[:;?!»]|«[ \t\r\n]")
# A number and its unit (« 45 % », « 12 500 € HT ») on one line: an ordinary space between them is a fault too.
BREAKABLE_UNIT = re.compile(r"\d[ \t\r\n]+(?:%|€)|€[ \t\r\n]+HT\b")
# An hour written « 17:13 » (or « 17 h 13 » with breakable spaces): pages write « 17 h 13 » through the named date
# forms of procurement/templatetags/french.py.
UNNAMED_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}[ \t\r\n]+h[ \t\r\n]*\d{2}\b")


class _TextCollector(HTMLParser):
    """The text of a page as a reader sees it: no attribute, script or style; nor code (`<code>`, `<kbd>`, `<samp>`),
    written as typed: a file's format such as `ligne N : colonne : raison` keeps the spaces the tools print."""

    SKIPPED = {"script", "style", "code", "kbd", "samp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def text_typography_faults(text: str, *, units: bool = False, times: bool = False) -> list[str]:
    """Each breakable space before a French double sign in a plain text (an e-mail), with the words around it;
    with `units`, each one between a number and its unit too; with `times`, each hour not written « 17 h 13 »."""
    found = [
        *BREAKABLE_SPACE.finditer(text),
        *(BREAKABLE_UNIT.finditer(text) if units else []),
        *(UNNAMED_TIME.finditer(text) if times else []),
    ]
    return [" ".join(text[max(one.start() - 30, 0) : one.end() + 20].split()) for one in found]


def typography_faults(page: str, *, units: bool = False, times: bool = False) -> list[str]:
    """Each breakable space before a French double sign in the text of an HTML page (attributes, scripts and styles
    left alone); with `units`, each one between a number and its unit (« % », « € ») too."""
    collector = _TextCollector()
    collector.feed(page)
    # Inline tags (« <span>X</span> : ») join their texts: a fault across a tag is still found.
    return text_typography_faults("".join(collector.parts), units=units, times=times)


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


# The columns of a clause-hours file, in the order of docs/formats.md (the import, the API and the hostile files).
CLAUSE_HOURS_COLUMNS = [
    "market_reference",
    "participant_ref",
    "sex",
    "birth_year",
    "employer_siret",
    "job_label",
    "job_dominance",
    "contract_type",
    "month",
    "hours",
]


# --- Generated images and PDFs ------------------------------------------------------------------------------


def image_bytes(image_format: str, *, size: tuple[int, int] = (40, 20)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "#000091").save(output, format=image_format)
    return output.getvalue()


def pdf_info(content: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def pdf_image_count(content: bytes) -> int:
    """How many images `pdfimages -list` finds in the PDF."""
    listing = subprocess.run(["pdfimages", "-list", "-"], input=content, capture_output=True, check=True).stdout
    return len(listing.decode().splitlines()) - 2  # two header lines


def pdf_catalog(content: bytes) -> bytes:
    """The document catalog (it sits in a compressed object stream)."""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        catalog = re.search(rb"<</Type /Catalog.*?>>", data)
        if catalog:
            return catalog.group(0)
    return re.search(rb"<</Type /Catalog.*?>>", content).group(0)


def page_texts(content: bytes) -> list[list[str]]:
    """The lines of each page, page footers left out."""
    pages = int(
        next(
            line.split()[1]
            for line in subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
            .stdout.decode()
            .splitlines()
            if line.startswith("Pages:")
        )
    )
    texts = []
    for page in range(1, pages + 1):
        output = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
            input=content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        texts.append(
            [line.strip() for line in output.splitlines() if line.strip() and not line.strip().startswith("Page ")]
        )
    return texts


# --- LibreOffice --------------------------------------------------------------------------------------------


def unavailable(reason: str) -> NoReturn:
    """A tool a test needs is missing: skipped on a developer machine, failed where CI requires every tool
    (REQUIRE_BROWSER=1), so that CI cannot lose the test silently."""
    if os.environ.get("REQUIRE_BROWSER", "") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def require_soffice(*tools: str) -> str:
    """The LibreOffice command, once it and `tools` (pdftotext, pdfinfo...) are found on the PATH; otherwise
    `unavailable`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if soffice is None:
        missing.insert(0, "LibreOffice (soffice)")
    if missing:
        unavailable(f"Introuvable sur cette machine : {', '.join(missing)}.")
    return soffice


def libreoffice_convert(
    soffice: str, paths: Iterable[Path], *, to: str, folder: Path, timeout: int = 180
) -> subprocess.CompletedProcess:
    """Converts `paths` with headless LibreOffice to the format `to` ("pdf", "odt"), into `folder / to`. The run has
    a profile of its own in `folder`: a user's LibreOffice, open or not, is neither read nor locked."""
    return subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profil-libreoffice'}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder / to),
            *map(str, paths),
        ],
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def committed_for_module(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture: what is written inside is committed (each test's own transaction, that of
    tests/conftest.py, then rolls back only what the test writes), and every table is emptied afterwards, even when
    building the data failed. For data that takes seconds to build and that every test of a module reads."""
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            for alias in connections:
                call_command("flush", database=alias, interactive=False, verbosity=0)
