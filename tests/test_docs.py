"""The documentation names only what exists: every Markdown file of the repository is read for the paths, Python
names, URL names, `make` targets and links it cites, and each must be found in the code.

What counts as a reference (chosen on what the documents actually write, so that prose is never mistaken for one):

- a repository path: a word of a code span or of a fenced block that starts with a project folder
  (`procurement/tabular.py`, `tests/…`, `docs/formats.md`), or a root file (`CHANGELOG.md`, `pyproject.toml`); a
  `…` or `<…>` ends the checked part (`templates/includes/…` checks the folder), a `*` is a glob;
- a Python name: a code span written `package.module.attribute` from a project package
  (`procurement.documents.html_to_pdf`, `questionnaire.selectors.privacy_notice`), or `package/module.attribute`;
  it is imported and read with getattr, or else is the name of a registered Celery task
  (`clauses.purge_clause_participants`);
- names given with their module: the identifiers in code spans inside the parentheses that follow a path
  (`procurement/models/fields.py` (`OrganisationQuerySet`, `organisation_lookup`)) must be written in that file, or
  in a file of that folder; a module named inside the parentheses is read relative to the folder before them
  (`procurement/accounts/` (`services/security.py` : `LoginThrottle`)) and takes the identifiers after it;
- a URL name: a code span `namespace:name` whose namespace is one of the site's (`registers:egapro_import`);
- a `make TARGET` anywhere in the text, whose target must be a rule of the Makefile;
- a relative Markdown link `[text](path#anchor)`: the file must exist, and the anchor be one of the headings of the
  target document (GitHub's slugs);
- a path in the prose, outside code spans (`… (docs/api.md)`); a pytest node (`tests/x.py::test_y`), whose test must
  be in the file;
- a name of the code in a code span, with a `_`, a capital or a dot (`Market.candidate_token`, `PAGES`,
  `IndicatorSnapshot.indicator_set()`): each of its parts must be written somewhere in the project (a lower-case
  word is left alone: it may be prose); a system check's identifier (`config.E001`) must be in the code.

Every document of `docs/` is also listed in the index `docs/README.md`.

Counter-examples that a document names on purpose (the « Non » column of `docs/style.md`) are listed in
`COUNTER_EXAMPLES`, with the document that names them.
"""

import functools
import glob
import importlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[1]

# The folders of the repository a backticked path can start with, and the files at its root.
PROJECT_FOLDERS = (
    ".ci",
    "analytics",
    "api",
    "benchmarks",
    "clauses",
    "config",
    "docs",
    "procurement",
    "questionnaire",
    "registers",
    "requirements",
    "static",
    "templates",
    "tests",
    "tools",
)
ROOT_FILES = (
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "LICENSE",
    "Makefile",
    "README.md",
    "manage.py",
    "package.json",
    "package-lock.json",
    "publiccode.yml",
    "pyproject.toml",
    ".pre-commit-config.yaml",
)
PYTHON_PACKAGES = ("analytics", "api", "benchmarks", "clauses", "config", "procurement", "questionnaire", "registers")

# Paths that a document names as what not to write: (document, path).
COUNTER_EXAMPLES = {
    ("docs/style.md", "questionnaire/staff_views.py"),
    ("docs/style.md", "analytics/urls_clauses.py"),
    ("docs/style.md", "procurement/specification_services.py"),
    ("docs/style.md", "procurement/account_forms.py"),
    ("docs/style.md", "questionnaire/fiche_docx.py"),
}

SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "media", "staticfiles", "test-artifacts"}
# Where the names of the project are written.
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".js", ".css", ".toml", ".yml", ".yaml", ".cfg")
# Names a document cites that the project does not write: PostgreSQL's settings and the benchmarks' databases.
EXTERNAL_NAMES = {"jit_optimize_above_cost", "jit_inline_above_cost", "jit_bench", "app_decp", "snake_case"}

# Markdown: `code`, a fence of a code block, [text](target) (an image too), a heading.
CODE_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^()\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")

# Punctuation around a word of a code span, not part of it.
TRAILING = ".,;:!?)»"
LEADING = "(«"

