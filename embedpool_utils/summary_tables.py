"""Plain-text helpers for the notebooks: show two model summaries side by side.

Comparing two ``model.summary()`` tables is easier when they stand next to each
other. These functions only call the ``summary`` method of the objects they are
given; Keras itself is never imported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from itertools import zip_longest
from typing import Any

from embedpool_utils.plain_text import aligned_columns

__all__ = ["side_by_side", "summary_text"]


def summary_text(model: Any, *, line_length: int = 50) -> str:
    """What ``model.summary(line_length=...)`` prints, as plain text (no colours).

    Parameters
    ----------
    model : keras.Model
        Anything whose ``summary`` accepts ``line_length`` and ``print_fn``.
    line_length : int
        Width of the table in characters.

    Returns
    -------
    str
        The summary, one line per table row.
    """
    lines: list[str] = []
    with _no_rich_display():
        model.summary(line_length=line_length, print_fn=lambda text, **_: lines.extend(str(text).splitlines()))
    return "\n".join(lines)


def _no_rich_display() -> AbstractContextManager[Any]:
    """Swallow the empty display that rich's console still sends in a notebook while it captures."""
    try:
        from IPython.utils.capture import capture_output
    except ImportError:  # plain Python: rich writes nothing besides what it captures
        from contextlib import nullcontext

        return nullcontext()
    return capture_output(stdout=False, stderr=False, display=True)


def side_by_side(blocks: Sequence[str], *, gap: int = 2) -> str:
    """Lay several blocks of text out in columns, top-aligned.

    Parameters
    ----------
    blocks : sequence of str
        Multi-line texts, e.g. from :func:`summary_text`.
    gap : int
        Spaces between columns.

    Returns
    -------
    str
        One line per line of the longest block; each column padded to the
        width of its widest line.

    Examples
    --------
    >>> print(side_by_side(["a\\nbb", "ccc"]))
    a   ccc
    bb
    """
    return aligned_columns(list(zip_longest(*(block.splitlines() for block in blocks), fillvalue="")), gap=gap)
