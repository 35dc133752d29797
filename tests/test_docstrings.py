"""Every public function of the helper has type hints and a numpydoc docstring that states what goes in and out.

Public means named in its module's ``__all__``. The docstring's first line states the job;
a function that takes arguments has a ``Parameters`` section naming each of them, and one
that returns something has a ``Returns`` (or ``Yields``) section. Array arguments and
results state their shapes: an entry for an argument typed ``ArrayLike`` or ``NDArray``
says "shape" (or names the shape it keeps). The sections are found with a regex, as
numpydoc writes them (a title underlined with dashes), so no documentation tool is needed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import embedpool_utils

MODULES = ["embedpool_utils"] + sorted(
    m.name
    for m in pkgutil.walk_packages(embedpool_utils.__path__, "embedpool_utils.")
    if not m.name.endswith("__main__")
)

SECTION = r"^{title}\n-+\n(?P<body>.*?)(?=^\S[^\n]*\n-+\n|\Z)"
ARRAY_TYPES = re.compile(r"ArrayLike|NDArray|ndarray")
# A result that is no value: a context manager yields None, a decorator's wrapper is documented as the function.
NO_VALUE = {None, type(None), "None", inspect.Signature.empty, "Iterator[None]", "Generator[None, None, None]"}


def section(doc: str, *titles: str) -> str | None:
    """The body of the first of ``titles`` found in a numpydoc docstring, or None."""
    for title in titles:
        found = re.search(SECTION.format(title=title), doc, re.M | re.S)
        if found:
            return found.group("body")
    return None


def documented_names(body: str) -> dict[str, str]:
    """Each name an entry of a Parameters section documents (``a, b : type``), with the entry's text."""
    entries = {}
    heads = list(re.finditer(r"^(\S[^\n]*?)(?: : (.*))?$", body, re.M))
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(body)
        for name in head.group(1).split(","):
            entries[name.strip().lstrip("*")] = body[head.start() : end]
    return entries


def annotation_text(annotation: object) -> str:
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))


def docstring_problems(function) -> list[str]:
    """What the docstring and the type hints of one function lack (empty when nothing does)."""
    doc = inspect.getdoc(function) or ""
    problems = []
    if not doc.strip() or not doc.splitlines()[0].strip():
        return ["no docstring whose first line states the job"]
    signature = inspect.signature(function)
    parameters = [p for p in signature.parameters.values() if p.name not in ("self", "cls")]
    hinted = function.__annotations__  # as written: with postponed annotations, strings, never evaluated
    for p in parameters:
        if p.name not in hinted:
            problems.append(f"no type hint for {p.name}")
    if "return" not in hinted:
        problems.append("no return type hint")
    if parameters:
        body = section(doc, "Parameters")
        if body is None:
            problems.append("no Parameters section")
        else:
            entries = documented_names(body)
            for p in parameters:
                if p.name not in entries:
                    problems.append(f"Parameters does not name {p.name}")
                elif ARRAY_TYPES.search(annotation_text(hinted.get(p.name, ""))) and not re.search(
                    r"shape|length|\(.*\)|same|any", entries[p.name]
                ):
                    problems.append(f"Parameters does not give the shape of {p.name}")
    returned = hinted.get("return", inspect.Signature.empty)
    if (
        returned not in NO_VALUE
        and annotation_text(returned) not in NO_VALUE
        and section(doc, "Returns", "Yields") is None
    ):
        problems.append("no Returns section")
    return problems


def public_functions(module_name: str):
    module = importlib.import_module(module_name)
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if inspect.isfunction(obj) and obj.__module__ == module_name:
            yield name, obj


@pytest.mark.parametrize("module_name", MODULES)
def test_public_functions_have_type_hints_and_numpydoc_sections(module_name):
    lacking = {
        name: problems for name, function in public_functions(module_name) if (problems := docstring_problems(function))
    }
    assert lacking == {}


# --- the check itself can fail --------------------------------------------------------------------------------


def _documented(ids: ArrayLike, vocab_size: int) -> NDArray:  # noqa: F821 - postponed annotations, never evaluated
    """Look ids up.

    Parameters
    ----------
    ids : array_like of int, shape (batch, seq_len)
    vocab_size : int

    Returns
    -------
    ndarray, shape (batch, seq_len, dim)
    """


def _no_sections(ids: ArrayLike, vocab_size: int) -> NDArray:  # noqa: F821
    """Look ids up."""


def _no_shape_nor_hint(ids: ArrayLike, vocab_size) -> NDArray:  # noqa: F821
    """Look ids up.

    Parameters
    ----------
    ids : array_like of int
        The ids.

    Returns
    -------
    ndarray
    """


def _context() -> Iterator[None]:  # noqa: F821
    """A context manager: it takes nothing and gives nothing back."""


def test_the_check_finds_what_a_docstring_lacks():
    assert docstring_problems(_documented) == []
    assert docstring_problems(_context) == []
    assert docstring_problems(_no_sections) == ["no Parameters section", "no Returns section"]
    assert docstring_problems(_no_shape_nor_hint) == [
        "no type hint for vocab_size",
        "Parameters does not give the shape of ids",
        "Parameters does not name vocab_size",
    ]
