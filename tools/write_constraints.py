"""Turn one `pip freeze` into requirements/constraints.txt: sorted, normalised names, without the project itself.

Usage: python tools/write_constraints.py freeze.txt 3.11 > requirements/constraints.txt
where 3.11 is the Python the freeze was made with, the oldest the project admits
(tools/update_constraints.sh runs it so).
"""

import sys

HEADER = """\
# Exact versions the notebooks' stored outputs were made and tested with (Python {python} and newer).
# Regenerate with `make constraints` (see the Makefile); do not edit by hand."""


def read_freeze(path: str) -> dict[str, str]:
    """{normalised name: version} of every `name==version` line of a pip freeze."""
    pins = {}
    with open(path, encoding="utf-8") as freeze:
        lines = freeze.read().splitlines()
    for line in lines:
        line = line.strip()
        if line and not line.startswith(("#", "-e")) and "==" in line:
            name, version = line.split("==", 1)
            pins[name.lower().replace("_", "-").replace(".", "-")] = version
    return pins


def main(args: list[str]) -> None:
    path, python = args
    pins = read_freeze(path)
    print(HEADER.format(python=python))
    for name in sorted(set(pins) - {"embedpool-utils"}):
        print(f"{name}=={pins[name]}")


if __name__ == "__main__":
    main(sys.argv[1:])
