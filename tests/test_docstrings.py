"""Every public function, class and method of the helper passes numpydoc's own validator, and states array shapes.

Public means named in a module's ``__all__`` (walking the whole package), with the public methods
of those classes. Each is checked by ``numpydoc.validate.validate`` with the checks in ``CHECKS``;
the project's own rule comes on top: an array argument, result or attribute states its shape.
That every function has type hints is mypy's job (``make lint``, ``disallow_untyped_defs``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

import pytest
from numpydoc.docscrape import get_doc_object
from numpydoc.validate import ERROR_MSGS, validate

import embedpool_utils

# The numpydoc checks that hold here, and why these. Left out: ES01 (an extended summary), EX01
# (examples: doctests stand where they teach something), SA01-SA04 (See Also), PR07 and RT03 (a
# description under every entry: "ids : array_like of int, shape (batch, seq_len)" often says all),
# SS02/SS05/PR05/PR08/PR09/RT04/RT05 (capitals, full stops and the verb of a summary, which is often
# a noun phrase here: "The ids of some words"), and YD01 (the only generators are context managers,
# which yield nothing worth a Yields section).
CHECKS = {
    "GL01": "the summary starts right after the opening quotes or on the next line",
    "GL02": "closing quotes on their own line, right after the text",
    "GL03": "no double blank lines",
    "GL05": "no tabs",
    "GL06": "only numpydoc's sections",
    "GL07": "sections in numpydoc's order",
    "GL08": "a docstring",
    "GL10": "reST directives with two colons",
    "SS01": "a one-line summary first",
    "SS03": "the summary ends with a full stop",
    "SS06": "the summary fits on one line (it states the job)",
    "PR01": "every parameter documented",
    "PR02": "no parameter documented that the signature does not have",
    "PR03": "parameters documented in the signature's order",
    "PR04": "every parameter has a type",
    "PR06": "types spelled as Python does (int, bool, str)",
    "PR10": "a space before the colon of `name : type`",
    "RT01": "a Returns section when something is returned",
    "RT02": "the first line of a single result is its type",
}
# A class documents its constructor's arguments (a dataclass: its fields) under Attributes, which
# PR01 does not read; PR02 and PR03 still hold for a class with a Parameters section.
NOT_FOR_CLASSES = {"PR01"}

ARRAY_TYPE = re.compile(r"ArrayLike|NDArray|ndarray|array_like|\barray\b")
# "shape (batch, seq_len)", "length seq_len", "same shape as x", or a shape written out: "(R, heads)", "(n,)".
STATES_SHAPE = re.compile(r"\bshape\b|\blength\b|\bsame\b|\(\s*[\w.+*/ -]+,[\w.+*/, -]*\)")


def public_objects() -> Iterator[tuple[str, object]]:
    """(name, object) for every function and class named in an ``__all__``, and the public methods of those classes.

    An object re-exported by a subpackage is checked once, under the module that defines it.
    """
    modules = ["embedpool_utils"] + sorted(
        m.name
        for m in pkgutil.walk_packages(embedpool_utils.__path__, "embedpool_utils.")
        if not m.name.endswith("__main__")
    )
    seen = set()
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)  # None: a submodule not imported yet, walked on its own
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or id(obj) in seen:
                continue
            if not obj.__module__.startswith("embedpool_utils"):
                continue
            seen.add(id(obj))
            yield f"{obj.__module__}.{obj.__qualname__}", obj
            if inspect.isclass(obj):
                for attribute, value in vars(obj).items():
                    method = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
                    if not attribute.startswith("_") and (inspect.isfunction(method) or isinstance(method, property)):
                        yield f"{obj.__module__}.{obj.__qualname__}.{attribute}", getattr(obj, attribute)


def numpydoc_problems(obj: object) -> list[str]:
    """What numpydoc's validator finds, limited to ``CHECKS``: ``"PR01 Parameters {'x'} not documented"``."""
    checks = set(CHECKS) - NOT_FOR_CLASSES if inspect.isclass(obj) else set(CHECKS)
    return [f"{code} {message}" for code, message in validate(get_doc_object(obj))["errors"] if code in checks]


