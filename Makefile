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

.PHONY: demo test harness-test test-pure lint typecheck fixtures bench fuzz fuzz-ci harness system-deps venv accel clean

demo: $(BASE)
	$(PY) examples/demo.py

test: $(ACCEL) system-deps harness harness-test
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) test-pure

# The harness's own Go tests (go-harness/*_test.go: the random generator and its `check`), gofmt
# and go vet, a few seconds; any failure fails `make test`.
harness-test:
	@command -v go >/dev/null || { echo "Go is required to test go-harness (https://go.dev/dl)"; exit 1; }
	@cd go-harness && unformatted="$$(gofmt -l .)" && [ -z "$$unformatted" ] || { echo "gofmt needed: $$unformatted"; exit 1; }
	cd go-harness && go vet ./... && go test ./...

# Users without a C compiler get the pure-Python codec: its tests run on a copy without the
# compiled modules (GORILLACOMPAT_PURE=1 makes tests/test_build.py check that none loaded).
test-pure: $(STAMP) harness
	rm -rf $(PURE) && mkdir -p $(PURE)
	tar --exclude='*.so' --exclude=__pycache__ -cf - gorillacompat tests fixtures setup.py pyproject.toml README.md \
		| tar -xf - -C $(PURE)
	ln -s $(CURDIR)/go-harness $(PURE)/go-harness
	cd $(PURE) && GORILLACOMPAT_PURE=1 $(CURDIR)/$(PY) -m pytest -q -p no:cacheprovider $(CODEC_TESTS)

lint: $(STAMP)
	$(VENV)/bin/ruff check gorillacompat tests examples setup.py noxfile.py
	$(VENV)/bin/ruff format --check gorillacompat tests examples setup.py noxfile.py
	$(VENV)/bin/mypy

typecheck: $(STAMP)
	$(VENV)/bin/mypy

fixtures: harness
	cd go-harness && ./bin/go-harness fixtures -out ../fixtures

# Python vs real Go, as ratios; the store rows (bench_stores.py) take BENCH_TIME seconds each (2).
bench: $(ACCEL) harness system-deps
	$(PY) tests/bench/run.py
	$(PY) tests/bench/bench_redistore.py
	$(PY) tests/bench/bench_adapters.py
	$(PY) tests/bench/bench_stores.py $(if $(BENCH_TIME),--time $(BENCH_TIME))

# Coverage-guided fuzzing (atheris when it installs, else hypothesis), then random Go types from new
# seeds (failures kept in fixtures/random/); `make test` runs a short slice and one fixed seed.
fuzz: $(ACCEL) harness
	$(PY) -m pip install -q atheris || echo "atheris not installable: falling back to hypothesis"
	$(PY) tests/fuzz/run.py --seconds $(or $(FUZZ_SECONDS),600)
	$(PY) tests/fuzz/random_go.py --seconds $(or $(FUZZ_SECONDS),600)

# CI's bounded slice: the deterministic mutator, seed 8, 55 s per target (about 10 minutes).
fuzz-ci: $(ACCEL)
	$(PY) tests/fuzz/run.py --engine mutate --seed 8 --seconds $(or $(FUZZ_SECONDS),55)

harness: $(HARNESS)

