# The two commands of the README: `make serve` and `make test` (plus `make check`).
# Each creates .venv when missing and reinstalls the project only when pyproject.toml changed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test check lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

serve: $(VENV)/.installed
	$(BIN)/secgraph serve

check: $(VENV)/.installed
	$(BIN)/secgraph check

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
