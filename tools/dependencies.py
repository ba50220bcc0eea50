"""The project's dependencies: one source, pyproject.toml, compiled to the pinned locks requirements/*.txt.

    python tools/dependencies.py check   # `make quality`: offline, standard library and `packaging` only
    python tools/dependencies.py lock    # `make lock`: recompiles the locks with `uv pip compile`

`check` fails (exit code 1, one French line per problem) when:
- a lock's header does not carry the fingerprint of today's dependency lists (pyproject.toml changed since
  `make lock`), or a direct dependency is missing from its lock or pinned outside its range;
- a package that the code imports (or that the settings name, e.g. an app of INSTALLED_APPS) is not declared
  in the list that the code's area installs: the apps and config in `dependencies`, the tests and tools in
  the `test` group as well, the benchmarks in the `bench` group as well.
"""

import argparse
import ast
import functools
import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT_PREFIX = "# pyproject-sha256: "


@dataclass(frozen=True)
class Lock:
    """One pinned file: the project's dependencies plus these optional groups, pinned like `constrained_by`."""

    path: str
    groups: tuple[str, ...]
    constrained_by: str | None


LOCKS = (
    Lock("requirements/base.txt", (), None),
    Lock("requirements/test.txt", ("test",), "requirements/base.txt"),
    Lock("requirements/bench.txt", ("test", "bench"), "requirements/test.txt"),
)

# Which code installs which lock: its imports must be declared in that lock's lists.
AREAS = {
    "requirements/base.txt": (
        "procurement",
        "questionnaire",
        "analytics",
        "clauses",
        "registers",
        "api",
        "config",
        "manage.py",
    ),
    "requirements/test.txt": ("tests", "tools"),
    "requirements/bench.txt": ("benchmarks",),
}
# Settings name apps, middleware and backends by dotted strings: those are imports too.
SETTINGS_DIR = "config/settings"
MODULE_SETTINGS = {
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "CACHES",
    "STORAGES",
    "TEMPLATES",
    "AUTHENTICATION_BACKENDS",
    "PASSWORD_HASHERS",
    "FORM_RENDERER",
    "EMAIL_BACKEND",
    "CSRF_FAILURE_VIEW",
}
DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def read_project(root: Path) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements_of(project: dict, groups: tuple[str, ...]) -> list[Requirement]:
    texts = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for group in groups:
        if group not in optional:
            raise SystemExit(f"pyproject.toml : le groupe optionnel « {group} » n'existe pas.")
        texts += optional[group]
    return [Requirement(text) for text in texts]


def fingerprint(project: dict, groups: tuple[str, ...]) -> str:
    """Changes whenever a list that the lock is compiled from changes (order and spacing aside)."""
    lists = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(str(Requirement(text)) for text in project.get("dependencies", [])),
        **{
            group: sorted(str(Requirement(text)) for text in project.get("optional-dependencies", {}).get(group, []))
            for group in groups
        },
    }
    return hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()


def header(project: dict, lock: Lock) -> str:
    source = "[project] dependencies" + "".join(f" + optional group « {group} »" for group in lock.groups)
    return (
        f"# Pinned from pyproject.toml ({source}) by `make lock`: do not edit by hand.\n"
        "# After changing pyproject.toml, run `make lock` (keeps the current pins that still fit);\n"
        "# `make lock UPGRADE=1` moves every pin to its newest allowed version.\n"
        f"{FINGERPRINT_PREFIX}{fingerprint(project, lock.groups)}\n"
    )


def read_pins(text: str) -> dict[str, Version]:
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name.split("[", 1)[0].strip())] = Version(version.split(";", 1)[0].strip())
    return pins


def lock_problems(root: Path, project: dict) -> list[str]:
    problems = []
    for lock in LOCKS:
        path = root / lock.path
        if not path.exists():
            problems.append(f"{lock.path} est introuvable : lancez `make lock`.")
            continue
        text = path.read_text(encoding="utf-8")
        recorded = next((line for line in text.splitlines() if line.startswith(FINGERPRINT_PREFIX)), None)
        if recorded != f"{FINGERPRINT_PREFIX}{fingerprint(project, lock.groups)}":
            problems.append(f"{lock.path} est périmé (pyproject.toml a changé depuis) : lancez `make lock`.")
        pins = read_pins(text)
        for requirement in requirements_of(project, lock.groups):
            name = canonicalize_name(requirement.name)
            if name not in pins:
                problems.append(f"{lock.path} n'épingle pas {requirement.name} : lancez `make lock`.")
            elif not requirement.specifier.contains(pins[name], prereleases=True):
                problems.append(
                    f"{lock.path} épingle {requirement.name}=={pins[name]}, hors de « {requirement} » : "
                    "lancez `make lock`."
                )
    return problems


