#!/usr/bin/env bash
# Print the path of a Python interpreter of the given minor version (default 3.10),
# or nothing (exit 1) if there is none. Used by .ci/run and tools/update_constraints.sh.
#
# Where it looks, in this order (no machine-specific install path):
#   1. $PYTHON310 (for 3.10; $PYTHON312 for 3.12 ...): used if set, and an error
#      (exit 2) if it does not run or is another version: an explicit choice must hold;
#   2. python3.10 on PATH, if it runs and is 3.10 (a pyenv shim for a version
#      that pyenv has not selected does not run, and is skipped);
#   3. pyenv, if it is on PATH: its newest installed 3.10.x, as `pyenv which` names it.
set -euo pipefail
want=${1:-3.10}
variable=PYTHON${want//./}

is_version() { "$1" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; }

if [[ -n ${!variable:-} ]]; then
  if is_version "${!variable}"; then
    command -v "${!variable}"
    exit 0
  fi
  echo "find_python: $variable=${!variable} is not a working Python $want" >&2
  exit 2
fi
if candidate=$(command -v "python$want" 2>/dev/null) && is_version "$candidate"; then
  echo "$candidate"
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  release=$(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}(\.[0-9]+)?$" | sort -V | tail -n 1 || true)
  if [[ -n $release ]] && candidate=$(PYENV_VERSION=$release pyenv which "python$want" 2>/dev/null) && is_version "$candidate"; then
    echo "$candidate"
    exit 0
  fi
fi
exit 1
