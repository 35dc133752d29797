"""Show an error a notebook means to demonstrate as one line, ``ErrorType: message``.

A cell that lets an exception escape stores a traceback that runs through
library internals and names files on the machine that ran it. When the lesson
is the message, not the traceback, wrap the call in :func:`expect_error`: the
error is caught and printed as one line, and the cell goes on. If the block
does *not* fail, that is a change of behaviour the reader must not miss, so
:func:`expect_error` then raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ExpectedErrorMissing", "error_line", "expect_error"]


# Keras wraps an error raised inside a layer's call in a header line, the real message after it.
KERAS_CALL_HEADER = re.compile(r"^Exception encountered when calling (\S+)\.$")
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")


class ExpectedErrorMissing(AssertionError):
    """The block inside :func:`expect_error` finished without the error it was meant to show."""


def error_line(error: BaseException, *, first_line_only: bool = True) -> str:
    """``"ErrorType: message"`` for an exception, on one line.

    Parameters
    ----------
    error : BaseException
        The caught exception.
    first_line_only : bool
        Keep only the first non-empty line of the message. Keras often adds
        paragraphs (the arguments the layer received, tensor reprs) whose
        wording changes between versions; the first line carries the point.
        When Keras wraps an error raised inside a layer's ``call`` ("Exception
        encountered when calling X.call()."), the line kept is the wrapped
        error's own, followed by where it was raised.

    Returns
    -------
    str
        For example ``"ValueError: Cannot convert '10' to a shape."``.

    Examples
    --------
    >>> error_line(KeyError("no such exercise"))
    "KeyError: 'no such exercise'"
    >>> error_line(ValueError("first line\\n\\ndetails that change between versions"))
    'ValueError: first line'
    >>> error_line(ValueError("Exception encountered when calling Pool.call().\\n\\nShapes differ\\n\\nArguments: ..."))
    'ValueError: Shapes differ (raised in Pool.call())'
    """
    message = ANSI_CODE.sub("", str(error))
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    header = KERAS_CALL_HEADER.match(lines[0]) if lines else None
    if first_line_only and header and len(lines) > 1:
        message = f"{lines[1]} (raised in {header.group(1)})"
    elif first_line_only and lines:
        message = lines[0]
    else:
        message = " ".join(lines)
    name = type(error).__name__
    return f"{name}: {message}" if message else name


@contextmanager
def expect_error(*kinds: type[BaseException], first_line_only: bool = True) -> Iterator[None]:
    """Run a block that is meant to fail and print its error as one line.

    Parameters
    ----------
    *kinds : exception classes
        The errors the block may raise (default: any ``Exception``). Any other
        error propagates unchanged.
    first_line_only : bool
        See :func:`error_line`.

    Raises
    ------
    ExpectedErrorMissing
        If the block finishes without raising.

    Examples
    --------
    >>> with expect_error(IndexError):
    ...     [1, 2, 3][5]
    IndexError: list index out of range
    """
    expected = kinds or (Exception,)
    try:
        yield
    except expected as error:
        print(error_line(error, first_line_only=first_line_only))
    else:
        names = " or ".join(kind.__name__ for kind in expected)
        raise ExpectedErrorMissing(f"the block was expected to raise {names}, but it finished without an error")