def local_names(root: Path) -> set[str]:
    return {path.stem for path in root.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()} | {
        path.name for path in root.iterdir() if path.is_dir() and any(path.glob("*.py"))
    }


def python_files(root: Path, area: str):
    path = root / area
    if not path.exists():
        return
    if path.is_file():
        yield path
    else:
        yield from (file for file in sorted(path.rglob("*.py")) if ".venv" not in file.parts)


def imported_modules(file: Path, root: Path) -> list[tuple[str, int]]:
    """The top-level modules that a file imports (absolute imports), and, in settings, names as strings."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.module.split(".")[0], node.lineno))
    if file.parent == root / SETTINGS_DIR:
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(target, ast.Name) and target.id in MODULE_SETTINGS for target in targets):
                # Dotted paths ("whitenoise.middleware.WhiteNoiseMiddleware"), and every app, dotted or not.
                apps = any(target.id == "INSTALLED_APPS" for target in targets)
                names += [
                    (constant.value.split(".")[0], constant.lineno)
                    for constant in ast.walk(node.value)
                    if isinstance(constant, ast.Constant)
                    and isinstance(constant.value, str)
                    and DOTTED_NAME.fullmatch(constant.value)
                    and (apps or "." in constant.value)
                ]
    return names


@functools.cache
def installed_distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def import_problems(root: Path, project: dict) -> list[str]:
    distributions = installed_distributions()
    ignored = set(sys.stdlib_module_names) | local_names(root) | {"__future__"}
    problems = []
    for lock in LOCKS:
        declared = {canonicalize_name(requirement.name) for requirement in requirements_of(project, lock.groups)}
        for area in AREAS[lock.path]:
            for file in python_files(root, area):
                for module, line in imported_modules(file, root):
                    if module in ignored:
                        continue
                    providers = {canonicalize_name(name) for name in distributions.get(module, [])}
                    if not providers:
                        # Not installed here (e.g. the benchmarks' tools in the test environment): a package
                        # of the same name must be declared.
                        providers = {canonicalize_name(module)}
                    if not providers & declared:
                        where = file.relative_to(root)
                        problems.append(
                            f"{where}:{line} importe « {module} » (paquet {', '.join(sorted(providers))}), absent "
                            f"des dépendances qui installent {lock.path} : ajoutez-le à pyproject.toml puis "
                            "lancez `make lock`."
                        )
    return problems


def check(root: Path = ROOT) -> list[str]:
    project = read_project(root)
    return lock_problems(root, project) + import_problems(root, project)


def lock(root: Path = ROOT, *, upgrade: bool = False) -> None:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        raise SystemExit("uv est introuvable : `make lock` l'installe dans .venv.")
    project = read_project(root)
    python_version = re.search(r"\d+\.\d+", project["requires-python"]).group()
    for each in LOCKS:
        command = [uv, "pip", "compile", "pyproject.toml", "--quiet", "--no-header", "--python-version"]
        command += [python_version, "--output-file", each.path]
        command += [argument for group in each.groups for argument in ("--extra", group)]
        if each.constrained_by:
            command += ["--constraint", each.constrained_by]
        if upgrade:
            command.append("--upgrade")
        subprocess.run(command, cwd=root, check=True)  # noqa: S603 (our own arguments)
        path = root / each.path
        path.write_text(header(project, each) + path.read_text(encoding="utf-8"), encoding="utf-8")
        print(f"{each.path} : {len(read_pins(path.read_text(encoding='utf-8')))} paquets épinglés.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "lock"])
    parser.add_argument("--upgrade", action="store_true", help="lock : prend la dernière version permise de tout")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.command == "lock":
        lock(arguments.root, upgrade=arguments.upgrade)
        return 0
    problems = check(arguments.root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("Dépendances : pyproject.toml, les fichiers verrouillés et les imports concordent.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
