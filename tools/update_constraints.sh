#!/usr/bin/env bash
# Re-resolve the newest versions of every dependency and write the pins to
# requirements/constraints.txt. After running it, re-run the notebooks
# (tools/execute_notebooks.py), `make test` and `make lint`.
#
# Usage: tools/update_constraints.sh [PYTHON]     (default python3; `make constraints`)
# The pins are resolved with the oldest Python the project supports (requires-python
# in pyproject.toml), so that each pinned release installs there; a newer Python is refused.
#
# They are resolved with that Python's installed patch release, so a pin may need a
# later patch than x.y.0 (soupsieve 4.1.3 needs 3.11.5). `make test`
# (tests/test_environments.py) names such a pin; split it by hand with
# python_full_version markers, as requirements/constraints.txt does for soupsieve.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:-python3}
oldest=$("$py" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["requires-python"].removeprefix(">="))')
version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [[ $version != "$oldest" ]]; then
  echo "$py is Python $version; resolve the pins with Python $oldest, the oldest that pyproject.toml admits" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -e ".[notebooks,test,browser,site]"
"$work/venv/bin/pip" freeze --exclude-editable > "$work/freeze.txt"
"$py" tools/write_constraints.py "$work/freeze.txt" "$oldest" > requirements/constraints.txt
echo "wrote requirements/constraints.txt"