# Paths, URL names and make targets.
# A path written in the prose, outside a code span: `… (docs/api.md)`.
PROSE_PATH = re.compile(rf"(?<![\w/.`-])((?:{'|'.join(re.escape(folder) for folder in PROJECT_FOLDERS)})/[\w./…-]*)")
# Where the checked part of a path ends: an ellipsis, a placeholder, a query.
PATH_END = re.compile(r"[…<{?\[]")
FILE_SUFFIX = re.compile(r"\.(?:py|html|txt|md|css|js|json|xml|csv|xlsx|ods|docx|pdf|toml|yml|ya?ml)$")
URL_NAME = re.compile(r"([a-z_]+):([a-z_]+)")
MAKE_TARGET = re.compile(r"(?<![\w./-])make ([a-z][\w-]*)")

# Python names.
PACKAGE = "|".join(PYTHON_PACKAGES)
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
DOTTED_NAME = re.compile(rf"(?:{PACKAGE})(?:\.[A-Za-z_]\w*)+")
# `procurement/charts.has_values`: a module written as a path, then an attribute.
PATH_AND_ATTRIBUTE = re.compile(rf"((?:{PACKAGE})(?:/\w+)+)\.([A-Za-z_]\w*)")
# A system check's identifier (`config.E001`), written in the check that raises it.
CHECK_ID = re.compile(r"[a-z_]+\.[CEIW]\d{3}")
# A name of the code: snake_case, CamelCase or dotted (`Market.candidate_token`, `IndicatorSnapshot.indicator_set()`).
CODE_NAME = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\(\))?")


def repository_files(root: Path = ROOT) -> list[Path]:
    """The files of the repository, outside hidden folders (but `.ci/`), `node_modules` and `tests/corpus/`
    (documents that other projects wrote)."""
    found = []
    for folder, directories, files in os.walk(root):
        here = Path(folder)
        directories[:] = sorted(
            name
            for name in directories
            if name not in SKIPPED_DIRECTORIES
            and (not name.startswith(".") or name == ".ci")
            and (here / name).relative_to(root).as_posix() != "tests/corpus"
        )
        found.extend(here / name for name in sorted(files))
    return found


def markdown_files(root: Path = ROOT) -> list[Path]:
    return [path for path in repository_files(root) if path.suffix == ".md"]


# --- What exists ---------------------------------------------------------------------------------------------------


@functools.cache
def make_targets(root: Path = ROOT) -> frozenset[str]:
    text = (root / "Makefile").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, flags=re.MULTILINE))


@functools.cache
def celery_task_names() -> frozenset[str]:
    from config.celery import app

    app.loader.import_default_modules()
    return frozenset(app.tasks)


@functools.cache
def url_names() -> frozenset[str]:
    """Every `namespace:name` of the site (nested namespaces joined by `:`)."""
    names = set()

    def walk(resolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern, namespace)
            elif pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(get_resolver(), "")
    return frozenset(names)


def url_namespaces() -> frozenset[str]:
    return frozenset(name.rsplit(":", 1)[0] for name in url_names() if ":" in name)


def python_name_problem(dotted: str) -> str | None:
    """None when `dotted` is an importable module, an attribute of one, or a registered Celery task."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for depth, attribute in enumerate(parts[cut:], start=cut):
            if not hasattr(value, attribute):
                if dotted in celery_task_names():
                    return None
                return f"{'.'.join(parts[:depth])} n'a pas d'attribut {attribute}"
            value = getattr(value, attribute)
        return None
    return "aucun module de ce nom"


@functools.cache
def project_sources(root: Path = ROOT) -> tuple[str, ...]:
    """The text of the project's code, templates, scripts and configuration."""
    return tuple(
        path.read_text(encoding="utf-8", errors="replace")
        for path in repository_files(root)
        if path.name.endswith(SOURCE_SUFFIXES) or path.name in {"Makefile", "run"}
    )


@functools.cache
def project_words(root: Path = ROOT) -> frozenset[str]:
    """Every identifier the project writes; and the indicator keys, which the code composes (`docs/indicateurs.md` is
    checked against them by `tests/test_consistency.py`)."""
    words = set(EXTERNAL_NAMES)
    for text in project_sources(root):
        words.update(IDENTIFIER.findall(text))
    if root == ROOT:
        from analytics.indicators import KEYS

        words.update(KEYS)
    return frozenset(words)


