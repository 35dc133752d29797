"""Merge `pip freeze` outputs of several Pythons into one constraints file.

Usage: python tools/merge_freezes.py 3.10=freeze310.txt 3.11=freeze311.txt > requirements/constraints.txt

A package pinned to the same version everywhere gets one plain line; otherwise
each Python gets its own line with an environment marker. The first Python
listed covers itself only; the last one covers itself and every newer Python.
"""

import sys


def read_freeze(path: str) -> dict[str, str]:
    pins = {}
    with open(path, encoding="utf-8") as freeze:
        lines = freeze.read().splitlines()
    for line in lines:
        line = line.strip()
        if line and not line.startswith(("#", "-e")) and "==" in line:
            name, version = line.split("==", 1)
            pins[name.lower().replace("_", "-")] = version
    return pins


def main(args: list[str]) -> None:
    pythons = [(arg.split("=", 1)[0], read_freeze(arg.split("=", 1)[1])) for arg in args]
    pythons.sort(key=lambda item: tuple(int(p) for p in item[0].split(".")))
    names = sorted({name for _, pins in pythons for name in pins} - {"embedpool-utils"})
    print("# Exact versions the notebooks' stored outputs were made and tested with.")
    print("# Regenerate with `make constraints` (see the Makefile); do not edit by hand.")
    for name in names:
        versions = {py: pins.get(name) for py, pins in pythons}
        if len(set(versions.values())) == 1:
            print(f"{name}=={versions[pythons[0][0]]}")
            continue
        for i, (py, _) in enumerate(pythons):
            if versions[py] is None:
                continue
            if i == len(pythons) - 1:
                marker = f'python_version >= "{py}"'
            else:
                marker = f'python_version == "{py}"'
            print(f"{name}=={versions[py]}; {marker}")


if __name__ == "__main__":
    main(sys.argv[1:])
