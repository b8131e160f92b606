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

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/ruff format --check src tests bench

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
.PHONY: install run test lint bench clean lock  # bench/ is also a directory: without this, `make bench` did nothing
