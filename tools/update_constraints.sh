#!/usr/bin/env bash
# Re-resolve the newest versions of every dependency for Python 3.10 and for the
# given Python (default python3), and write the pins to requirements/constraints.txt.
# After running it, re-run the notebooks (tools/execute_notebooks.py) and `make test`.
# Python 3.10 is found by tools/find_python.sh ($PYTHON310, python3.10 on PATH, or pyenv).
#
# The pins are resolved with each Python's newest patch release, so a pin may need a
# later patch than the oldest its marker admits (soupsieve 4.1.3 needs 3.11.5).
# `make test` (tests/test_environments.py) names such a pin; split it by hand with
# python_full_version markers, as requirements/constraints.txt does for soupsieve.
set -euo pipefail
newest=${1:-python3}
py310=$(tools/find_python.sh 3.10) || { echo "no Python 3.10 found: set PYTHON310=/path/to/python3.10" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for py in "$py310" "$newest"; do
  version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  "$py" -m venv "$work/$version"
  "$work/$version/bin/pip" install --quiet --disable-pip-version-check -e ".[notebooks,test,browser,site]"
  "$work/$version/bin/pip" freeze --exclude-editable > "$work/freeze-$version.txt"
  args+=("$version=$work/freeze-$version.txt")
done
python3 tools/merge_freezes.py "${args[@]}" > requirements/constraints.txt
echo "wrote requirements/constraints.txt"
