"""One dependency source: pyproject.toml, its pinned locks, and the packages the code imports agree."""

import shutil
from pathlib import Path

import pytest

from tools import dependencies

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def copy(tmp_path):
    """pyproject.toml and the locks of the repository, in a folder of their own, with no code yet."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def relock_headers(root: Path) -> None:
    """What `make lock` writes in the headers, the pins left as they are (no network in tests)."""
    project = dependencies.read_project(root)
    for lock in dependencies.LOCKS:
        path = root / lock.path
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        body = "".join(line for line in lines if not line.startswith("# "))
        path.write_text(dependencies.header(project, lock) + body, encoding="utf-8")


def add_code(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_repository_passes_the_check():
    assert dependencies.check(ROOT) == []


def test_the_check_command_exits_with_an_error_and_says_why(copy, capsys):
    edit(copy / "requirements/base.txt", "django-otp==", "django-otp-renamed==")

    assert dependencies.main(["check", "--root", str(copy)]) == 1
    assert "requirements/base.txt n'épingle pas django-otp : lancez `make lock`." in capsys.readouterr().err


def test_a_changed_range_makes_every_lock_stale(copy):
    edit(copy / "pyproject.toml", '"segno>=1.6,<2"', '"segno>=1.7,<2"')

    problems = dependencies.check(copy)

    for lock in ("base", "test", "bench"):
        assert f"requirements/{lock}.txt est périmé (pyproject.toml a changé depuis) : lancez `make lock`." in problems
        assert any(p.startswith(f"requirements/{lock}.txt épingle segno==1.6.6, hors de") for p in problems)


def test_a_test_group_change_leaves_the_base_lock_fresh(copy):
    edit(copy / "pyproject.toml", '"ruff>=0.17,<0.18"', '"ruff>=0.17,<0.19"')

    problems = dependencies.check(copy)

    assert not any(problem.startswith("requirements/base.txt") for problem in problems)
    assert "requirements/test.txt est périmé (pyproject.toml a changé depuis) : lancez `make lock`." in problems


def test_a_direct_dependency_missing_from_a_lock(copy):
    edit(copy / "requirements/test.txt", "python-docx==", "python-docx-fork==")

    assert dependencies.check(copy) == ["requirements/test.txt n'épingle pas python-docx : lancez `make lock`."]


def test_an_imported_package_dropped_from_pyproject_is_reported(copy):
    add_code(copy, "clauses/crypto.py", (ROOT / "clauses/crypto.py").read_text(encoding="utf-8"))
    assert dependencies.check(copy) == []

    edit(copy / "pyproject.toml", '    "cryptography>=50,<51",\n', "")
    relock_headers(copy)

    assert dependencies.check(copy) == [
        "clauses/crypto.py:12 importe « cryptography » (paquet cryptography), absent des dépendances qui "
        "installent requirements/base.txt : ajoutez-le à pyproject.toml puis lancez `make lock`.",
        "clauses/crypto.py:13 importe « cryptography » (paquet cryptography), absent des dépendances qui "
        "installent requirements/base.txt : ajoutez-le à pyproject.toml puis lancez `make lock`.",
        "clauses/crypto.py:14 importe « cryptography » (paquet cryptography), absent des dépendances qui "
        "installent requirements/base.txt : ajoutez-le à pyproject.toml puis lancez `make lock`.",
    ]


def test_a_package_of_the_test_group_is_not_enough_for_the_apps(copy):
    add_code(copy, "tests/test_document.py", "import docx\n")
    add_code(copy, "procurement/document.py", "import docx\n")

    assert dependencies.check(copy) == [
        "procurement/document.py:1 importe « docx » (paquet python-docx), absent des dépendances qui installent "
        "requirements/base.txt : ajoutez-le à pyproject.toml puis lancez `make lock`."
    ]


@pytest.mark.parametrize("app", ["registers", "api"])
def test_every_app_of_the_site_is_checked_against_the_base_lock(copy, app):
    add_code(copy, f"{app}/document.py", "import docx\n")

    assert dependencies.check(copy) == [
        f"{app}/document.py:1 importe « docx » (paquet python-docx), absent des dépendances qui installent "
        "requirements/base.txt : ajoutez-le à pyproject.toml puis lancez `make lock`."
    ]


def test_every_python_package_of_the_repository_belongs_to_a_lock():
    skipped = {"node_modules", "staticfiles", "media", "test-artifacts"}
    packages = {
        folder.name
        for folder in ROOT.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in skipped
        if next(folder.rglob("*.py"), None)
    }
    areas = {folder for folders in dependencies.AREAS.values() for folder in folders}

    assert {"procurement", "registers", "api", "tests", "tools", "benchmarks"} <= packages
    assert sorted(packages - areas) == []


def test_the_security_lint_of_make_quality_reads_every_app_and_tool():
    rule = next(line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if "bandit" in line)
    scanned = set(rule.split("--severity-level high", 1)[1].split())
    apps = set(dependencies.AREAS["requirements/base.txt"]) - {"manage.py"}

    assert "registers" in apps
    assert sorted((apps | {"tools"}) - scanned) == []


def test_an_app_named_in_the_settings_counts_as_an_import(copy):
    add_code(
        copy, "config/settings/base.py", 'INSTALLED_APPS = ["widget_tweaks", "procurement"]\nLANGUAGE_CODE = "fr"\n'
    )
    add_code(copy, "procurement/__init__.py", "")
    assert dependencies.check(copy) == []

    edit(copy / "pyproject.toml", '    "django-widget-tweaks>=1.5,<2",\n', "")
    relock_headers(copy)

    assert dependencies.check(copy) == [
        "config/settings/base.py:1 importe « widget_tweaks » (paquet django-widget-tweaks), absent des "
        "dépendances qui installent requirements/base.txt : ajoutez-le à pyproject.toml puis lancez `make lock`."
    ]


def test_a_benchmark_may_import_a_package_that_is_not_installed_if_its_group_declares_it(copy):
    add_code(copy, "benchmarks/load/locustfile.py", "import locust\nimport gevent\n")
    assert dependencies.check(copy) == []

    add_code(copy, "benchmarks/load/locustfile.py", "import locust\nimport not_a_declared_package\n")
    assert dependencies.check(copy) == [
        "benchmarks/load/locustfile.py:2 importe « not_a_declared_package » (paquet not-a-declared-package), "
        "absent des dépendances qui installent requirements/bench.txt : ajoutez-le à pyproject.toml puis "
        "lancez `make lock`."
    ]
