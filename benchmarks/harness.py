"""What the benchmarks share: Django set up against the PostgreSQL they measure, the environment of their child
processes, and a timed step printed as one aligned line.

A benchmark runs as a script (`.venv/bin/python benchmarks/<app>/bench_<name>.py`): it puts the project root on
sys.path itself, then imports this module.
"""

import os
import sys
import time

SETTINGS = "config.settings.dev"
DATABASE_URL = "postgres://app:app@127.0.0.1:5432/app"


def setup_django() -> None:
    """Django with the development settings and the loopback PostgreSQL, unless the environment names others."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    os.environ.setdefault("DATABASE_URL", DATABASE_URL)
    import django

    django.setup()


def child_env(settings: str) -> dict[str, str]:
    """The environment of a measured child process: this one's, with the settings and database it measures."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DATABASE_URL),
    }


def require_postgresql() -> None:
    """Stops unless the database is PostgreSQL: the figures and the targets are PostgreSQL's."""
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Ce banc d'essai mesure PostgreSQL : définissez DATABASE_URL=postgres://…")


def migrated_postgresql() -> None:
    """PostgreSQL (or stop), its schema brought up to date."""
    from django.core.management import call_command

    require_postgresql()
    call_command("migrate", verbosity=0)


def print_time(label: str, elapsed: float, *, width: int = 62) -> None:
    print(f"  {label:{width}} {elapsed:8.2f} s", flush=True)


def timed(label: str, function, *, width: int = 62):
    """Runs `function` once; prints its wall time on a line of its own and returns (its result, the seconds)."""
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print_time(label, elapsed, width=width)
    return result, elapsed
