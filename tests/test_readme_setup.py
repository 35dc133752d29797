"""The README's set-up without `make` names files and extras that exist, and matches what `make lab` does.

Learners without `make` (on Windows, say) copy these steps, so each must keep
working as the repository changes: the constraints file and the extra they
install exist, they are the ones the Makefile's `lab` target uses, both the
Linux/macOS and the Windows variants make a venv, install with the pins and
open JupyterLab on the notebooks, and the root user's extra option is given.
"""

from __future__ import annotations

import re

import pytest
from support import ROOT, pyproject

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
HEADING = "### Set-up without `make`"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.DOTALL | re.MULTILINE)
INSTALL = re.compile(r'-m pip install -c (?P<constraints>\S+) -e "\.\[(?P<extras>[\w,-]+)\]"')


def section() -> str:
    assert HEADING in README, f"README.md has no {HEADING!r} section"
    return README.split(HEADING, 1)[1].split("\n#", 1)[0]


def make_variable(name: str) -> str:
    return re.search(rf"^{name}\s*\?=\s*(\S+)", MAKEFILE, re.MULTILINE).group(1)


def steps() -> dict[str, list[str]]:
    """{"bash": [lines], "bat": [lines]}: the two variants' commands."""
    return {kind: body.strip().splitlines() for kind, body in BLOCK.findall(section())}


def test_the_section_follows_two_commands():
    headings = re.findall(r"^#{2,3} .*$", README, re.MULTILINE)
    index = next(i for i, heading in enumerate(headings) if heading.startswith(HEADING))
    assert headings[index - 1] == "## Two commands"


@pytest.mark.parametrize(
    ("kind", "python", "scripts"), [("bash", "python3", ".venv/bin/"), ("bat", "py", ".venv\\Scripts\\")]
)
def test_each_variant_makes_a_venv_installs_with_the_pins_and_opens_the_notebooks(kind, python, scripts):
    lines = steps().get(kind)
    assert lines and len(lines) == 3, f"the {kind} steps should be three commands: {lines}"
    assert lines[0] == f"{python} -m venv .venv"
    assert lines[1].startswith(f"{scripts}python -m pip install ")
    install = INSTALL.search(lines[1])
    assert install, lines[1]
    assert install.group("constraints") == make_variable("CONSTRAINTS")
    assert install.group("extras") == make_variable("LAB_EXTRAS")
    assert lines[2] == f"{scripts}jupyter lab notebooks/"


def test_the_steps_name_files_and_extras_that_exist():
    for line in steps()["bash"] + steps()["bat"]:
        install = INSTALL.search(line)
        if install:
            assert (ROOT / install.group("constraints")).is_file()
            extras = pyproject()["project"]["optional-dependencies"]
            assert all(extra in extras for extra in install.group("extras").split(","))
    assert (ROOT / "notebooks").is_dir()
    # The Makefile's lab target opens the same folder.
    assert re.search(r"^lab:.*\n\t\$\(BIN\)/jupyter lab .*notebooks/$", MAKEFILE, re.MULTILINE)


def test_root_users_are_told_to_add_allow_root():
    assert "--allow-root" in section()
    assert "`.venv/bin/jupyter lab --allow-root notebooks/`" in section()
