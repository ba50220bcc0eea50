"""PostgreSQL runs the platform's queries without JIT compilation (config/settings/base.py, DATABASES)."""

import pytest
from django.db import connection

from tests.utils import run_python

PRINT_CONNECTION_OPTIONS = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES)"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="La compilation JIT est propre à PostgreSQL.")
def test_the_platform_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _databases(**env: str) -> str:
    # Settings only: nothing connects, so no PostgreSQL is needed.
    result = run_python("-c", PRINT_CONNECTION_OPTIONS, DJANGO_SETTINGS_MODULE="config.settings.dev", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_operator_can_turn_jit_back_on_and_keeps_the_url_options():
    default = _databases(DATABASE_URL="postgres://app:app@db.example.org:5432/app?options=-c%20work_mem%3D64MB")
    turned_on = _databases(DATABASE_URL="postgres://app:app@db.example.org:5432/app", DATABASE_JIT="on")

    assert "'options': '-c work_mem=64MB -c jit=off'" in default
    assert "jit" not in turned_on
