"""One home per shared rule: checks that read the source, so a second copy shows up as a failure."""

import ast
import functools
from pathlib import Path

from procurement import spreadsheets

ROOT = Path(__file__).resolve().parents[1]
APPS = ("procurement", "questionnaire", "analytics", "clauses", "config")
SPREADSHEETS = ROOT / "procurement" / "spreadsheets.py"
# The modules that write a file a spreadsheet opens, and the views that serve them: each uses the shared rules.
EXPORTERS = [
    "questionnaire/exports.py",
    "analytics/exports/workbook.py",
    "analytics/exports/csv.py",
    "analytics/exports/ods.py",
    "analytics/exports/summary.py",
    "analytics/clause_report/exports.py",
]
CONTENT_TYPES = {
    spreadsheets.CSV,
    spreadsheets.TEXT,
    spreadsheets.XLSX,
    spreadsheets.ODS,
    spreadsheets.DOCX,
    spreadsheets.ODT,
    spreadsheets.PDF,
    spreadsheets.SVG,
}


@functools.cache
def _sources() -> dict[str, ast.Module]:
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            modules[str(path.relative_to(ROOT))] = ast.parse(path.read_text(encoding="utf-8"))
    return modules


def _strings(tree: ast.AST) -> list[str]:
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _imports_spreadsheets(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "procurement.spreadsheets":
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "procurement"
            and any(alias.name == "spreadsheets" for alias in node.names)
        ):
            return True
        if isinstance(node, ast.Import) and any(alias.name == "procurement.spreadsheets" for alias in node.names):
            return True
    return False


def _formula_rules(tree: ast.Module) -> list[int]:
    """Lines that spell a formula-start rule: a collection of `=`, `+`, `@`..., a quote glued in front of a value,
    or a pattern of those characters."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            texts = {
                item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)
            }
            if {"=", "@"} <= texts or {"+", "@"} <= texts:
                lines.append(node.lineno)
        glued = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
        if glued and node.left.value == "'":
            lines.append(node.lineno)
        pattern = isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 40
        if pattern and "=+" in node.value and "@" in node.value:
            lines.append(node.lineno)
    return lines


def test_the_formula_neutralisation_rule_lives_only_in_procurement_spreadsheets():
    copies = {
        path: lines
        for path, tree in _sources().items()
        if path != "procurement/spreadsheets.py" and (lines := _formula_rules(tree))
    }

    assert copies == {}
    # The check finds the rule where it is.
    assert _formula_rules(ast.parse(SPREADSHEETS.read_text(encoding="utf-8")))


def test_content_types_are_spelled_only_in_procurement_spreadsheets():
    retyped = {
        path: sorted({text for text in _strings(tree) if text in CONTENT_TYPES or text.split(";")[0] in CONTENT_TYPES})
        for path, tree in _sources().items()
        if path != "procurement/spreadsheets.py"
    }

    assert {path: texts for path, texts in retyped.items() if texts} == {}


def test_every_exporter_and_every_view_serving_a_file_imports_procurement_spreadsheets():
    sources = _sources()
    serving = {
        path
        for path, tree in sources.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "content_type"
    }
    writing = {
        path
        for path, tree in sources.items()
        for text in _strings(tree)
        if text in {"xlsxwriter", "odf"}  # pandas' engines
    } | {
        path
        for path, tree in sources.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(alias.name == "xlsxwriter" for alias in node.names)
        and path != "procurement/spreadsheets.py"
    }

    assert set(EXPORTERS) <= set(sources)
    assert serving >= {"questionnaire/staff/views.py", "analytics/clause_report/views.py"}
    assert [
        path for path in sorted({*EXPORTERS, *serving, *writing}) if not _imports_spreadsheets(sources[path])
    ] == []


def test_every_xlsx_writer_takes_its_options_from_procurement_spreadsheets():
    """No module opens an xlsxwriter workbook itself, and every pandas writer on xlsxwriter passes the shared
    options (pandas' defaults would read `=...` as a formula and `http://...` as a link)."""
    offenders = []
    for path, tree in _sources().items():
        if path == "procurement/spreadsheets.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if name == "Workbook":
                offenders.append(f"{path}:{node.lineno}")
            engine = keywords.get("engine")
            on_xlsxwriter = isinstance(engine, ast.Constant) and engine.value == "xlsxwriter"
            if name == "ExcelWriter" and on_xlsxwriter and "engine_kwargs" not in keywords:
                offenders.append(f"{path}:{node.lineno}")

    assert offenders == []


def test_the_bulk_upsert_lives_only_in_procurement_bulk():
    """One engine writes many rows at once (COPY, then INSERT ... ON CONFLICT on PostgreSQL; bulk_create with
    update_conflicts elsewhere): no module keeps a second one."""
    copies = {}
    for path, tree in _sources().items():
        if path == "procurement/bulk.py":
            continue
        found = [
            node.lineno
            for node in ast.walk(tree)
            if (isinstance(node, ast.keyword) and node.arg == "update_conflicts")
            or (isinstance(node, ast.Attribute) and node.attr == "copy" and getattr(node.value, "id", "") == "cursor")
            or (isinstance(node, ast.Constant) and isinstance(node.value, str) and "ON CONFLICT (" in node.value)
        ]
        if found:
            copies[path] = found

    assert copies == {}