def code_name_problem(root: Path, written: str) -> str | None:
    """The empty string when `written` is no name of the code (a word, a file name); None when it is one (with a
    `_`, a capital or a dot) that the project writes; else the reason."""
    match = CODE_NAME.fullmatch(written)
    if not match or FILE_SUFFIX.search(match.group(1)):
        return ""
    parts = match.group(1).split(".")
    if len(parts) == 1 and "_" not in written and not re.fullmatch(r"[A-Z][A-Za-z0-9]*|.*[a-z][A-Z].*", written):
        return ""  # a lower-case word (`run`, `hidden`) is no sure name of the code
    missing = [part for part in parts if part not in project_words(root)]
    return f"{', '.join(missing)} : aucun code du projet ne l'écrit" if missing else None


def path_exists(root: Path, written: str) -> bool:
    if "*" in written:
        return bool(glob.glob(str(root / written)))
    return (root / written).exists()


@functools.cache
def _source_words(path: Path) -> frozenset[str]:
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return frozenset(word for file in files for word in IDENTIFIER.findall(file.read_text(encoding="utf-8")))


@functools.cache
def heading_slugs(path: Path) -> frozenset[str]:
    """GitHub's anchors of a Markdown document: lower case, punctuation dropped, spaces as hyphens, `-1`, `-2`… for
    repeated headings."""
    slugs: list[str] = []
    inside_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            inside_fence = not inside_fence
            continue
        if inside_fence or not (match := HEADING.match(line)):
            continue
        title = re.sub(r"[`*]|<[^>]+>", "", match.group(2))
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
        slug = "".join(
            character
            for character in title.lower()
            if character in " -_" or unicodedata.category(character)[0] in "LNM"
        ).replace(" ", "-")
        count = sum(1 for existing in slugs if re.fullmatch(rf"{re.escape(slug)}(-\d+)?", existing))
        slugs.append(slug if count == 0 else f"{slug}-{count}")
    return frozenset(slugs)


# --- Reading a document --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    document: str
    line: int
    reference: str
    reason: str

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: `{self.reference}` : {self.reason}"


