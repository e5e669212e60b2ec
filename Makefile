# Placeworks developer recipes: the one doorway. Needs only python3.11, pip, npm and make.
# `make demo` sets everything up and serves the demo; `make test` runs the whole suite.

SHELL := /bin/bash
PYTHON ?= python3
export PLACEWORKS_ENV ?= development
export DEBUG ?= true
export UV_PYTHON ?= $(PYTHON)
export UV_LINK_MODE := copy

# uv installs the locked dependencies; bootstrap it into .tools/ when it is not on the PATH.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The whole suite with coverage; the floor is in pyproject.toml ([tool.coverage.report]).
PYTEST_ARGS ?= --cov --cov-report=term

.PHONY: demo serve install test check lint fmt typecheck browser-deps bench clean help

help:
	@echo "make demo   - set up everything, load the North Midlands demo and serve http://$(HOST):$(PORT)"
	@echo "make test   - install test tools (including Chromium) and run lint, types and all tests"
	@echo "make check  - lint, format check, types, migrations check (no tests)"
	@echo "make fmt    - format the code"
	@echo "make bench  - run the benchmarks in bench/ and print their figures"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

var/.migrated: install $(wildcard placeworks/*/migrations/*.py)
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	@touch $@

demo: var/.migrated
	$(MANAGE) load_demo --url http://$(HOST):$(PORT)/
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

serve: var/.migrated
	$(MANAGE) runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (no browser download from the internet).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' (Debian) and try again." >&2; exit 1; \
	  fi; \
	fi

lint: install
	$(BIN)/ruff format --check placeworks tests bench
	$(BIN)/ruff check placeworks tests bench

typecheck: install
	$(BIN)/mypy placeworks

check: lint typecheck
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

test: check browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

fmt: install
	$(BIN)/ruff format placeworks tests bench
	$(BIN)/ruff check --fix placeworks tests bench

bench: install
	$(UV) sync --frozen --inexact --quiet --group bench
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var/.migrated .pytest_cache .mypy_cache .ruff_cache
