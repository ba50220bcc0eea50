"""Reads the environment, once and only here: settings modules import these named values (README, Configuration)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# PostgreSQL's JIT compilation for the platform's connections: off unless set to on (settings, DATABASES).
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)
REDIS_URL = env.str("REDIS_URL", default="")
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# None when unset: each settings module then keeps its own default (on in dev, always off in production).
DEBUG: bool | None = env.bool("DEBUG", default=None)
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Égalité commande publique <ne-pas-repondre@localhost>")
# Absolute links printed in documents made outside a request (the stamp_specification command).
PLATFORM_BASE_URL = env.str("PLATFORM_BASE_URL", default="http://127.0.0.1:8000")
# Addresses of the reverse proxies in front of the site (e.g. "127.0.0.1"): only their X-Forwarded-For is
# believed, to rate-limit and throttle each client rather than the proxy.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Production: HTTPS redirect by Django; false when the reverse proxy redirects (and sends X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Tests: the tests that need a real Celery worker (tests/analytics) set it for the worker they start.
CELERY_REAL_WORKER = env.bool("CELERY_REAL_WORKER", default=False)
# Who runs the platform, for the public "Mentions légales" and the platform's part of the personal-data notice
# (each buyer gives its own controller and DPO details on its "Informations légales" page). Empty values read
# "non renseigné" on the legal notice, and the personal-data notice then names no operator, host or contact (it
# sends readers to the buyer): set them in production.
PLATFORM_OPERATOR_NAME = env.str("PLATFORM_OPERATOR_NAME", default="")
PLATFORM_OPERATOR_ADDRESS = env.str("PLATFORM_OPERATOR_ADDRESS", default="")
PLATFORM_PUBLICATION_DIRECTOR = env.str("PLATFORM_PUBLICATION_DIRECTOR", default="")
PLATFORM_CONTACT_EMAIL = env.str("PLATFORM_CONTACT_EMAIL", default="")
PLATFORM_HOST_NAME = env.str("PLATFORM_HOST_NAME", default="")
PLATFORM_HOST_ADDRESS = env.str("PLATFORM_HOST_ADDRESS", default="")
# Public registers (registers/http.py, README « Registres publics »). Each source is off while its base URL is
# empty, the default, so that `make run` works offline; production sets them, e.g. https://egapro.travail.gouv.fr
# (API Egapro) and https://recherche-entreprises.api.gouv.fr (API Recherche d'entreprises).
EGAPRO_API_BASE_URL = env.str("EGAPRO_API_BASE_URL", default="")
COMPANY_REGISTER_BASE_URL = env.str("COMPANY_REGISTER_BASE_URL", default="")
# The published indexes file fetched each night by Celery beat (registers.fetch_egapro_file), e.g.
# https://egapro.travail.gouv.fr/index-egalite-fh.xlsx; empty: no nightly fetch (import_egapro by hand).
EGAPRO_FILE_URL = env.str("EGAPRO_FILE_URL", default="")
# Seconds an HTTP call to a register may take in all, after which the page goes on without it.
REGISTERS_TIMEOUT_SECONDS = env.float("REGISTERS_TIMEOUT_SECONDS", default=2.0)
