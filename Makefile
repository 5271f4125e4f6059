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
	$(BIN)/lint-imports  # the layers of pyproject.toml's [tool.importlinter]

test: lint
	$(BIN)/pytest

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

# From npm into build/ at test time (never a CDN at run time), in one install (npm drops what an
# install does not name): axe-core, the accessibility engine tests/web/pages/test_browser_a11y.py
# injects into each page, and jsonld (jsonld.js), a reader tests/describe/test_jsonld_js.py
# checks the served JSON-LD with. Without npm those tests skip.
AXE_VERSION := 4.10.3
JSONLD_JS_VERSION := 8.3.3
AXE := build/npm/node_modules/axe-core/axe.min.js
JSONLD_JS := build/npm/node_modules/jsonld/package.json
$(AXE) $(JSONLD_JS):
	-npm install --prefix build/npm --no-save --no-audit --no-fund --silent \
		axe-core@$(AXE_VERSION) jsonld@$(JSONLD_JS_VERSION) \
		|| echo "npm packages not installed: the axe-core and jsonld.js tests will skip" >&2
test: $(AXE) $(JSONLD_JS)
