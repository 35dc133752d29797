# Two commands for learners and lecturers (see README.md):
#   make lab    set up the learner's environment and open the series in JupyterLab
#   make test   add the test tooling to it and run the whole test suite
# Both build a virtual environment in .venv from the pinned versions in
# requirements/constraints.txt, so stored notebook outputs match what runs.
#
# The learner's environment holds what the notebooks need and nothing else
# (the package and its `notebooks` extra). `make setup` (what `make test`
# uses) adds the test tooling: pytest, nbval, hypothesis, numpydoc, the
# Playwright client, ruff and mypy (for `make lint`), and reveal.js for the
# slide decks, so that the suite runs offline.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONSTRAINTS ?= requirements/constraints.txt
LAB_EXTRAS ?= notebooks
TEST_EXTRAS ?= notebooks,test,browser
LAB_STAMP := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test
REVEAL_STAMP := $(VENV)/.installed-reveal
# Extra JupyterLab options, e.g. make lab LAB_ARGS="--no-browser --port=8899"
LAB_ARGS ?=
# JupyterLab refuses to start as root (containers, cloud workspaces) unless told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# The parity tests and the notebooks explain Keras 3 on its JAX backend, on the CPU.
export KERAS_BACKEND := jax
export JAX_PLATFORMS := cpu
# A learner's MPLBACKEND must not leak into the tests: the strict nbval run sets
# its kernels' backend itself (the root conftest.py runs them with Agg, to prove
# that every figure shows whatever the variable says).
unexport MPLBACKEND
PYTEST_FLAGS ?=
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)

