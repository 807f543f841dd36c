# One command per habit. Every target creates .venv on first use from Python and the package index.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.sirocco-installed

.PHONY: install demo test lint typecheck check bench compiled pure test-compiled clean

install: $(STAMP)

$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --extra dev --quiet
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sirocco demo $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# Optional: the matching core compiled with mypyc (needs a C compiler), and back to the source.
compiled: $(STAMP)
	$(BIN)/python scripts/compile.py

pure: $(STAMP)
	$(BIN)/python scripts/compile.py --remove

# The matching tests again on the compiled core, with its output checked against the source's.
test-compiled: compiled
	$(BIN)/python -m pytest tests/test_compiled.py tests/match tests/test_xmatch.py tests/test_entities.py

bench: $(STAMP)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --extra dev --extra bench --quiet
	$(BIN)/python benchmarks/xmatch_vs_splink.py

clean:
	test ! -x $(BIN)/python || $(BIN)/python scripts/compile.py --remove
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
