# Omzien: the two commands from the README, and the ones developers and CI use.
#
#   make demo   set up the Voorst demo network and serve it on http://127.0.0.1:$(PORT)
#   make test   the whole test suite (SQLite; browser tests when /usr/bin/chromium exists)
#
# Everything runs from a virtual environment in .venv, created on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-x tests/agenda"
PYTEST_ARGS ?=
# The Python that creates the virtual environment: python3.11 if present, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)

.PHONY: help demo test e2e lint format clean distclean install

help:
	@echo "make demo       serve the demo network on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test       run the whole test suite"
	@echo "make e2e        run only the browser (end-to-end) tests"
	@echo "make lint       ruff check, ruff format --check, missing migrations"
	@echo "make format     fix what ruff can fix and format the code"
	@echo "make clean      remove var/, test-artifacts/ and caches (keeps .venv)"
	@echo "make distclean  clean, and remove .venv too"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: no Python found; install Python 3.11 or newer (python3.11 or python3)" >&2; \
		exit 1; \
	fi
	@if ! "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
		echo "error: $(PYTHON) is Python $$("$(PYTHON)" -c 'import platform; print(platform.python_version())');" \
			"Omzien needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2; \
		exit 1; \
	fi
	"$(PYTHON)" -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[dev]"
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/omzien demo --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: $(STAMP)
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/omzien makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var test-artifacts test-results build dist .pytest_cache .ruff_cache .hypothesis
	rm -rf src/*.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
