"""What differs, test by test, in a pytest JUnit XML report: the short form `make nightly` prints.

Usage: python tools/nightly_report.py build/nightly/report.xml

For a notebook cell (strict nbval) it prints the cell and the lines of the
difference nbval found (its ``- `` / ``+ `` lines, or the exception); for any
other test, the assertion or error, shortened.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET

ANSI = re.compile(r"\x1b\[[0-9;]*m")
KEEP = 14  # lines per failure
WIDTH = 240  # characters per line (an output may hold a whole figure)


def what_differs(text: str) -> list[str]:
    """The informative lines of one failure's text."""
    lines = [ANSI.sub("", line).rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line.strip()]
    if any("mismatch" in line for line in lines):  # nbval: the diff of stored and new output
        start = next(i for i, line in enumerate(lines) if "mismatch" in line)
        picked = [lines[start].strip()] + [
            line for line in lines[start + 1 :] if line.lstrip().startswith(("- ", "+ ", "? "))
        ]
        return [line for line in picked if not line.lstrip().startswith("? ")]
    errors = [line for line in lines if re.match(r"^\s*(E\s|[A-Za-z_.]+(Error|Exception|Warning)\b)", line)]
    return errors or lines[-KEEP:]


def main(path: str) -> None:
    failed = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        for problem in list(case.findall("failure")) + list(case.findall("error")):
            failed += 1
            name = f"{case.get('classname', '')}::{case.get('name', '')}".strip(":")
            print(f"\n-- {name}")
            for line in what_differs(problem.text or problem.get("message") or "")[:KEEP]:
                print(f"   {line[:WIDTH]}{' ...' if len(line) > WIDTH else ''}")
    print(f"\n{failed} failing test(s)" if failed else "\nnothing differs")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
