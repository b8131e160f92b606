# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Dependencies come only from the lock files, pinned with their hashes (pip-compile --generate-hashes,
# see docs/security.md); the project itself is then installed editable without resolving anything.
RUN_STAMP := $(VENV)/.run-$(shell cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-dev.lock | sha1sum | cut -c1-12)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml requirements.lock | $(VENV)/bin/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.run-* && touch $(RUN_STAMP)

$(STAMP): pyproject.toml requirements-dev.lock | $(VENV)/bin/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# After changing dependencies in pyproject.toml: regenerate both lock files (needs the dev install).
lock:
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

install: $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/memo-coach serve

# Coverage of lines and branches; pytest fails below fail_under in pyproject.toml, and a table per package
# follows. A few tests (PYTEST_ARGS=tests/unit/...) cover too little for the floor: add COVERAGE= to skip it.
COVERAGE ?= --cov --cov-report=json:bench/results/coverage.json
test: $(STAMP)
	$(BIN)/ruff check src tests bench quality
	$(BIN)/lint-imports
	$(BIN)/pytest -q $(COVERAGE) $(PYTEST_ARGS); status=$$?; \
	  if [ -n "$(COVERAGE)" ]; then $(BIN)/python -m quality.coverage_table bench/results/coverage.json; fi; exit $$status

# Code-quality figures (complexity, function length, duplication, import contracts, coverage floor) into
# bench/results/quality.json; fails when one is worse than quality/limits.json (docs/quality.md).
quality: $(STAMP)
	$(BIN)/python -m quality.gate

lint: $(STAMP)
	$(BIN)/ruff check src tests bench quality
	$(BIN)/lint-imports
	$(BIN)/ruff format --check src tests bench quality

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The short bench CI runs: fails when a figure is >25 % worse than bench/baseline.json after normalising
# by the reference workload. Refresh the baseline only on purpose (docs/operations.md#benchmark-gate).
bench-gate: $(STAMP)
	$(BIN)/python -m bench.gate

bench-baseline: $(STAMP)
	$(BIN)/python -m bench.gate --write-baseline

# The container image (deploy/container/): builds it with buildah from a Debian base made here, starts it
# and runs one evaluation through its API (the venv's pip fetches the locked wheels). Needs root, buildah, mmdebstrap
# (docs/deployment.md#container).
image-check: | $(VENV)/bin/python
	deploy/container/check.sh

# After changing writer-facing words: re-extract them (babel.cfg) and merge them into the Spanish catalogue,
# then fill every empty msgstr in web/locales/es/LC_MESSAGES/messages.po (tests/unit/web/test_catalogues.py
# fails until then). The .po is compiled in memory at start-up (i18n.py): no .mo file to build or commit.
LOCALES := src/memo_coach/web/locales
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header --no-wrap -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-wrap --ignore-obsolete

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
.PHONY: install run test quality lint bench bench-gate bench-baseline clean lock messages image-check  # bench/ is also a directory: without this, `make bench` did nothing