def _prose_and_fences(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text with fenced blocks blanked (line numbers kept), and the lines of the fenced blocks."""
    prose, fenced = [], []
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            inside = not inside
            prose.append("")
        elif inside:
            fenced.append((number, line))
            prose.append("")
        else:
            prose.append(line)
    return "\n".join(prose), fenced


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _clean(word: str) -> str:
    return word.strip(LEADING).rstrip(TRAILING)


def _checked_part(word: str) -> str:
    """`templates/includes/…` → `templates/includes/`, `tools/dependencies.py` stays."""
    return PATH_END.split(word, maxsplit=1)[0]


def _is_repository_path(word: str) -> bool:
    first, _, rest = word.partition("/")
    return (first in PROJECT_FOLDERS and (bool(rest) or word.endswith("/"))) or word in ROOT_FILES


def _path_problem(root: Path, document: str, word: str) -> str | None:
    written, *test_names = word.split("::")  # a pytest node: tests/x.py::test_y
    if test_names and (root / written).is_file():
        missing = [name for name in test_names if name not in _source_words(root / written)]
        return f"{', '.join(missing)} : aucun test de ce nom dans {written}" if missing else None
    written = _checked_part(written)
    if (document, written) in COUNTER_EXAMPLES or path_exists(root, written):
        return None
    if match := PATH_AND_ATTRIBUTE.fullmatch(written):
        module, attribute = match.groups()
        if (root / f"{module}.py").is_file():
            return python_name_problem(f"{module.replace('/', '.')}.{attribute}")
    return "aucun fichier ni dossier de ce nom"


def _parenthesised(text: str, start: int) -> tuple[int, int] | None:
    """The span of the parentheses opening at `start` (after spaces), balanced, on the same paragraph."""
    position = start
    while position < len(text) and text[position] == " ":
        position += 1
    if position >= len(text) or text[position] != "(":
        return None
    depth = 0
    for index in range(position, len(text)):
        character = text[index]
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return position + 1, index
        elif text.startswith("\n\n", index):
            return None
    return None


def _names_with_their_module(root: Path, prose: str, span: re.Match, path: str) -> list[tuple[int, str, str]]:
    """(offset, identifier, reason) for each identifier of the parentheses after `path` that its module (or the
    module named before it inside the parentheses) does not write."""
    inner = _parenthesised(prose, span.end())
    if inner is None:
        return []
    problems = []
    folder = path if path.endswith("/") else None
    home = root / path
    previous = inner[0]
    for name in CODE_SPAN.finditer(prose, inner[0], inner[1]):
        if ";" in CODE_SPAN.sub("", prose[previous : name.start()]):
            home = root / path  # a « ; » ends what a module named inside the parentheses owns
        previous = name.end()
        content = name.group(1).strip().rstrip("…")
        if folder and content.endswith((".py", "/")) and not _is_repository_path(content):
            home = root / folder / content
            if not home.exists():
                problems.append((name.start(), name.group(1), f"aucun fichier {folder}{content}"))
            continue
        if _is_repository_path(content):
            home = root / content
            continue
        if not IDENTIFIER.fullmatch(content) or not home.exists():
            continue
        if home.is_file() and home.suffix != ".py":
            continue
        if content not in _source_words(home):
            where = home.relative_to(root).as_posix()
            problems.append((name.start(), name.group(1), f"n'est pas écrit dans {where}"))
    return problems


def document_problems(path: Path, *, root: Path = ROOT) -> tuple[list[Problem], int]:
    """The stale references of one Markdown document, and how many references were checked."""
    document = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    prose, fenced = _prose_and_fences(text)
    problems: list[Problem] = []
    checked = 0

    def report(line: int, reference: str, reason: str | None) -> None:
        nonlocal checked
        checked += 1
        if reason:
            problems.append(Problem(document, line, reference, reason))

    for span in CODE_SPAN.finditer(prose):
        content = span.group(1).strip()
        line = _line_of(prose, span.start())
        if CHECK_ID.fullmatch(content):
            written = any(f'"{content}"' in text for text in project_sources(root))
            report(line, content, None if written else "aucune vérification de Django ne porte ce nom")
            continue
        if DOTTED_NAME.fullmatch(content) and not FILE_SUFFIX.search(content):  # `clauses.py` is a file
            report(line, content, python_name_problem(content))
            continue
        if (match := URL_NAME.fullmatch(content)) and match.group(1) in url_namespaces():
            report(line, content, None if content in url_names() else "aucune adresse de ce nom")
            continue
        for word in map(_clean, content.split()):
            word = word.split("=", 1)[-1]
            if _is_repository_path(word):
                report(line, word, _path_problem(root, document, word))
        if not _is_repository_path(content) and (reason := code_name_problem(root, content)) != "":
            report(line, content, reason)
        if _is_repository_path(content) and (content.endswith((".py", "/"))):
            for offset, name, reason in _names_with_their_module(root, prose, span, content):
                report(_line_of(prose, offset), name, reason)

    outside_code = CODE_SPAN.sub(lambda span: " " * len(span.group(0)), prose)
    outside_code = re.sub(r"\]\([^)]*\)", lambda target: " " * len(target.group(0)), outside_code)
    for match in PROSE_PATH.finditer(outside_code):
        word = match.group(1).rstrip(".")
        report(_line_of(prose, match.start()), word, _path_problem(root, document, word))

    for line, code in fenced:
        for word in map(_clean, code.split()):
            word = word.split("=", 1)[-1]
            if _is_repository_path(word):
                report(line, word, _path_problem(root, document, word))

    for match in MAKE_TARGET.finditer(text):
        target = match.group(1)
        report(
            _line_of(text, match.start()),
            f"make {target}",
            None if target in make_targets(root) else "aucune règle de ce nom dans le Makefile",
        )

    for match in LINK.finditer(prose):
        target = match.group(1).strip("<>")
        if re.match(r"[a-z][a-z+.-]*:", target):
            continue
        report(_line_of(prose, match.start()), target, _link_problem(root, path, target))

    return problems, checked


def _link_problem(root: Path, document: Path, target: str) -> str | None:
    file_part, _, anchor = target.partition("#")
    linked = (document.parent / file_part).resolve() if file_part else document
    if not linked.exists() or not linked.is_relative_to(root):
        return "le lien mène à un fichier absent"
    if anchor and linked.suffix == ".md" and anchor not in heading_slugs(linked):
        return f"{linked.relative_to(root).as_posix()} n'a pas de titre d'ancre #{anchor}"
    return None


# --- Tests ---------------------------------------------------------------------------------------------------------


def test_every_reference_of_the_documentation_exists():
    files = markdown_files()
    problems, checked = [], 0
    for path in files:
        found, count = document_problems(path)
        problems.extend(found)
        checked += count

    documents = {path.relative_to(ROOT).as_posix() for path in files}
    assert {"README.md", "CONTRIBUTING.md", "docs/architecture.md", "benchmarks/README.md"} <= documents
    assert not any(document.startswith(("tests/corpus/", "node_modules/")) for document in documents)
    advice = "La documentation cite ce qui n'existe pas : corrigez le document (ou le nom dans le code s'il est faux)."
    assert problems == [], "\n".join([advice, *map(str, problems)])
    assert checked > 1400, checked


def test_every_document_of_docs_is_in_its_index():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| \[[^\]]+\]\(([\w.-]+\.md)\) \|", index, flags=re.MULTILINE))
    documents = {path.name for path in (ROOT / "docs").glob("*.md")} - {"README.md"}

    assert {"docs/architecture.md", "docs/formats.md"} <= {f"docs/{name}" for name in listed}
    assert sorted(documents - listed) == [], "Ajoutez ces documents au tableau de docs/README.md."


# The document written in a temporary repository, and two that exist nowhere. The names of Markdown files that this
# module writes are those of the repository, or built, so that tests/test_consistency.py reads none it does not know.
GUIDE = "docs/api.md"
MISSING_DOCUMENT = "docs/guide-ancien" + ".md"
MISSING_LINK = "archi" + ".md"


def _problems_of(tmp_path: Path, text: str, *, reasons: bool = False) -> list[str]:
    for folder in ("docs", "procurement", "tests"):
        (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / "Makefile").write_text("run: install\n\techo\ntest: quality\nUV := uv\n", encoding="utf-8")
    (tmp_path / "procurement" / "tabular.py").write_text("def read_table():\n    pass\n", encoding="utf-8")
    (tmp_path / "docs/formats.md").write_text(
        "# Formats\n\n## Modèle ODS et XLSX\n\n## Import des marchés (`import_markets`)\n\n## Formats\n",
        encoding="utf-8",
    )
    document = tmp_path / GUIDE
    document.write_text(text, encoding="utf-8")
    problems, _ = document_problems(document, root=tmp_path)
    if reasons:
        return [f"{problem.line}: {problem.reference} : {problem.reason}" for problem in problems]
    return [f"{problem.line}: {problem.reference}" for problem in problems]


def test_a_wrong_path_is_found_with_its_file_and_line(tmp_path):
    text = (
        "# Guide\n\nLe lecteur : `procurement/tabular.py`.\nL'ancien : `procurement/readers.py` (voir `tests/`).\n"
        f"Les formats (docs/formats.md), l'ancien guide ({MISSING_DOCUMENT}).\n"
    )

    assert _problems_of(tmp_path, text) == ["4: procurement/readers.py", f"5: {MISSING_DOCUMENT}"]
    problems, _ = document_problems(tmp_path / GUIDE, root=tmp_path)
    assert str(problems[0]) == f"{GUIDE}:4: `procurement/readers.py` : aucun fichier ni dossier de ce nom"


def test_paths_in_commands_and_fenced_blocks_are_checked(tmp_path):
    text = (
        "Lancer `.venv/bin/pytest tests/test_gone.py -k x` ou :\n\n"
        "```sh\n.venv/bin/pytest tests/\n.venv/bin/python procurement/tabular.py procurement/old.py\n```\n"
    )

    assert _problems_of(tmp_path, text) == ["1: tests/test_gone.py", "5: procurement/old.py"]
    (tmp_path / "tests" / "test_x.py").write_text("def test_found():\n    pass\n", encoding="utf-8")
    assert _problems_of(tmp_path, "`pytest tests/test_x.py::test_found tests/test_x.py::test_lost`\n") == [
        "1: tests/test_x.py::test_lost"
    ]


def test_an_ellipsis_or_a_placeholder_ends_the_checked_path(tmp_path):
    text = "`tests/…`, `procurement/<module>.py`, `templates/includes/…`, `docs/*.md`, `docs/*.txt`\n"

    assert _problems_of(tmp_path, text) == ["1: templates/includes/…", "1: docs/*.txt"]


def test_a_wrong_python_name_is_found(tmp_path):
    assert _problems_of(tmp_path, "`clauses.py`, `procurement.tabular`, `procurement.tabular.read_tables`\n") == [
        "1: procurement.tabular.read_tables"
    ]
    assert python_name_problem("procurement.tabular.read_table") is None
    assert python_name_problem("procurement.documents.html_to_pdf") is None
    assert python_name_problem("clauses.purge_clause_participants") is None  # a Celery task's name
    assert (
        python_name_problem("procurement.tabular.read_tables") == "procurement.tabular n'a pas d'attribut read_tables"
    )
    assert python_name_problem("procurement.tabulr.read_table") == "procurement n'a pas d'attribut tabulr"


def test_names_given_with_their_module_are_looked_for_in_it(tmp_path):
    (tmp_path / "procurement" / "accounts").mkdir(parents=True)
    (tmp_path / "procurement" / "accounts" / "security.py").write_text("class LoginThrottle: ...\n", encoding="utf-8")
    text = (
        "Lecture : `procurement/tabular.py` (`read_table`, `parse_month`).\n"
        "Comptes : `procurement/accounts/` (`security.py` : `LoginThrottle`, `Lockout` ; `views.py`).\n"
        "Ailleurs : `procurement/tabular.py` : `parse_month` n'est pas entre parenthèses.\n"
    )

    assert _problems_of(tmp_path, text, reasons=True) == [
        "1: parse_month : n'est pas écrit dans procurement/tabular.py",
        # Written nowhere in this project: the rule on every name of the code finds it as well.
        "1: parse_month : parse_month : aucun code du projet ne l'écrit",
        "2: Lockout : n'est pas écrit dans procurement/accounts/security.py",
        "2: views.py : aucun fichier procurement/accounts/views.py",
        "2: Lockout : Lockout : aucun code du projet ne l'écrit",
        "3: parse_month : parse_month : aucun code du projet ne l'écrit",
    ]


def test_a_name_of_the_code_is_looked_for_in_the_whole_project(tmp_path):
    text = (
        "`read_table`, `Market.candidate_token`, `IndicatorSnapshot.indicator_set()`, `tabular.py`, `run`, `Gender`\n"
    )

    assert _problems_of(tmp_path, text, reasons=True) == [
        "1: Market.candidate_token : Market, candidate_token : aucun code du projet ne l'écrit",
        "1: IndicatorSnapshot.indicator_set() : IndicatorSnapshot, indicator_set : aucun code du projet ne l'écrit",
        "1: Gender : Gender : aucun code du projet ne l'écrit",
    ]
    assert code_name_problem(ROOT, "Market.candidate_token") is None
    assert code_name_problem(ROOT, "Gender") is None
    unknown = "Zyz" + "zyva"  # written whole, this file would be a place of the code that writes it
    assert code_name_problem(ROOT, unknown) == f"{unknown} : aucun code du projet ne l'écrit"
    assert code_name_problem(ROOT, "zyzzyva") == ""  # a lower-case word may be prose
    assert code_name_problem(ROOT, "Synthèse") == ""  # a French word (a sheet's name)
    assert code_name_problem(ROOT, "IndicatorSnapshot.indicator_set()") is None


def test_make_targets_and_links_are_checked(tmp_path):
    text = (
        "# Guide\n`make run`, `make test PYTEST_ARGS=-x`, `make bench`.\n\n"
        "```sh\nmake lint\n```\n\n"
        "[Formats](../docs/formats.md#modèle-ods-et-xlsx), [ancre](../docs/formats.md#modele-ods), "
        f"[absent]({MISSING_LINK}), [ici](#guide), [site](https://example.org/x.md), "
        "[import](../docs/formats.md#import-des-marchés-import_markets), [second](../docs/formats.md#formats-1).\n"
    )

    assert _problems_of(tmp_path, text) == [
        "2: make bench",
        "5: make lint",
        "8: ../docs/formats.md#modele-ods",
        f"8: {MISSING_LINK}",
    ]


def test_a_counter_example_is_allowed_only_in_its_document(tmp_path):
    assert _problems_of(tmp_path, "`questionnaire/staff_views.py`\n") == ["1: questionnaire/staff_views.py"]

    (tmp_path / "docs/style.md").write_text(
        "| Oui | Non |\n| `procurement/tabular.py` | `questionnaire/staff_views.py` |\n", encoding="utf-8"
    )
    problems, _ = document_problems(tmp_path / "docs/style.md", root=tmp_path)
    assert problems == []


def test_github_heading_slugs():
    path = ROOT / "docs/architecture.md"

    assert {"les-applications", "le-sens-des-dépendances", "où-vit-chaque-notion"} <= heading_slugs(path)
