# Two commands matter: `make demo` (run the demo) and `make test` (the whole gate). Both set themselves up.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# Where `make demo` serves: make demo ADDR=0.0.0.0:8000 (add TALENTCLOUD_ALLOWED_HOSTS=<the name or address
# browsers use> when it is not this machine's loopback).
ADDR ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE ?= config.settings.test

.PHONY: demo test check lint format types migrations deploy-check messages pytest pdf-deps browser-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.installed pdf-deps messages
	DJANGO_SETTINGS_MODULE=config.settings.dev $(VENV)/bin/talentcloud demo --addr '$(ADDR)'

test: check

check: $(VENV)/.installed pdf-deps browser-deps messages lint types migrations deploy-check pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

types: $(VENV)/.installed
	$(PY) -m mypy talentcloud config

migrations: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: $(VENV)/.installed
	set -a && . deploy/production.env.example && set +a && \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages_py

# The suite in parallel (pytest-xdist): one process per core, two at most (CI runs the suite twice, on SQLite
# and PostgreSQL, on a two-core machine); browser and process tests take turns on one of them (conftest.py).
# PYTEST_PARALLEL= (empty) runs it in one process.
PYTEST_PARALLEL ?= -n 2 --dist loadgroup
pytest: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_PARALLEL) --durations=25

# PDFs (WeasyPrint) need Pango and a CJK font: Debian's fonts-wqy-microhei, so Chinese renders on a fresh machine.
pdf-deps:
	@{ ldconfig -p | grep -q libpangoft2 && fc-list 2>/dev/null | grep -qi wenquanyi; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei; \
	  else echo "missing: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei"; exit 1; fi; }

# Browser tests drive Debian's chromium (Playwright's own browser download is not used).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; \
	  else echo "chromium is missing: sudo apt-get install chromium fonts-wqy-microhei"; exit 1; fi; }

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
