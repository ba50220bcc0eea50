# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Test workers: one per core unless told otherwise.
PYTEST_WORKERS ?= auto

.PHONY: install install-test run test quality pytest npm-install worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: $(BIN)/python requirements/base.txt
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

install: $(VENV)/.installed-base

install-test: $(VENV)/.installed-test npm-install

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

npm-install: node_modules/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Site : http://127.0.0.1:8000"
	$(MANAGE) runserver 127.0.0.1:8000

quality: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run --settings=config.settings.test
	$(MANAGE) check --settings=config.settings.test
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(printf 'x%.0s' $$(seq 64)) ALLOWED_HOSTS=example.org \
		$(MANAGE) check --deploy --fail-level WARNING

pytest: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: quality pytest

worker: install
	$(BIN)/celery -A config worker --loglevel=info

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
