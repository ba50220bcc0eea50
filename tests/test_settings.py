"""Security settings as a browser and an operator meet them: CSP, no inline script, `check --deploy`."""

import ast
import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.procurement.factories import LotFactory
from tests.utils import run_python

# 64 characters, varied enough for Django's security.W009.
PRODUCTION_SECRET_KEY = "k7Qz-2pX9vL_mN4rT8wY1bC6dF3gH5jK0aS-eU7iO2pQ9zX4cV8bN1mL6kJ3hG5fD"


class _ScriptsAndStyles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts: list[str] = []
        self.external_scripts: list[dict] = []
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.event_handlers: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.external_scripts.append(attributes)
            else:
                self._in_inline_script = True
                self.inline_scripts.append("")
        if tag == "style":
            self.style_elements += 1
        if "style" in attributes:
            self.style_attributes.append(tag)
        self.event_handlers.extend(f"{tag} {name}" for name in attributes if name.startswith("on"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script:
            self.inline_scripts[-1] += data


def parse(response) -> _ScriptsAndStyles:
    parser = _ScriptsAndStyles()
    parser.feed(response.content.decode())
    return parser


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def pages(buyer_client, market):
    """The login pages (anonymous) and the staff pages, each as a user gets it."""
    LotFactory(market=market)

    def get(name: str):
        if name in {"login", "password_reset"}:
            return Client().get(reverse(name))
        if name == "market_detail":
            return buyer_client.get(reverse("procurement:market_detail", kwargs={"pk": market.pk}))
        if name == "market_update":
            return buyer_client.get(reverse("procurement:market_update", kwargs={"pk": market.pk}))
        return buyer_client.get(reverse(f"procurement:{name}"))

    return get


PAGE_NAMES = [
    "login",
    "password_reset",
    "market_list",
    "market_detail",
    "market_create",
    "market_update",
    "market_import",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_carries_a_csp_without_unsafe_inline(pages, name):
    response = pages(name)

    assert response.status_code == 200
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # Every source is a real CSP source expression (a bare 'nonce' would be ignored by browsers).
    known = {"'self'", "'none'", "data:"}
    for values in directives.values():
        assert all(value in known or re.fullmatch(r"'nonce-[A-Za-z0-9+/=]{16,}'", value) for value in values)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_inline_script_style_or_event_handler(pages, name):
    response = pages(name)

    parsed = parse(response)
    assert parsed.inline_scripts == []
    assert parsed.style_elements == 0
    assert parsed.style_attributes == []
    assert parsed.event_handlers == []


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_scripts_come_from_our_static_files_with_the_page_nonce(pages, name):
    response = pages(name)

    scripts = parse(response).external_scripts
    assert scripts
    assert all(script["src"].startswith(settings.STATIC_URL) for script in scripts)
    nonces = {script["nonce"] for script in scripts if "nonce" in script}
    header_nonces = {v[len("'nonce-") : -1] for v in csp_directives(response)["script-src"] if v.startswith("'nonce-")}
    assert nonces <= header_nonces


def test_the_copy_link_script_carries_the_nonce_of_the_header(pages):
    response = pages("market_detail")

    copy_link = next(s for s in parse(response).external_scripts if s["src"].endswith("js/copy-link.js"))
    assert f"'nonce-{copy_link['nonce']}'" in csp_directives(response)["script-src"]


def test_the_nonce_changes_with_every_response(pages):
    first = csp_directives(pages("market_detail"))["script-src"]
    second = csp_directives(pages("market_detail"))["script-src"]

    assert first != second


def test_pages_cannot_be_framed(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


PLATFORM_LEGAL_DETAILS = {
    "PLATFORM_OPERATOR_NAME": "Agence de l'égalité",
    "PLATFORM_OPERATOR_ADDRESS": "1 rue de l'Égalité, 59300 Valenciennes",
    "PLATFORM_CONTACT_EMAIL": "contact@egalite.example.org",
    "PLATFORM_HOST_NAME": "Hébergeur SAS",
}


# What a production server needs to start, the legal details apart. REDIS_URL is only read: nothing connects.
PRODUCTION_ENV = {
    "SECRET_KEY": PRODUCTION_SECRET_KEY,
    "ALLOWED_HOSTS": "egalite.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, **env)


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    """`check --deploy` on the production settings, a warning failing it as an error would."""
    return _manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SETTINGS_MODULE="config.settings.production", **env
    )


def test_production_settings_pass_check_deploy_without_warning():
    result = _check_deploy(**PRODUCTION_ENV, **PLATFORM_LEGAL_DETAILS)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_legal_pages_would_name_nobody():
    result = _check_deploy(**PRODUCTION_ENV, **{**PLATFORM_LEGAL_DETAILS, "PLATFORM_HOST_NAME": ""})

    assert result.returncode != 0
    assert "(config.W001)" in result.stderr and "PLATFORM_HOST_NAME" in result.stderr


def test_check_deploy_refuses_production_without_a_shared_cache():
    result = _manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="egalite.example.org",
    )

    assert result.returncode != 0
    assert (
        "(config.E001) Le cache n'est pas partagé entre les processus : la limitation des tentatives de connexion "
        "et les limites de débit de l'annexe compteraient par processus." in result.stderr
    )
    assert "HINT: Définissez REDIS_URL" in result.stderr


def test_the_shared_cache_check_is_for_deployments_only():
    # Development and tests keep their per-process cache without a word.
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.dev")

    assert result.returncode == 0, result.stderr
    assert "config.E001" not in result.stderr + result.stdout


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return run_python("-c", code, **env)


PRINT_SETTINGS_MODULE = "from django.conf import settings; print(settings.SETTINGS_MODULE)"


def test_manage_py_defaults_to_the_development_settings():
    result = _manage("shell", "--no-imports", "-c", PRINT_SETTINGS_MODULE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.dev"]


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.celery"])
def test_server_entry_points_default_to_the_production_settings(entry_point):
    result = _python(f"import {entry_point}; import django; django.setup(); {PRINT_SETTINGS_MODULE}", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production"]


def test_a_server_started_without_configuration_refuses_to_start():
    result = _python("import config.wsgi")

    assert result.returncode != 0
    assert "SECRET_KEY doit être défini (au moins 50 caractères) en production." in result.stderr


# django-environ's readers: a call `env.<reader>(...)` reads a variable.
ENVIRONMENT_READERS = {"str", "bool", "int", "float", "list", "tuple", "dict", "json", "url", "path", "get_value"}
ENVIRONMENT_READERS |= {f"{kind}_url" for kind in ("db", "cache", "email", "search", "channels")}


def _environment_reads(path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # The one write allowed outside config/env.py: an entry point's default settings module.
    default_settings = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and node.args
        and getattr(node.args[0], "value", None) == "DJANGO_SETTINGS_MODULE"
    }
    reads = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in default_settings:
            continue
        owner = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
        if (owner == "env" and node.attr in ENVIRONMENT_READERS) or (
            owner == "os" and node.attr in {"getenv", "environ"}
        ):
            reads.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {owner}.{node.attr}")
    return reads


def test_only_config_env_reads_the_environment():
    files = [settings.BASE_DIR / "manage.py", *sorted((settings.BASE_DIR / "config").rglob("*.py"))]

    assert [read for path in files if path.name != "env.py" for read in _environment_reads(path)] == []
