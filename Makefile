# The two commands: `make run` serves the portal, `make test` runs the whole suite.
# Both set up everything first on a machine with nothing but Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The pinned versions, from pyproject.toml by pip-compile (the README says how to refresh them).
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The proceedings PDF (WeasyPrint) needs Pango, HarfBuzz and fonts (Latin, Arabic, Cyrillic and
# Chinese); on Debian, these packages.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk
PDF_CHECK = @{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } 2>/dev/null | grep -q libpangoft2-1.0 \
	|| echo "Pango not found: event proceedings cannot be made as PDF (apt-get install $(PDF_PACKAGES))"

.PHONY: run test install messages setup data lint format check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml or the lock changes: the locked versions, then the project
# itself without resolving anything again.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The interface's translations (locale/<language>/LC_MESSAGES/django.po), compiled for gettext
# by Babel, so that no gettext tools are needed to run or test the portal.
messages: install
	$(BIN)/pybabel -q compile --domain django --directory locale

setup: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0

data: setup
	$(MANAGE) load_reference
	$(MANAGE) load_demo

run: data
	$(PDF_CHECK)
	@echo ""
	@echo "PAKS is starting on http://$(HOST):$(PORT)/"
	@echo "  public site:  http://$(HOST):$(PORT)/"
	@echo "  admin:        http://$(HOST):$(PORT)/admin/"
	@echo "  demo logins: printed above by load_demo, with a password only when it was set"
	@echo "  (random on the run that creates them; PAKS_DEMO_EDITOR_PASSWORD / PAKS_DEMO_FOCAL_PASSWORD choose them)"
	@echo "Uploaded documents are processed by the task worker (db_worker) running beside it."
	@echo ""
	PYTHON=$(BIN)/python scripts/task-worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# axe-core for the accessibility checks of the browser tests, from the npm registry.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else echo "npm not found: browser tests will be skipped"; fi

# Browser tests run when Chromium is installed (apt-get install chromium); pytest lists
# them as skipped, with the reason, when it is not.
test: messages $(AXE)
	@command -v chromium >/dev/null || echo "Chromium not found: browser tests will be skipped (apt-get install chromium)"
	$(PDF_CHECK)
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
