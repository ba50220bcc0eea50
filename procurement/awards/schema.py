"""Validating one DECP record against the official schema files shipped in `schemas/` (their source and licence:
docs/formats.md, « Données essentielles (DECP) »), with French reasons located by field.

JSON records: the schema's definition of a market (2.0.3, or 1.5.0 for the format up to 2023) is compiled once
into small checking functions. The keywords the official schemas use are checked: $ref, type, enum, required,
properties, items, pattern, minLength, maxLength, minimum, maximum, minItems, anyOf. Not checked: uniqueItems, and
additionalProperties (consolidated files add "source", "uid"… to every record: reporting them would hide the
deviations that matter). jsonschema would check the same in about ten times the time; 100,000 contracts must
import in seconds.

XML records: each <marche> is validated with lxml against the official XSD (2.0.2).
"""

import copy
import functools
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
JSON_SCHEMA_V2 = SCHEMAS / "schema_decp_v2.0.3.json"
JSON_SCHEMA_V1 = SCHEMAS / "schema_decp_v1.5.0.json"
XSD_V2 = SCHEMAS / "schema_decp_v2.0.2.xsd"

# (field path, French reason)
Issue = tuple[str, str]
Check = Callable[[object, str, list[Issue]], None]

_TYPE_NAMES = {
    "string": "du texte",
    "number": "un nombre",
    "integer": "un nombre entier",
    "boolean": "vrai ou faux (true, false)",
    "object": "un objet",
    "array": "une liste",
    "null": "null",
}


# Python types that certainly match a JSON type (bool is not a number; Decimal is how floats are read).
_PYTHON_TYPES = {
    "string": (str,),
    "number": (int, Decimal, float),
    "integer": (int,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def _is_finite(value: Decimal | float) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _integral(value: Decimal | float) -> Decimal | float:
    return value.to_integral_value() if isinstance(value, Decimal) else float(math.floor(value))


def _is_type(value, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "number":
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if name == "integer":
        # An integral Decimal is compared with its integral value, never converted to an int: 1E+999999999 would
        # take hours to convert.
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, Decimal | float) and _is_finite(value) and value == _integral(value)
        )
    if name == "boolean":
        return isinstance(value, bool)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "null":
        return value is None
    return True


def _shown(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return f"« {text[:60]}{'…' if len(text) > 60 else ''} »"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.cache: dict[str, Check] = {}
        self.compiling: set[str] = set()

    def resolve(self, ref: str) -> dict:
        node = self.root
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def compile_ref(self, ref: str) -> Check:
        if ref in self.cache:
            return self.cache[ref]
        if ref in self.compiling:
            # A recursive reference (none in the official schemas): resolved when called.
            return lambda value, path, issues: self.cache[ref](value, path, issues)
        self.compiling.add(ref)
        self.cache[ref] = self.compile(self.resolve(ref))
        self.compiling.discard(ref)
        return self.cache[ref]

    def compile(self, node: dict) -> Check:  # noqa: C901 (one branch per keyword)
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(self.compile_ref(node["$ref"]))
        type_ok = None
        if "type" in node:
            names = node["type"] if isinstance(node["type"], list) else [node["type"]]
            python_types = _PYTHON_TYPES.get(names[0]) if len(names) == 1 else None

            def type_ok(value, path, issues, names=names, python_types=python_types) -> bool:
                # The common case first: one type, a value of exactly that Python type.
                if python_types is not None and type(value) in python_types:
                    return True
                if not any(_is_type(value, name) for name in names):
                    expected = " ou ".join(_TYPE_NAMES.get(name, name) for name in names)
                    issues.append((path, f"{_shown(value)} : {expected} attendu"))
                    return False
                return True

        if "enum" in node:
            allowed = node["enum"]

            def check_enum(value, path, issues, allowed=allowed):
                if value not in allowed:
                    listed = ", ".join(str(item) for item in allowed[:8]) + (", …" if len(allowed) > 8 else "")
                    issues.append((path, f"{_shown(value)} n'est pas une valeur du format ({listed})"))

            checks.append(check_enum)
        if "pattern" in node:
            pattern = re.compile(node["pattern"])

            def check_pattern(value, path, issues, pattern=pattern):
                if isinstance(value, str) and not pattern.search(value):
                    issues.append((path, f"{_shown(value)} ne respecte pas la forme attendue"))

            checks.append(check_pattern)
        for keyword, test, reason in (
            ("minLength", lambda v, n: len(v) >= n, "vide ou trop court"),
            ("maxLength", lambda v, n: len(v) <= n, "trop long ({length} caractères, au plus {limit})"),
        ):
            if keyword in node:
                limit = node[keyword]

                def check_length(value, path, issues, limit=limit, test=test, reason=reason):
                    if isinstance(value, str) and not test(value, limit):
                        issues.append((path, reason.format(length=len(value), limit=limit)))

                checks.append(check_length)
        for keyword, test, word in (
            ("minimum", lambda v, n: v >= n, "inférieur au minimum"),
            ("maximum", lambda v, n: v <= n, "supérieur au maximum"),
        ):
            if keyword in node:
                limit = node[keyword]

                def check_bound(value, path, issues, limit=limit, test=test, word=word):
                    if _is_type(value, "number") and not test(value, limit):
                        issues.append((path, f"{_shown(value)} : {word} ({limit})"))

                checks.append(check_bound)
        if "minItems" in node:
            minimum = node["minItems"]

            def check_items_count(value, path, issues, minimum=minimum):
                if isinstance(value, list) and len(value) < minimum:
                    issues.append((path, "liste vide" if not value else f"au moins {minimum} éléments attendus"))

            checks.append(check_items_count)
        if "required" in node:
            required = node["required"]

            def check_required(value, path, issues, required=required):
                if isinstance(value, dict):
                    for key in required:
                        if key not in value:
                            issues.append((_join(path, key), "absent (obligatoire)"))

            checks.append(check_required)
        if "properties" in node:
            properties = {key: self.compile(sub) for key, sub in node["properties"].items()}

            def check_properties(value, path, issues, properties=properties):
                if type(value) is dict:
                    for key, sub in value.items():
                        check = properties.get(key)
                        if check is not None:
                            check(sub, f"{path}.{key}" if path else key, issues)

            checks.append(check_properties)
        if "items" in node and isinstance(node["items"], dict):
            item_check = self.compile(node["items"])

            def check_items(value, path, issues, item_check=item_check):
                if isinstance(value, list):
                    for index, item in enumerate(value, start=1):
                        item_check(item, f"{path}[{index}]", issues)

            checks.append(check_items)
        if "anyOf" in node:
            options = [self.compile(option) for option in node["anyOf"]]

            def check_any(value, path, issues, options=options):
                best: list[Issue] | None = None
                for option in options:
                    found: list[Issue] = []
                    option(value, path, found)
                    if not found:
                        return
                    if best is None or len(found) < len(best):
                        best = found
                issues.extend(best or [])

            checks.append(check_any)

        # A value of the wrong type: its other keywords are not checked (one reason per field).
        if type_ok is None:
            if len(checks) == 1:
                return checks[0]

            def check_all(value, path, issues, checks=checks):
                for one in checks:
                    one(value, path, issues)

            return check_all
        if not checks:
            return type_ok

        def check(value, path, issues, checks=checks, type_ok=type_ok):
            if type_ok(value, path, issues):
                for one in checks:
                    one(value, path, issues)

        return check


@functools.cache
def _json_market_check(version: str) -> Check:
    path = JSON_SCHEMA_V2 if version == "2.0" else JSON_SCHEMA_V1
    root = json.loads(path.read_text(encoding="utf-8"))
    return _Compiler(root).compile_ref("#/definitions/marche")


def validate_json_market(data: dict, *, version: str) -> list[Issue]:
    """Deviations of one market record (JSON shape) from the official JSON schema of its version."""
    issues: list[Issue] = []
    _json_market_check(version)(data, "", issues)
    return issues


@functools.cache
def _xsd() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(XSD_V2), parser))


