# The one entry point. `make demo` needs nothing but Python; `make test` sets up everything
# the tests need (Python deps in .venv, redis-server from Debian, the Go harness) and runs them.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HARNESS := go-harness/bin/go-harness
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck fixtures bench harness redis venv clean

demo: $(STAMP)
	$(PY) examples/demo.py

test: $(STAMP) redis harness
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check gorillacompat tests examples
	$(VENV)/bin/ruff format --check gorillacompat tests examples
	$(VENV)/bin/mypy

typecheck: $(STAMP)
	$(VENV)/bin/mypy

fixtures: harness
	cd go-harness && ./bin/go-harness fixtures -out ../fixtures

bench: $(STAMP) harness
	$(PY) tests/bench/run.py

harness: $(HARNESS)

$(HARNESS): go-harness/*.go go-harness/go.mod go-harness/go.sum
	@command -v go >/dev/null || { echo "Go is required to build go-harness (https://go.dev/dl)"; exit 1; }
	cd go-harness && go build -o bin/go-harness .

# redis-server from Debian's packages, installed only when missing (later issues' tests use it).
redis:
	@command -v redis-server >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null; fi; }
	@redis-server --version

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]' 'ruff>=0.5' 'mypy>=1.10'
	touch $(STAMP)

clean:
	rm -rf $(VENV) go-harness/bin .pytest_cache .mypy_cache .ruff_cache
