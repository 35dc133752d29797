#!/usr/bin/env bash
# Fresh-install check: the notebooks run, under strict nbval, in a brand-new
# virtual environment that holds nothing but what the package metadata declares.
#
# Why: `make test` runs in .venv, an *editable* install next to the source tree,
# so a notebook can pass there while a learner's `pip install` is broken: a
# dependency used but not declared in pyproject.toml (present in .venv only as a
# leftover or a transitive extra), a module missing from the built wheel
# (packages=[...] in pyproject), or a notebook that only works because
# `embedpool_utils/` happens to sit in the working directory.
#
# What it does, and so proves:
#   1. copies the repository's files (tracked, plus untracked-but-not-ignored, so
#      uncommitted work is checked too; no .venv, build/, *.egg-info) to a temp dir;
#   2. builds a new venv with the given Python and installs that copy NON-editable,
#      as `<copy>[notebooks,test]` under requirements/constraints.txt (the pins the
#      stored outputs were made with; the `browser` extra is not needed);
#   3. checks that `import embedpool_utils` resolves to the venv's site-packages;
#   4. copies only notebooks/*.ipynb to another temp dir and runs
#      `pytest --nbval --nbval-current-env` there with the venv's Python, with
#      a throwaway pytest config, so neither the source tree nor the repo's
#      pyproject/conftest can take part.
#
# Usage: tools/fresh_install_check.sh [PYTHON]      (run from anywhere; `make fresh-install`)
#   FRESH_INSTALL_EXTRAS  extras to install (default: notebooks,test). Setting it to
#                         `test` must make the check fail: that is how to see it can.
set -euo pipefail

PYTHON=${1:-python3}
EXTRAS=${FRESH_INSTALL_EXTRAS:-notebooks,test}
REPO=$(cd "$(dirname "$0")/.." && pwd -P)

# The series explains Keras 3 on JAX, on the CPU (as the Makefile and tests/conftest.py).
export KERAS_BACKEND=jax
export JAX_PLATFORMS=${JAX_PLATFORMS:-cpu}
# The kernels use the inline backend here, as a learner's do; `make test` runs them with MPLBACKEND=Agg.
unset MPLBACKEND
# Nothing from the caller's environment may put the source tree or other packages on the path.
unset PYTHONPATH PYTHONHOME PYTEST_ADDOPTS PYTEST_PLUGINS VIRTUAL_ENV
export PYTHONNOUSERSITE=1

start=$SECONDS
step() { printf '\n==> [%3ds] %s\n' "$((SECONDS - start))" "$*"; }
fail() { printf '\nFRESH-INSTALL CHECK FAILED: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null || fail "no such Python: $PYTHON"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "embedpool needs Python >= 3.11, this is " + sys.version.split()[0])' \
  || fail "$PYTHON is too old"
git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1 || fail "$REPO is not a git checkout (needed to know which files belong to the project)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/embedpool-fresh.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SRC=$TMP/src          # the project's files, to install from
VENV=$TMP/venv        # the fresh environment
RUN=$TMP/run          # where nbval runs: notebooks only
mkdir -p "$SRC" "$RUN"

step "Copying the project's files (tracked + untracked, not ignored) from $REPO"
# --cached also lists tracked files deleted in the working tree; keep only those that exist.
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi; done \
  | tar --null -T - -cf -) | tar -xf - -C "$SRC"
echo "    $(find "$SRC" -type f | wc -l) files"

step "Creating a new virtual environment with $("$PYTHON" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
"$PYTHON" -m venv "$VENV"
PY=$VENV/bin/python

step "Installing the project (not editable) as .[$EXTRAS] with requirements/constraints.txt"
t=$SECONDS
# pip's own notes about unreachable find-links/index locations in the machine's pip
# config are dropped; every other message (and pip's exit status) comes through.
(cd "$TMP" && "$PY" -m pip install --quiet --disable-pip-version-check \
  -c "$SRC/requirements/constraints.txt" "$SRC[$EXTRAS]" 2>&1 \
  | { grep -v "' is ignored: it is neither a file nor a directory\.$" || true; }) \
  || fail "pip install of .[$EXTRAS] failed"
echo "    installed in $((SECONDS - t)) s"

step "Checking where embedpool_utils is imported from"
(cd "$RUN" && "$PY" - "$REPO" <<'EOF') || fail "embedpool_utils does not come from the fresh venv's site-packages"
import importlib.metadata, json, os, sys, sysconfig
repo = os.path.realpath(sys.argv[1])
import embedpool_utils
where = os.path.realpath(embedpool_utils.__file__)
site = os.path.realpath(sysconfig.get_paths()["purelib"])
print("    embedpool_utils:", where)
direct = json.loads(importlib.metadata.distribution("embedpool-utils").read_text("direct_url.json") or "{}")
editable = direct.get("dir_info", {}).get("editable", False)
ok = where.startswith(site + os.sep) and not where.startswith(repo + os.sep) and not editable
print("    editable install:", editable, "| in the venv's site-packages:", where.startswith(site + os.sep))
sys.exit(0 if ok else 1)
EOF

step "Running strict nbval over the notebooks, from $RUN (no repo files there)"
mkdir -p "$RUN/notebooks" "$TMP/ipython" "$TMP/jupyter-config" "$TMP/jupyter-runtime"
shopt -s nullglob
notebooks=("$SRC"/notebooks/*.ipynb)
((${#notebooks[@]})) || fail "no notebooks found in notebooks/"
cp "${notebooks[@]}" "$RUN/notebooks/"
printf '[pytest]\n' >"$RUN/pytest.ini"   # an empty config: nothing of the repo's pyproject applies
# No IPython profile or Jupyter config of the caller's either.
t=$SECONDS
(cd "$RUN" && IPYTHONDIR=$TMP/ipython JUPYTER_CONFIG_DIR=$TMP/jupyter-config JUPYTER_RUNTIME_DIR=$TMP/jupyter-runtime \
  "$PY" -m pytest --nbval --nbval-current-env -p no:cacheprovider -c "$RUN/pytest.ini" --rootdir "$RUN" \
  -q notebooks) || fail "a notebook fails under strict nbval in the fresh install (see above)"
echo "    nbval took $((SECONDS - t)) s"

step "OK: a fresh, non-editable install of .[$EXTRAS] runs all ${#notebooks[@]} notebooks under strict nbval (total $((SECONDS - start)) s)"
