# Pipeline Atlas — `make help` lists the targets.
# Every tool runs from .venv/bin; nothing needs an activated virtualenv.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
STORE := build/store
HOST := 127.0.0.1
PORT := 8501
SOURCES := $(shell find ontology graph_data queries -type f 2>/dev/null)
# pytest-xdist: one worker per core (2 on the reference machine); each test module stays on one
# worker (`loadscope`), so its module fixtures (the reasoner's answer, SHACL over the real data,
# a wheel, a browser) are made once. (`loadgroup` does not group with pytest 9 and xdist 3.8.)
WORKERS ?= auto
PYTEST_PARALLEL := -n $(WORKERS) --dist loadscope
# The fast lane leaves out what needs Java, Chromium, a server or a wheel build (markers are
# registered in pyproject.toml).
FAST_MARKERS := not slow and not integration and not browser

.PHONY: help venv install system-deps build run check test lint fmt dist constraints clean bench

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(PY) ## Create .venv (python3 -m venv) with a current pip

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(INSTALLED) ## Install the project with its dev extras, pinned by constraints.txt

# The stamp is redone whenever the dependency list or the pins change.
$(INSTALLED): pyproject.toml setup.py constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[all,dev,bench]'
	touch $@

# Debian packages the tests use: Java for the HermiT reasoner, Chromium for the browser tests,
# Virtuoso (virtuoso-t, isql-vt) for the production-store tests, Graphviz (dot) for the ontology
# diagram, PostgreSQL (initdb, postgres) for the partner-database tests, which start their own
# server on 127.0.0.1 in a temporary folder, and python3-venv to make .venv at all. (The Oxigraph server is a wheel: the dev extra.)
# DEBIAN_FRONTEND=noninteractive: virtuoso-opensource asks debconf for a dba password otherwise
# (the tests start their own Virtuoso with its own database, never the packaged service).
system-deps: ## Install what the tests need outside Python (Java, Chromium, Virtuoso, Graphviz, PostgreSQL) when it is missing
	@missing=""; \
	[ -x $(PY) ] || $(PYTHON) -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "missing:$$missing (Debian: apt-get install$$missing)" >&2; \
	  exit 1; \
	fi

build: build/.store-built ## Build the knowledge graph into build/store

build/.store-built: $(INSTALLED) $(SOURCES)
	mkdir -p $(dir $(STORE))
	$(BIN)/pipeline-atlas build --store $(STORE)
	touch $@

run: install build ## Start the explorer on http://127.0.0.1:8501
	$(BIN)/streamlit run ui/streamlit_app.py \
	  --server.address $(HOST) --server.port $(PORT) --server.headless true

check: install ## Fast lane (< 90 s): lint, types, tests that need no Java, Chromium, server, wheel
	@$(PY) bench/timed.py start check
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy src ui
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "$(FAST_MARKERS)"
	@$(PY) bench/timed.py stop check

# Everything: the reasoner (Java), the Oxigraph server (from the dev extra), Chromium, the wheel.
test: system-deps install ## Lint, type-check and run every test (installs what is missing first)
	@$(PY) bench/timed.py start test
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy src ui
	$(BIN)/pytest $(PYTEST_PARALLEL)
	@$(PY) bench/timed.py stop test

# The benchmarks (issue 11): each writes its own section of docs/performance.md, at the four sizes
# of bench/scale.py (SIZES=shipped,states-8 for a shorter run). The synthetic sizes are made
# once under build/bench/ and reused. About an hour on 2 cores; `make test`'s time is the one it
# last recorded (bench/suite.py runs it when there is none).
SIZES ?= shipped,states-8,national,national-x4
bench: system-deps install build ## Measure speed at four sizes against the baselines; writes docs/performance.md (about an hour)
	$(PY) bench/scale.py --stores --sizes $(SIZES) --output docs/performance.md
	$(PY) bench/cq.py --sizes $(SIZES)
	$(PY) bench/build.py --sizes $(SIZES) --budget 150
	$(PY) bench/endpoint.py --sizes $(SIZES)
	$(PY) bench/remote.py --sizes $(SIZES)
	$(PY) bench/explorer.py --sizes $(SIZES) --page-budget 30 --rounds 5
	$(PY) bench/exchange.py --sizes $(SIZES) --budget 20
	$(PY) bench/memory.py
	$(PY) bench/suite.py

lint: install ## Check style and types without changing files
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy src ui

fmt: install ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format
	$(BIN)/ruff check --fix

dist: install ## Build the sdist and the wheel into dist/
	$(PY) -m build --outdir dist

constraints: install ## Re-pin constraints.txt from what .venv holds now
	@{ sed -n '/^#/p' constraints.txt; \
	  $(BIN)/pip freeze --exclude-editable | grep -iv '^pipeline[-_.]atlas'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	touch $(INSTALLED)

clean: ## Remove build/, dist/ and the tools' caches (keeps .venv)
	rm -rf build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
