"""What the documents tell a person to type works as written. tests/test_docs.py checks that the files and names
they cite exist; this module checks the commands and addresses themselves, read in code spans and fenced blocks:

- a management command of the project, or a script of the repository (`benchmarks/…/bench_import.py`,
  `tools/fuzz.py`), followed by `--option`s: each option is one it declares (a command run in cron with an option it
  does not know stops at once);
- `pytest … -k WORD`: some test of the named files (of `tests/` when none is named) has WORD in its name (pytest
  compares without case), so that the example selects something;
- `make TARGET NAME=value`: the Makefile reads NAME;
- an address of the site (`/annexe-egalite/titulaires/`, `http://127.0.0.1:8000/…`, the API's `$API/markets/42/`):
  it resolves, placeholders (`<jeton>`, `{siren}`) standing for any value, or it is the prefix under which the site
  mounts pages (`/api/v1/`);
- the environment variables of README.md's « Configuration » table are exactly those `config/env.py` reads.
"""

import functools
import re
from pathlib import Path

from django.core.management import get_commands, load_command_class
from django.urls import Resolver404, get_resolver, resolve

from tests.test_docs import CODE_SPAN, PYTHON_PACKAGES, ROOT, Problem, _line_of, _prose_and_fences, markdown_files

# Options every management command has (Django's), which the documents do not need to name.
COMMON_OPTIONS = {
    "--help",
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}
# Addresses a document names that are other sites' (the public registers' APIs), with the document.
EXTERNAL_ADDRESSES = {
    ("README.md", "/api/public/declaration/{siren}/{année}"),
    ("README.md", "/search?q={siret}"),
    ("docs/sources.md", "/api/public/declaration/{siren}/{année}"),
}
# The first folders of a path on the machine (`/usr/bin/chromium`), not on the site.
MACHINE_FOLDERS = {"usr", "tmp", "etc", "var", "dev", "proc", "home", "root", "opt", "bin", "srv", "work"}
# Variables config/env.py reads that only the tests set, for the processes they start.
TEST_ONLY_VARIABLES = {"CELERY_REAL_WORKER"}

# Where a command ends inside a line: a shell separator or a table cell.
COMMAND_END = re.compile(r"\s(?:&&|\|\||;|\|)\s")
OPTION = re.compile(r"--[a-z][\w-]*")
SITE_ADDRESS = re.compile(r"(?:https?://(?:127\.0\.0\.1|localhost):8000)?(/(?:<[^>]*>|[^\s`<])*)")
SITE_ADDRESS_IN_PROSE = re.compile(r"https?://(?:127\.0\.0\.1|localhost):8000(/[^\s>)`]*)")
# docs/api.md's examples: `export API=https://…/api/v1`, then `curl … "$API/markets/42/"`.
API_ADDRESS = re.compile(r"\$API(/[^\s\"'`]*)")
PLACEHOLDER = re.compile(r"<[^>]*>|\{[^}]*\}")
PYTEST_K = re.compile(r"(?:^|\s)-k\s+(['\"]?)(\w+)\1(?=\s|$)")
MAKE_ASSIGNMENTS = re.compile(r"(?<![\w./-])make ([a-z][\w-]*)((?:\s+[A-Z][A-Z0-9_]*=(?:\"[^\"]*\"|'[^']*'|\S*))+)")
ENVIRONMENT_READ = re.compile(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"")


# --- What exists ---------------------------------------------------------------------------------------------------


@functools.cache
def command_options() -> dict[str, frozenset[str]]:
    """The project's management commands and the options of each (Django's own left out)."""
    found = {}
    for name, app in get_commands().items():
        if app.split(".")[0] not in PYTHON_PACKAGES:
            continue
        parser = load_command_class(app, name).create_parser("manage.py", name)
        options = {option for action in parser._actions for option in action.option_strings}
        found[name] = frozenset(option for option in options if option.startswith("--")) - COMMON_OPTIONS
    return found


