# Omzien: the two commands from the README, and the ones developers and CI use.
#
#   make demo   set up the Voorst demo network and serve it on http://127.0.0.1:$(PORT)
#   make test   the whole test suite (SQLite; browser tests when /usr/bin/chromium exists)
#
# Everything runs from a virtual environment in .venv, created on first use, with every
# dependency pinned (with hashes) in a lock file: requirements.txt for running (what
# `make demo` installs: no test or lint tools), requirements-dev.txt for developing and
# CI (requirements.txt plus the dev tools). `make lock` regenerates both from
# pyproject.toml; Omzien itself is then installed without dependencies.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# What is installed: the runtime lock (make demo) or the dev lock (make test, lint, CI).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
RUN_LOCK := requirements.txt
DEV_LOCK := requirements-dev.txt
PORT ?= 8000
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-x tests/agenda"
PYTEST_ARGS ?=
# The Python that creates the virtual environment: python3.11 if present, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)

.PHONY: help demo test e2e lint bandit audit deploy-check security format lock clean distclean \
	install install-dev

help:
	@echo "make demo       serve the demo network on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test       run the whole test suite"
	@echo "make e2e        run only the browser (end-to-end) tests"
	@echo "make lint       ruff check, ruff format --check, missing migrations, import layers"
	@echo "make security   bandit, pip-audit (make audit) and check --deploy in production settings"
	@echo "make format     fix what ruff can fix and format the code"
	@echo "make lock       regenerate $(RUN_LOCK) and $(DEV_LOCK) from pyproject.toml"
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

# Reinstall when a lock file or pyproject.toml changed since the last install. The
# locks pin every package with its hashes; Omzien itself comes without dependencies.
# The lock is its own constraints file too: a package asked for with an extra
# (pip-audit's "CacheControl[filecache]>=0.13.0") is otherwise looked up anew by pip
# 23, which takes the newest release and then refuses it for having no pinned hash.
$(RUN_STAMP): $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --require-hashes -r $(RUN_LOCK) -c $(RUN_LOCK)
	$(BIN)/python -m pip install --no-deps -e .
	@touch $@

# The dev lock holds everything of the runtime lock too, at the same versions.
$(DEV_STAMP): $(DEV_LOCK) $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --require-hashes -r $(DEV_LOCK) -c $(DEV_LOCK)
	$(BIN)/python -m pip install --no-deps -e .
	@touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/omzien demo --port $(PORT)

test: $(DEV_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: $(DEV_STAMP)
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/omzien makemigrations --check --dry-run
	$(BIN)/lint-imports --no-logo

# Security checks (CI runs all three). bandit over our code: reviewed findings carry a
# `# nosec BXXX  # why` on their line, so any new finding fails. pip-audit against the
# dev lock (the runtime lock's versions included): .ci/audit says FAILED, PASSED or, when
# no advisory source answers, SKIPPED (never a silent pass). check --deploy with the
# production settings, warnings included.
security: bandit audit deploy-check

bandit: $(DEV_STAMP)
	$(BIN)/bandit -q -r src

audit: $(DEV_STAMP)
	.ci/audit

deploy-check: $(DEV_STAMP)
	@data_dir=$$(mktemp -d) && \
	OMZIEN_ENV=production ALLOWED_HOSTS=omzien.example OMZIEN_DATA_DIR="$$data_dir" \
		SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		DEBUG=false $(BIN)/omzien check --deploy --fail-level WARNING; \
	status=$$?; rm -rf "$$data_dir"; exit $$status

# Regenerate the locks after changing dependencies in pyproject.toml: pins already in a
# lock stay unless pyproject.toml rules them out; `make lock LOCK_ARGS=--upgrade` takes
# the newest versions within the ranges. For Python 3.11 and later on every platform;
# the dev lock first, and the runtime lock takes its versions. (uv is a dev tool.)
LOCK_ARGS ?=
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)

# uv comes with the dev lock; without one yet (the very first lock), the newest uv.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install uv

lock: | $(BIN)/uv
	$(UV_COMPILE) --extra dev -o $(DEV_LOCK)
	$(UV_COMPILE) --constraint $(DEV_LOCK) -o $(RUN_LOCK)

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var test-artifacts test-results build dist .pytest_cache .ruff_cache .hypothesis
	rm -rf .import_linter_cache
	rm -rf src/*.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