_XSD_PATH = re.compile(r"^/marches/marche(\[\d+\])?/?")
_XSD_MESSAGES = (
    (
        re.compile(r"^Element '([^']+)': \[facet '(\w+)'\] The value '(.*)' is not"),
        "« {2} » ne respecte pas le format",
    ),
    (re.compile(r"^Element '([^']+)': '(.*)' is not a valid value"), "« {1} » n'est pas une valeur valide"),
    (re.compile(r"^Element '([^']+)': Missing child element\(s\)\. Expected is (.*)\.$"), "élément absent : {1}"),
    (re.compile(r"^Element '([^']+)': This element is not expected"), "élément inattendu à cet endroit"),
    (re.compile(r"^Element '([^']+)': The attribute"), "attribut non conforme"),
)


def validate_xml_market(element) -> list[Issue]:
    """Deviations of one <marche> element from the official XSD, located by element."""
    wrapper = etree.Element("marches")
    wrapper.append(copy.deepcopy(element))
    schema = _xsd()
    if schema.validate(wrapper):
        return []
    issues: list[Issue] = []
    for error in schema.error_log:
        field = _XSD_PATH.sub("", error.path or "")
        field = re.sub(r"\[(\d+)\]", r"[\1]", field).replace("/", ".")
        message = error.message
        for pattern, french in _XSD_MESSAGES:
            match = pattern.match(message)
            if match:
                if not field:
                    field = match.group(1)
                reason = french.format(*match.groups())
                break
        else:
            reason = f"non conforme au schéma XSD ({message})"
        issues.append((field or "marche", reason))
    return issues
