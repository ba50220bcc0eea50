# The two commands of the README: `make run` and `make test`.
# Configuration is by environment only (README): DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG, EMAIL_URL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Test workers: one per core unless told otherwise (`make test PYTEST_WORKERS=0` runs in one process).
PYTEST_WORKERS ?= auto
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="--junitxml=test-artifacts/junit.xml"` or `PYTEST_ARGS="-k market"`.
PYTEST_ARGS ?=
# `make test SKIP_QUALITY=1` runs the tests only (CI's second database run: the code checks do not depend on it).
SKIP_QUALITY ?=

.PHONY: install install-test lock run test quality pytest npm-install worker beat clean bench-install bench-load fuzz

# Dependencies: pyproject.toml is their one source; requirements/{base,test,bench}.txt pin them (`make lock`).
# The tool that compiles the locks, installed in the virtual environment by `make lock` only.
UV := uv==0.13.8
# `make lock UPGRADE=1` moves every pin to its newest allowed version; without it, current pins are kept.
UPGRADE ?=

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: $(BIN)/python requirements/base.txt
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

# Each lock is complete (test.txt holds base.txt's pins too, bench.txt test.txt's).
$(VENV)/.installed-test: $(BIN)/python requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

install: $(VENV)/.installed-base

install-test: $(VENV)/.installed-test npm-install

# Recompiles the pinned requirements/*.txt from pyproject.toml (after any change to its dependency lists).
lock: $(VENV)/.installed-test
	$(BIN)/pip install --quiet $(UV)
	$(BIN)/python tools/dependencies.py lock $(if $(UPGRADE),--upgrade,)

# axe-core, for the accessibility checks of the browser tests. Without npm the browser tests that need
# it are skipped (or fail when REQUIRE_BROWSER=1, as in CI).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund && touch $@; \
	elif [ "$(REQUIRE_BROWSER)" = "1" ]; then \
		echo "npm est introuvable : installez Node.js et npm (paquets Debian nodejs et npm)." >&2; exit 1; \
	else \
		echo "npm est introuvable : les tests d'accessibilité (axe-core) seront ignorés."; \
	fi

npm-install: node_modules/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Site : http://127.0.0.1:8000 (arrêt : Ctrl+C)"
	$(MANAGE) runserver 127.0.0.1:8000

quality: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# Security lint: high-severity findings fail; lower ones are reviewed by hand.
	$(BIN)/bandit --quiet --recursive --severity-level high procurement questionnaire clauses registers analytics api config tools
	# The locks match pyproject.toml, and every package the code imports is declared there.
	$(BIN)/python tools/dependencies.py check
	# Template lint (configuration: [tool.djlint] in pyproject.toml).
	$(BIN)/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run --settings=config.settings.test
	$(MANAGE) check --settings=config.settings.test
	# Production settings as deployed. The check only reads REDIS_URL (a shared cache is required, config.E001),
	# it never connects: without Redis here, a placeholder address stands in; so do the operator's and host's
	# details that the legal pages print (config.W001), which a real deployment sets.
	DJANGO_SETTINGS_MODULE=config.settings.production ALLOWED_HOSTS=example.org \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
		PLATFORM_OPERATOR_NAME="$${PLATFORM_OPERATOR_NAME:-Exploitant}" \
		PLATFORM_OPERATOR_ADDRESS="$${PLATFORM_OPERATOR_ADDRESS:-Adresse}" \
		PLATFORM_CONTACT_EMAIL="$${PLATFORM_CONTACT_EMAIL:-contact@example.org}" \
		PLATFORM_HOST_NAME="$${PLATFORM_HOST_NAME:-Hébergeur}" \
		SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
		$(MANAGE) check --deploy --fail-level WARNING

pytest: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: $(if $(SKIP_QUALITY),,quality) pytest

# Celery defaults to the production settings, like every server process (config/__init__.py): the two
# targets below, for development, ask for the development settings unless DJANGO_SETTINGS_MODULE says otherwise.
CELERY_SETTINGS := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev}

# A Celery worker, when REDIS_URL is set (without it, tasks run in the web process).
worker: install
	$(CELERY_SETTINGS) $(BIN)/celery -A config worker --loglevel=info

# The periodic tasks (nightly recomputation of the statistics, sweeper of stale jobs), next to a worker.
beat: install
	$(CELERY_SETTINGS) $(BIN)/celery -A config beat --loglevel=info

# Benchmarks (benchmarks/README.md): they need PostgreSQL and Redis on loopback.
$(VENV)/.installed-bench: $(BIN)/python requirements/bench.txt
	$(BIN)/pip install --quiet -r requirements/bench.txt
	touch $@

bench-install: $(VENV)/.installed-bench

# The deadline rush against the production settings (benchmarks/load/run.py --help for its options).
bench-load: bench-install
	$(BIN)/python benchmarks/load/run.py $(BENCH_ARGS)

# A long fuzz campaign against the readers of uploaded files (tools/fuzz.py --help for its options), e.g.
# `make fuzz FUZZ_ARGS="--cases 20000 --rng-seed 7 --target xlsx"`.
FUZZ_ARGS ?=
fuzz: install-test
	$(BIN)/python tools/fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles test-artifacts