$(HARNESS): go-harness/*.go go-harness/go.mod go-harness/go.sum
	@command -v go >/dev/null || { echo "Go is required to build go-harness (https://go.dev/dl)"; exit 1; }
	cd go-harness && go build -o bin/go-harness .

# Debian packages the tests run for real: Redis (server, sentinel, redis-cli), a headless browser
# and its driver for the end-to-end test, tmux for the CLI's terminal test, PostgreSQL (pgstore, gormstore), memcached, MariaDB (gormstore).
APT_PACKAGES := redis-server redis-sentinel chromium chromium-driver tmux postgresql memcached mariadb-server
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
	$(PY) -m pip install -q -e '.[test,bench,cli,pgstore,memcache,gormstore]' 'ruff>=0.5' 'mypy>=1.10' 'setuptools>=68'
	touch $(STAMP)

# The codec compiled by mypyc (setup.py), rebuilt in place whenever its source changes.
accel: $(ACCEL)

$(ACCEL): $(STAMP) setup.py $(wildcard gorillacompat/gob/*.py) gorillacompat/_time.py gorillacompat/_encoding.py gorillacompat/_cookiewire.py
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(ACCEL)

clean:
	rm -rf $(VENV) go-harness/bin .pytest_cache .mypy_cache .ruff_cache build dist gorillacompat.egg-info
	find . -name '*.so' -not -path './.venv/*' -delete

# ---- Release: the interpreter matrix, the artifacts users install, the documentation site ----
# Their tools are dependency groups in pyproject.toml (matrix, dist, docs), installed into .venv by
# these targets only. Their tests live in tests/packaging (marked `packaging`: `make test` leaves
# them out, these targets run them).
RELEASE_DEPS := $(VENV)/.release
DOCS_DEPS    := $(VENV)/.docs
DOCS_HTML    := build/docs/html
DIST_LOGS    := build/dist-logs
PACKAGING_PYTEST = $(PY) -m pytest -m packaging -p no:cacheprovider

.PHONY: test-matrix dist docs docs-linkcheck

# Every CPython 3.10-3.13 on the machine (noxfile.py: on PATH or under `pyenv root`), each with the
# compiled and the pure codec, tested as installed from a wheel; prints each session's time.
# MATRIX_SUITE=core: only the codec, securecookie, sessions and store suites; MATRIX_SKIP=main: not
# the version `make test` ran in full. CI sets both; with CI=true a missing interpreter fails.
test-matrix: $(RELEASE_DEPS) system-deps harness
	rm -f $(VENV)/nox-times.txt
	$(VENV)/bin/nox $(NOX_ARGS)

# dist/: the sdist (built pure, so it carries no generated C), then the wheel built from that sdist
# as pip would; then tests install each into a fresh venv (tests/packaging/test_dist.py), and fail
# on a build that printed a warning.
dist: $(RELEASE_DEPS) system-deps harness
	rm -rf dist $(DIST_LOGS) && mkdir -p dist $(DIST_LOGS)
	env -u PYTHONDONTWRITEBYTECODE GORILLACOMPAT_PURE=1 $(PY) -m build --sdist --outdir dist . \
		> $(DIST_LOGS)/sdist.log 2>&1 || { cat $(DIST_LOGS)/sdist.log; exit 1; }
	env -u PYTHONDONTWRITEBYTECODE -u GORILLACOMPAT_PURE $(PY) -m build --wheel --outdir dist dist/*.tar.gz \
		> $(DIST_LOGS)/wheel.log 2>&1 || { cat $(DIST_LOGS)/wheel.log; exit 1; }
	$(VENV)/bin/twine check --strict dist/*
	ls -l dist
	$(PACKAGING_PYTEST) tests/packaging/test_dist.py tests/packaging/test_metadata.py

# The HTML site from docs/ (Sphinx + furo + myst, docstrings by autodoc, the CLI by sphinx-click):
# warnings are errors, every internal link and anchor is checked (docs/_ext/checklinks.py), then
# headless Chromium screenshots the start page and the Go <-> Python map (test_docs.py).
docs: $(DOCS_DEPS) system-deps harness
	rm -rf $(DOCS_HTML)
	$(VENV)/bin/sphinx-build -W --keep-going -q -b html docs $(DOCS_HTML)
	$(PACKAGING_PYTEST) tests/packaging/test_docs.py
	@echo "docs: $(DOCS_HTML)/index.html"

# The external links too, with Sphinx's linkcheck builder: it needs the network, so CI does not run it.
docs-linkcheck: $(DOCS_DEPS)
	$(VENV)/bin/sphinx-build -q -b linkcheck docs build/docs/linkcheck

$(RELEASE_DEPS): $(STAMP) pyproject.toml
	$(PY) -m pip install -q --group matrix --group dist
	touch $(RELEASE_DEPS)

$(DOCS_DEPS): $(STAMP) pyproject.toml
	$(PY) -m pip install -q --group docs
	touch $(DOCS_DEPS)
