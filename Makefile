# The one entry point. `make demo` needs nothing but Python; `make test` sets up everything
# the tests need (Python deps in .venv, redis-server from Debian, the Go harness) and runs them.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HARNESS := go-harness/bin/go-harness
BASE   := $(VENV)/.base
STAMP  := $(VENV)/.installed
ACCEL  := $(VENV)/.accel
PURE   := $(VENV)/pure
#: The tests of the modules setup.py compiles, run again on the pure-Python source.
CODEC_TESTS := tests/gob tests/securecookie tests/test_jsonview.py tests/test_gojson.py \
	tests/test_gojson_fastpath.py tests/test_gojson_props.py tests/test_build.py

.PHONY: demo test test-pure lint typecheck fixtures bench fuzz fuzz-ci harness system-deps venv accel clean

demo: $(BASE)
	$(PY) examples/demo.py

test: $(ACCEL) system-deps harness
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) test-pure

# Users without a C compiler get the pure-Python codec: its tests run on a copy without the
# compiled modules (GORILLACOMPAT_PURE=1 makes tests/test_build.py check that none loaded).
test-pure: $(STAMP) harness
	rm -rf $(PURE) && mkdir -p $(PURE)
	tar --exclude='*.so' --exclude=__pycache__ -cf - gorillacompat tests fixtures setup.py pyproject.toml README.md \
		| tar -xf - -C $(PURE)
	ln -s $(CURDIR)/go-harness $(PURE)/go-harness
	cd $(PURE) && GORILLACOMPAT_PURE=1 $(CURDIR)/$(PY) -m pytest -q -p no:cacheprovider $(CODEC_TESTS)

lint: $(STAMP)
	$(VENV)/bin/ruff check gorillacompat tests examples setup.py
	$(VENV)/bin/ruff format --check gorillacompat tests examples setup.py
	$(VENV)/bin/mypy

typecheck: $(STAMP)
	$(VENV)/bin/mypy

fixtures: harness
	cd go-harness && ./bin/go-harness fixtures -out ../fixtures

bench: $(ACCEL) harness system-deps
	$(PY) tests/bench/run.py
	$(PY) tests/bench/bench_redistore.py
	$(PY) tests/bench/bench_adapters.py

# Coverage-guided fuzzing (atheris when it installs, else hypothesis); `make test` runs a short slice.
fuzz: $(ACCEL)
	$(PY) -m pip install -q atheris || echo "atheris not installable: falling back to hypothesis"
	$(PY) tests/fuzz/run.py --seconds $(or $(FUZZ_SECONDS),600)

# CI's bounded slice: the deterministic mutator, seed 8, 55 s per target (about 10 minutes).
fuzz-ci: $(ACCEL)
	$(PY) tests/fuzz/run.py --engine mutate --seed 8 --seconds $(or $(FUZZ_SECONDS),55)

harness: $(HARNESS)

$(HARNESS): go-harness/*.go go-harness/go.mod go-harness/go.sum
	@command -v go >/dev/null || { echo "Go is required to build go-harness (https://go.dev/dl)"; exit 1; }
	cd go-harness && go build -o bin/go-harness .

# Debian packages the tests run for real: Redis (server, sentinel, redis-cli), a headless browser
# and its driver for the end-to-end test, tmux for the CLI's terminal test.
APT_PACKAGES := redis-server redis-sentinel chromium chromium-driver tmux
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing from Debian:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
	@redis-server --version

venv: $(STAMP)

# The package and its runtime dependencies only (enough for the demo).
$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $(BASE)

# Everything the tests, the benchmarks and the linters need.
$(STAMP): $(BASE)
	$(PY) -m pip install -q -e '.[test,bench,cli]' 'ruff>=0.5' 'mypy>=1.10' 'setuptools>=68'
	touch $(STAMP)

# The codec compiled by mypyc (setup.py), rebuilt in place whenever its source changes.
accel: $(ACCEL)

$(ACCEL): $(STAMP) setup.py $(wildcard gorillacompat/gob/*.py) gorillacompat/_time.py gorillacompat/_encoding.py gorillacompat/_cookiewire.py
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(ACCEL)

clean:
	rm -rf $(VENV) go-harness/bin .pytest_cache .mypy_cache .ruff_cache build gorillacompat.egg-info
	find . -name '*.so' -not -path './.venv/*' -delete
