# Two commands for learners and lecturers (see README.md):
#   make lab    set everything up and open the series in JupyterLab
#   make test   set everything up and run the whole test suite
# Both build a virtual environment in .venv from the pinned versions in
# requirements/constraints.txt, so stored notebook outputs match what runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-embedpool
CONSTRAINTS ?= requirements/constraints.txt
EXTRAS ?= notebooks,test,browser
# The parity tests and the notebooks explain Keras 3 on its JAX backend, on the CPU.
export KERAS_BACKEND := jax
export JAX_PLATFORMS := cpu
# nbval's kernels inherit this environment; a non-inline backend would hide every figure.
unexport MPLBACKEND
PYTEST_FLAGS ?=

.PHONY: lab test test-browser fresh-install setup bench slides site test-site latest constraints clean

setup: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@$(PYTHON) -c 'import sys; sys.exit("embedpool needs Python >= 3.10; $(PYTHON) is " + sys.version.split()[0]) if sys.version_info < (3, 10) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[$(EXTRAS)]"
	@touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab notebooks/

# Unit, property and Keras-parity tests, the helper's doctests, and strict
# nbval over every notebook in notebooks/ (strict mode only, never the lax one).
# The real-browser test lives in tests/browser and has its own target, because
# it also needs Debian's chromium (see test-browser).
test: setup
	$(BIN)/python -m pytest --nbval --nbval-current-env --doctest-modules --ignore=tests/browser --ignore=tests/site $(PYTEST_FLAGS) tests embedpool_utils notebooks

# JupyterLab in a real (headless) chromium: every notebook runs, every explorer
# renders and reacts. Needs `apt-get install chromium` (CI installs it).
test-browser: setup
	$(BIN)/python -m pytest $(PYTEST_FLAGS) tests/browser

# A clean virtual environment built from the package metadata alone (no
# editable install, no dev leftovers) runs every notebook under strict nbval.
fresh-install:
	tools/fresh_install_check.sh $(PYTHON)

bench: setup
	$(BIN)/python benchmarks/bench_core.py

# The series as a static site in build/site/ (open build/site/index.html), made
# from the notebooks' stored outputs: no kernel, no network. Needs the `site`
# extra (Python 3.11+) and the npm packages pinned in package-lock.json
# (MathJax, shipped only if a page has math; axe-core for test-site).
SITE_STAMP := $(VENV)/.installed-embedpool-site
NODE_STAMP := node_modules/.installed-embedpool

$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[$(EXTRAS),site]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

site: $(SITE_STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_site.py

# Builds the site, serves it on 127.0.0.1 and checks every page in Debian's
# chromium: nothing loaded from outside, links and anchors, images and their
# alt text, an axe-core audit, the search. Needs `apt-get install chromium`.
test-site: $(SITE_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_FLAGS) tests/site

# Lecture mode: one reveal.js deck per notebook in slides/, usable offline.
slides: setup
	$(BIN)/python tools/build_slides.py --out slides

# The same suite against the newest releases of every dependency (no pins),
# in a separate environment, to see drift before learners do.
latest:
	$(MAKE) test VENV=.venv-latest CONSTRAINTS=requirements/no-constraints.txt

# Re-resolve the pins for Python 3.10 and for $(PYTHON) (see tools/update_constraints.sh).
constraints:
	tools/update_constraints.sh $(PYTHON)

clean:
	rm -rf $(VENV) .venv-latest .hypothesis build *.egg-info embedpool_utils.egg-info
