"""Plain-text wording shared by every part of the helper: counted nouns and aligned columns.

It sits below everything that words a message, a caption or a table (the
numeric core, the figures, the inspector's report), so that none of them
imports another only to borrow a word.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["aligned_columns", "plural", "plural_noun"]


def plural(n: int, noun: str) -> str:
    """A count and its noun, ``"1 row"`` or ``"3 rows"``.

    Parameters
    ----------
    n : int
        How many.
    noun : str
        The noun in the singular; the plural is :func:`plural_noun`'s.

    Returns
    -------
    str

    Examples
    --------
    >>> plural(1, "run"), plural(0, "run"), plural(25, "run"), plural(32, "batch")
    ('1 run', '0 runs', '25 runs', '32 batches')
    """
    return f"{n} {noun if n == 1 else plural_noun(noun)}"


def plural_noun(noun: str) -> str:
    """The plural of a regular English noun: ``es`` after s, x, z, ch and sh, else ``s``.

    Parameters
    ----------
    noun : str
        In the singular; of several words, the last one is made plural.

    Returns
    -------
    str

    Examples
    --------
    >>> plural_noun("weight array"), plural_noun("batch"), plural_noun("bias")
    ('weight arrays', 'batches', 'biases')
    """
    return noun + ("es" if noun.endswith(("s", "x", "z", "ch", "sh")) else "s")


def aligned_columns(rows: Sequence[Sequence[str]], *, gap: int = 2) -> str:
    """Rows of text cells as lines whose columns line up, each column as wide as its widest cell.

    Parameters
    ----------
    rows : sequence of sequences of str, shape (n_rows, n_columns)
        The cells, a header row first if there is one. A short row is padded
        with empty cells.
    gap : int
        Spaces between two columns.

    Returns
    -------
    str
        One line per row, trailing spaces removed.

    Examples
    --------
    >>> print(aligned_columns([("id", "row"), ("30", "NaN")]))
    id  row
    30  NaN
    """
    columns = max((len(row) for row in rows), default=0)
    cells = [list(row) + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(columns)]
    spacer = " " * gap
    return "\n".join(spacer.join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells)
