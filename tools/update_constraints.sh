#!/usr/bin/env bash
# Re-resolve the newest versions of every dependency for Python 3.10 and for the
# given Python (default python3), and write the pins to requirements/constraints.txt.
# After running it, re-run the notebooks (tools/execute_notebooks.py) and `make test`.
set -euo pipefail
newest=${1:-python3}
py310=${PY310:-python3.10}
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