def annotation_of(obj: object, name: str) -> str:
    """The type hint of parameter (or ``"return"``) ``name`` as written (postponed annotations are strings)."""
    function = obj.fget if isinstance(obj, property) else obj
    hinted = getattr(function, "__annotations__", {})
    value = hinted.get(name, "")
    return value if isinstance(value, str) else getattr(value, "__name__", repr(value))


def shape_problems(obj: object) -> list[str]:
    """Array arguments, results and attributes whose docstring entry does not state a shape."""
    doc = get_doc_object(obj)
    problems = []
    for section in ("Parameters", "Returns", "Yields", "Attributes"):
        for entry in doc[section]:
            text = " ".join([entry.name, entry.type, *entry.desc])
            names = [n.strip().lstrip("*") for n in entry.name.split(",")]
            hinted = section == "Parameters" and any(ARRAY_TYPE.search(annotation_of(obj, n)) for n in names)
            is_array = ARRAY_TYPE.search(entry.type) or (section != "Parameters" and ARRAY_TYPE.search(entry.name))
            if (hinted or is_array) and not STATES_SHAPE.search(text):
                problems.append(f"{section}: {entry.name or entry.type} does not state its shape")
    if not doc["Returns"] and ARRAY_TYPE.search(annotation_of(obj, "return")):
        problems.append("Returns: an array is returned, but not described with its shape")
    return problems


PUBLIC = dict(public_objects())


def test_the_walk_finds_the_public_surface():
    """Guards against a walk that silently finds nothing: functions, classes and methods of every layer."""
    assert {
        "embedpool_utils.core.global_average_pool_1d",
        "embedpool_utils.plotting.display.show",
        "embedpool_utils.inspector.report.ModelReport",
        "embedpool_utils.inspector.report.ModelReport.layer",
        "embedpool_utils.exercises.engine.check",
    } <= set(PUBLIC)
    assert len(PUBLIC) > 100


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_numpydoc_validates_the_docstring(name):
    assert numpydoc_problems(PUBLIC[name]) == []


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_arrays_state_their_shapes(name):
    assert shape_problems(PUBLIC[name]) == []


def test_every_chosen_check_is_numpydocs():
    assert set(CHECKS) <= set(ERROR_MSGS)


# --- the checks themselves can fail --------------------------------------------------------------------------------


def _documented(ids: ArrayLike, vocab_size: int) -> NDArray:  # noqa: F821 - postponed annotations, never evaluated
    """Look ids up.

    Parameters
    ----------
    ids : array_like of int, shape (batch, seq_len)
        The ids.
    vocab_size : int
        How many rows the table has.

    Returns
    -------
    ndarray, shape (batch, seq_len, dim)
        One row per id.
    """


def _no_sections(ids: ArrayLike, vocab_size: int) -> NDArray:  # noqa: F821
    """Look ids up."""
    return ids


def _no_shapes(ids: ArrayLike, vocab_size: int) -> NDArray:  # noqa: F821
    """Look ids up.

    Parameters
    ----------
    ids : array_like of int
        The ids.
    vocab : int
        How many rows.

    Returns
    -------
    ndarray
        The rows.
    """
    return ids


def _wrapped(x: int) -> None:
    """Look ids up, in a summary
    that runs on over two lines
    """


class _Record:
    """A record of results.

    Attributes
    ----------
    values : ndarray
        The values.
    """


def test_the_checks_find_what_a_docstring_lacks():
    assert numpydoc_problems(_documented) == [] and shape_problems(_documented) == []
    assert [problem[:4] for problem in numpydoc_problems(_no_sections)] == ["PR01", "RT01"]
    assert shape_problems(_no_sections) == ["Returns: an array is returned, but not described with its shape"]
    assert [problem[:4] for problem in numpydoc_problems(_no_shapes)] == ["PR01", "PR02"]
    assert shape_problems(_no_shapes) == [
        "Parameters: ids does not state its shape",
        "Returns: ndarray does not state its shape",
    ]
    assert [problem[:4] for problem in numpydoc_problems(_wrapped)] == ["SS03", "SS06", "PR01"]
    assert shape_problems(_Record) == ["Attributes: values does not state its shape"]