.PHONY: lab test lint test-browser fresh-install setup setup-lab bench slides site test-site student latest constraints clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("embedpool needs Python >= 3.11; $(PYTHON) is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# The learner's environment: the helper and what the notebooks import.
setup-lab: $(LAB_STAMP)

$(LAB_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e ".[$(LAB_EXTRAS)]"
	@touch $@

# reveal.js for the slide decks, fetched once here (the pinned wheel, hash
# checked) so that neither building decks nor testing them needs the network.
$(REVEAL_STAMP): tools/build_slides.py | $(BIN)/python
	$(BIN)/python tools/build_slides.py --install-reveal
	@touch $@

# Everything `make test` needs: the learner's environment plus the test tooling.
setup: $(TEST_STAMP) $(REVEAL_STAMP)

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e ".[$(TEST_EXTRAS)]"
	@touch $@

lab: setup-lab
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) notebooks/

# Unit, property and Keras-parity tests, the helper's doctests, and strict
# nbval over every notebook in notebooks/ (strict mode only, never the lax one).
# The real-browser test lives in tests/browser and has its own target, because
# it also needs Debian's chromium (see test-browser).
test: setup
	$(BIN)/python -m pytest --nbval --nbval-current-env --doctest-modules --ignore=tests/browser --ignore=tests/site $(PYTEST_FLAGS) tests embedpool_utils notebooks

# Lint, format and types, configured in pyproject.toml: ruff's rules, ruff's
# formatting (checked, never rewritten here: `ruff format .` rewrites) and mypy.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# JupyterLab in a real (headless) chromium: every notebook runs, every explorer
# renders and reacts. Needs `apt-get install chromium` (CI installs it).
test-browser: setup
	$(BIN)/python -m pytest $(PYTEST_FLAGS) tests/browser

# A clean virtual environment built from the package metadata alone (no
# editable install, no dev leftovers) runs every notebook under strict nbval.
fresh-install:
	tools/fresh_install_check.sh $(PYTHON)

bench: setup-lab
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_inspector.py
	$(BIN)/python benchmarks/bench_notebooks.py

# The series as a static site in build/site/ (open build/site/index.html), made
# from the notebooks' stored outputs: no kernel, no network. Needs the learner's
# environment plus the `site` extra (Python 3.11+), no test tooling, and the npm
# packages pinned in package-lock.json (MathJax, shipped only if a page has
# math; axe-core for test-site).
SITE_STAMP := $(VENV)/.installed-embedpool-site
NODE_STAMP := node_modules/.installed-embedpool

$(SITE_STAMP): $(LAB_STAMP)
	$(PIP_INSTALL) -e ".[$(LAB_EXTRAS),site]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

site: $(SITE_STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_site.py

# Builds the site, serves it on 127.0.0.1 and checks every page in Debian's
# chromium: nothing loaded from outside, links and anchors, images and their
# alt text, an axe-core audit, the search. Needs the test tooling (pytest, the
# Playwright client) too, and `apt-get install chromium`.
test-site: $(TEST_STAMP) $(SITE_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_FLAGS) tests/site

# Copies to hand out, in build/student/ (and one zip of them): solutions removed,
# exercise cells blank, instructor notes left out, teaching outputs kept (see
# README.md). Plain Python, nothing installed, no network.
STUDENT_DIR ?= build/student
student:
	$(PYTHON) tools/student_copy.py --out $(STUDENT_DIR)

# Lecture mode: one reveal.js deck per notebook in slides/, usable offline.
slides: setup-lab $(REVEAL_STAMP)
	$(BIN)/python tools/build_slides.py --out slides

# The same suite against the newest releases of every dependency (no pins),
# in a separate environment, to see drift before learners do.
latest:
	$(MAKE) test VENV=.venv-latest CONSTRAINTS=requirements/no-constraints.txt

# Re-resolve the pins with $(PYTHON), which must be the oldest Python pyproject.toml admits (see tools/update_constraints.sh).
constraints:
	tools/update_constraints.sh $(PYTHON)

# Everything the targets above make: environments, build output, slide decks,
# npm packages and the browser tests' screenshots.
clean:
	rm -rf $(VENV) .venv-latest .hypothesis build slides node_modules artifacts *.egg-info embedpool_utils.egg-info

# ---- Other backends and Keras' next release (see README, "Checks beyond make test") ----
# make test-backends: the notebooks' Keras cells on TensorFlow and on PyTorch (CPU builds), each in an
# environment of its own (.venv-tensorflow, .venv-torch; never the learner's .venv), pinned in
# requirements/backend-<name>.txt for Python 3.11. Each notebook runs as a copy whose set-up line names
# that backend (tools/backend_notebooks.py; the learners' notebooks do not change), and strict nbval
# compares every output with the one stored from JAX, but for the cells marked embedpool.backend_specific
# in their metadata, which run without being compared. The recorded TensorFlow and PyTorch facts of
# notebooks 01, 05 and 06 are observed again (tests/backends). Both backends run at once (one per core).
BACKENDS := tensorflow torch
BACKEND_PIP = -m pip install --quiet --disable-pip-version-check

.PRECIOUS: .venv-%/.installed-embedpool
.venv-%/.installed-embedpool: requirements/backend-%.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(None if sys.version_info[:2] == (3, 11) else "the backend environments are pinned for Python 3.11; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv .venv-$*
	.venv-$*/bin/python $(BACKEND_PIP) --no-deps -r requirements/backend-$*.txt
	.venv-$*/bin/python $(BACKEND_PIP) --no-deps -e .
	.venv-$*/bin/python -m pip check --disable-pip-version-check
	@touch $@

test-backend-%: .venv-%/.installed-embedpool
	rm -rf build/backends/$*
	.venv-$*/bin/python tools/backend_notebooks.py $* build/backends/$*
	EMBEDPOOL_BACKEND=$* TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=tools .venv-$*/bin/python -m pytest -p backend_notebooks \
		--nbval --nbval-current-env $(PYTEST_FLAGS) build/backends/$* tests/backends

test-backends:
	$(MAKE) --no-print-directory -j2 --output-sync=target $(addprefix test-backend-,$(BACKENDS))

# Observe the TensorFlow and PyTorch facts again and rewrite embedpool_utils/recorded_backends.json
# (then re-execute notebooks 01, 05 and 06). make backend-pins re-resolves requirements/backend-*.txt.
record-backends: $(foreach b,$(BACKENDS),.venv-$(b)/.installed-embedpool)
	.venv-tensorflow/bin/python tools/record_backend_facts.py .venv-tensorflow/bin/python .venv-torch/bin/python

backend-pins:
	$(foreach b,$(BACKENDS),$(PYTHON) tools/pin_backend.py $(b) &&) true

# make nightly: the suite of make test (strict nbval over every notebook, the parity tests, the rest)
# against Keras' nightly build, keras-nightly from the package index, in .venv-nightly; every other
# package at its pin. It prints what differs from the stored outputs and pinned facts; not part of CI.
NIGHTLY_VENV := .venv-nightly
nightly:
	tools/nightly.sh $(PYTHON) $(NIGHTLY_VENV)

clean-backends:
	rm -rf $(foreach b,$(BACKENDS),.venv-$(b)) $(NIGHTLY_VENV) build/backends build/nightly

.PHONY: test-backends record-backends backend-pins nightly clean-backends
