# mercury-kg: knowledge graph of the UNEP Global Mercury Partnership.
# `make serve` and `make test` are the two commands the README opens with.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.DEFAULT_GOAL := help
.PHONY: help setup services serve test check build bench figures report clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml service/ui/package-lock.json
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
	  || { echo "installing python3-venv with apt"; apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	@command -v npm >/dev/null 2>&1 || { echo "installing npm with apt"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	cd service/ui && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the package with its dev tools

serve: setup ## set up, build the graph and serve it on localhost
	$(VENV)/bin/mercury-kg build
	$(VENV)/bin/mercury-kg serve --host 127.0.0.1 --port 8000

services: ## install what the tests drive: Virtuoso (reference SPARQL engine), Chromium, Pango, pdftoppm
	@missing=""; \
	  command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  if [ -n "$$missing" ]; then \
	    SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	    echo "installing with apt:$$missing"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  fi

test: setup services ## set up and run every check: lint, types, validation, tests (incl. Virtuoso)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check graph service tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/mercury-kg validate
	$(VENV)/bin/pytest

check: setup ## validate the curated graph against the shapes
	$(VENV)/bin/mercury-kg validate

build: setup ## build the dataset, dumps and ontology docs into build/
	$(VENV)/bin/mercury-kg build

bench: setup services ## benchmarks: validation, queries, networks, the service beside Virtuoso (wrk), contributions, the report
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  echo "installing with apt: wrk"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) benchmarks/bench_validate.py
	$(PY) benchmarks/bench_queries.py
	$(PY) benchmarks/bench_network.py
	$(PY) benchmarks/bench_service.py
	$(PY) benchmarks/bench_cold.py
	$(PY) benchmarks/bench_contrib.py
	$(PY) benchmarks/bench_report.py

report: setup ## the progress report 2010-2012 from the graph: build/report/progress-2010-2012.{html,pdf}
	$(VENV)/bin/mercury-kg report --period 2010-07/2012-06 -o build/report/progress-2010-2012.html
	$(VENV)/bin/mercury-kg report --period 2010-07/2012-06 -o build/report/progress-2010-2012.pdf

figures: setup report ## redraw the README's figures in docs/figures/ (networks, the report's first page)
	$(VENV)/bin/mercury-kg network --format png --size-by betweenness -o docs/figures/partnership-network.png
	$(VENV)/bin/mercury-kg network --view donors --format png --size-by weighted_degree -o docs/figures/donors-areas-countries.png
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile build/report/progress-2010-2012.pdf docs/figures/report-first-page

clean: ## remove build output
	rm -rf build