@functools.cache
def names_of_tests(path: Path) -> frozenset[str]:
    files = sorted(path.rglob("test_*.py")) if path.is_dir() else [path]
    return frozenset(
        name.lower()
        for file in files
        for name in re.findall(r"^\s*(?:async )?def (test_\w+)", file.read_text(encoding="utf-8"), re.MULTILINE)
    )


def makefile_variables(root: Path) -> frozenset[str]:
    text = (root / "Makefile").read_text(encoding="utf-8")
    return frozenset(re.findall(r"\$[({]([A-Z][A-Z0-9_]*)[)}]", text))


@functools.cache
def site_prefixes() -> frozenset[str]:
    """The routes under which the site mounts other URL configurations (`api/v1/`, `annexe/`), and their parents."""
    prefixes = set()

    def walk(resolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
                parts = route.strip("/").split("/")
                prefixes.update("/".join(parts[:count]) + "/" for count in range(1, len(parts) + 1))
                walk(pattern, route)

    walk(get_resolver(), "")
    return frozenset(prefixes)


def address_problem(address: str) -> str | None:
    """None when `address` is a page of the site (any value in its placeholders) or a prefix of its pages."""
    path = address.split("?", 1)[0].split("#", 1)[0].replace("…", "")
    for value in ("1", "2025", "a1b2c3", "123456789", "AbCdEf0123456789_-AbCdEf0123456789"):
        try:
            resolve(PLACEHOLDER.sub(value, path))
            return None
        except Resolver404:
            continue
    if path.endswith("/") and not PLACEHOLDER.search(path) and path.lstrip("/") in site_prefixes():
        return None
    return "aucune page du site à cette adresse"


def configuration_variables(readme: str) -> set[str]:
    """The variables of the first column of README.md's « Configuration » table."""
    section = readme.split("\n## Configuration\n", 1)[1].split("\n#", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


# --- Reading a document --------------------------------------------------------------------------------------------


def _commands(text: str) -> list[tuple[int, str]]:
    """(line, text) of each code span, and of each line of a fenced block (a line ending in `\\` joined to the
    next)."""
    prose, fenced = _prose_and_fences(text)
    found = [(_line_of(prose, span.start()), span.group(1)) for span in CODE_SPAN.finditer(prose)]
    pending: tuple[int, str] | None = None
    for number, line in fenced:
        start, before = pending or (number, "")
        joined = f"{before} {line.strip()}".strip()
        if joined.endswith("\\"):
            pending = (start, joined[:-1])
            continue
        pending = None
        found.append((start, joined))
    return found


@functools.cache
def script_options(path: Path) -> frozenset[str]:
    """The options a script of the repository declares (`parser.add_argument("--rows", …)`)."""
    text = path.read_text(encoding="utf-8")
    return frozenset(re.findall(r"add_argument\(\s*(?:\"-\w\",\s*)?\"(--[\w-]+)\"", text)) | {"--help"}


def _option_problems(root: Path, command: str) -> list[tuple[str, str]]:
    """A management command's or a script's options that it does not have."""
    problems = []
    commands = command_options()
    for part in COMMAND_END.split(command):
        words = part.split()
        for index, word in enumerate(words):
            if word in commands:
                name, known = word, commands[word]
            elif word.endswith(".py") and "/" in word and (root / word).is_file():
                name, known = word, script_options(root / word)
            else:
                continue
            for option in (
                OPTION.findall(after.strip("[]")) for after in words[index + 1 :] if after.lstrip("[").startswith("--")
            ):
                problems.extend(
                    (f"{name} {found}", f"{name} n'a pas d'option {found}") for found in option if found not in known
                )
            break
    return problems


def _pytest_problems(root: Path, command: str) -> list[tuple[str, str]]:
    if not re.search(r"(?:^|[/\s])pytest(?:\s|$)", command):
        return []
    problems = []
    for match in PYTEST_K.finditer(command):
        word = match.group(2)
        files = [root / path for path in re.findall(r"(?<![\w/])(tests/[\w/]*?(?:\.py)?)(?=::|\s|$)", command)]
        files = [path for path in files if path.exists()] or [root / "tests"]
        if not any(word.lower() in name for path in files for name in names_of_tests(path)):
            where = ", ".join(path.relative_to(root).as_posix() for path in files)
            problems.append((f"-k {word}", f"aucun test de {where} n'a « {word} » dans son nom"))
    return problems


def command_problems(path: Path, *, root: Path = ROOT) -> list[Problem]:
    """What a document tells a person to type that would not work as written."""
    return text_command_problems(path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"), root=root)


def checked_commands(text: str) -> int:
    """How many commands and addresses of the site a document gives (so that a check reading none is seen)."""
    commands = [command for _, command in _commands(text)]
    return (
        sum(any(word in command_options() for word in command.split()) for command in commands)
        + sum(bool(PYTEST_K.search(command)) or "make " in command for command in commands)
        + sum(bool(SITE_ADDRESS.fullmatch(command.strip())) for command in commands)
    )


def text_command_problems(document: str, text: str, *, root: Path = ROOT) -> list[Problem]:
    problems = []
    variables = makefile_variables(root)
    for line, command in _commands(text):
        for reference, reason in _option_problems(root, command) + _pytest_problems(root, command):
            problems.append(Problem(document, line, reference, reason))
        for match in MAKE_ASSIGNMENTS.finditer(command):
            for name in re.findall(r"([A-Z][A-Z0-9_]*)=", match.group(2)):
                if name not in variables:
                    reason = f"le Makefile ne lit pas {name}"
                    problems.append(Problem(document, line, f"make {match.group(1)} {name}=", reason))
        for match in API_ADDRESS.finditer(command):
            if reason := address_problem(f"/api/v1{match.group(1)}"):
                problems.append(Problem(document, line, f"$API{match.group(1)}", reason))
        address = SITE_ADDRESS.fullmatch(command.strip())
        if address and (document, address.group(1)) not in EXTERNAL_ADDRESSES:
            first = address.group(1).lstrip("/").split("/", 1)[0]
            if first[:1].islower() and first not in MACHINE_FOLDERS and (reason := address_problem(address.group(1))):
                problems.append(Problem(document, line, address.group(1), reason))
    prose, _ = _prose_and_fences(text)
    outside_code = CODE_SPAN.sub(lambda span: " " * len(span.group(0)), prose)
    for match in SITE_ADDRESS_IN_PROSE.finditer(outside_code):
        if reason := address_problem(match.group(1).rstrip(".,;")):
            problems.append(Problem(document, _line_of(prose, match.start()), match.group(1), reason))
    return problems


# --- Tests ---------------------------------------------------------------------------------------------------------


def test_every_command_and_address_of_the_documentation_works_as_written():
    files = markdown_files()
    problems = [problem for path in files for problem in command_problems(path)]
    checked = sum(checked_commands(path.read_text(encoding="utf-8")) for path in files)

    advice = "La documentation donne une commande ou une adresse qui ne marche pas telle quelle : corrigez-la."
    assert problems == [], "\n".join([advice, *map(str, problems)])
    assert checked > 150, checked


def test_the_configuration_table_names_every_variable_that_config_env_reads():
    read = set(ENVIRONMENT_READ.findall((ROOT / "config/env.py").read_text(encoding="utf-8")))
    documented = configuration_variables((ROOT / "README.md").read_text(encoding="utf-8"))

    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "REGISTERS_TIMEOUT_SECONDS"} <= read
    assert sorted(read - TEST_ONLY_VARIABLES - documented) == [], "Décrivez ces variables dans README.md."
    assert sorted(documented - read) == [], "README.md décrit des variables que config/env.py ne lit pas."


def _problems_of(text: str, document: str = "docs/api.md") -> list[str]:
    """The problems of `text`, read as a document of this repository (its commands, Makefile, tests and site)."""
    return [
        f"{problem.line}: {problem.reference} : {problem.reason}" for problem in text_command_problems(document, text)
    ]


def test_an_unknown_option_of_a_management_command_is_found():
    text = (
        "| `purge_clause_participants --all-organisations [--dry-run]` | chaque nuit |\n"
        "| `purge_clause_participants --all-organization` | faute de frappe |\n"
        "`create_organisation SLUG --name NOM [--article la\\|le\\|none] [--admin-mail ADRESSE]`\n\n"
        "```sh\npython manage.py indicators --year 2025 \\\n  --format xlsx --outfile stats.xlsx\n```\n"
        "`import_markets FICHIER` ; `seed_demo` ; `--dry-run` seul n'est rattaché à aucune commande.\n"
        "`.venv/bin/python tools/fuzz.py --list`, `.venv/bin/python tools/fuzz.py --target xlsx --case 20`\n"
    )

    assert _problems_of(text) == [
        "2: purge_clause_participants --all-organization : purge_clause_participants n'a pas d'option "
        "--all-organization",
        "3: create_organisation --admin-mail : create_organisation n'a pas d'option --admin-mail",
        "10: tools/fuzz.py --case : tools/fuzz.py n'a pas d'option --case",
        "6: indicators --outfile : indicators n'a pas d'option --outfile",
    ]


def test_a_pytest_selection_that_selects_nothing_is_found():
    text = (
        "`.venv/bin/pytest tests/questionnaire/test_wizard.py -k draft` : les brouillons.\n"
        "`.venv/bin/pytest tests/questionnaire/test_wizard.py -k brouillon` : le nom des tests est en anglais.\n"
        '```sh\nmake test PYTEST_ARGS="-k market"\n.venv/bin/pytest -k marchandise\n```\n'
    )

    assert _problems_of(text) == [
        "2: -k brouillon : aucun test de tests/questionnaire/test_wizard.py n'a « brouillon » dans son nom",
        "5: -k marchandise : aucun test de tests n'a « marchandise » dans son nom",
    ]


def test_a_make_variable_that_the_makefile_does_not_read_is_found():
    text = (
        '`make test SKIP_QUALITY=1 PYTEST_ARG="-x"`, `make fuzz FUZZ_ARGS="--cases 20"`, `make bench-load BENCH=1`\n'
    )

    assert _problems_of(text) == [
        "1: make test PYTEST_ARG= : le Makefile ne lit pas PYTEST_ARG",
        "1: make bench-load BENCH= : le Makefile ne lit pas BENCH",
    ]


def test_an_address_that_is_no_page_of_the_site_is_found():
    text = (
        "| `/annexe-egalite/titulaires/entreprises/<SIREN>/` | `/annexe/reprendre/<jeton>/` | `/api/v1/` |\n"
        "| `/statistique/` | `/annexe-egalite/titulaire/` | `/usr/bin/chromium` | `/Lang` |\n"
        "| `/donnees-ouvertes/<identifiant de l'acheteur>/` | `/donnees-ouvert/<identifiant de l'acheteur>/` |\n"
        "Voir <http://127.0.0.1:8000/donnees-ouvertes/valenciennes-demo/> et <http://127.0.0.1:8000/donnees/>.\n"
        "`GET /search?q={siret}` (répertoire des entreprises), `/search?q={siret}`\n"
        '```sh\ncurl -H "Authorization: Bearer $JETON" "$API/markets/42/candidate-link/" "$API/market/42/"\n```\n'
    )

    assert _problems_of(text) == [
        "2: /statistique/ : aucune page du site à cette adresse",
        "2: /annexe-egalite/titulaire/ : aucune page du site à cette adresse",
        "3: /donnees-ouvert/<identifiant de l'acheteur>/ : aucune page du site à cette adresse",
        "5: /search?q={siret} : aucune page du site à cette adresse",
        "7: $API/market/42/ : aucune page du site à cette adresse",
        "4: /donnees/ : aucune page du site à cette adresse",
    ]
    assert _problems_of("`/search?q={siret}`\n", document="README.md") == []
