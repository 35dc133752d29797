"""Command line: ``python -m embedpool_utils inspect MODEL.keras [--ids IDS.npy]`` prints a model's report.

The report is :func:`~embedpool_utils.inspector.walk.inspect_model`'s, as plain
text. Exit status:

* 0: no finding of severity ``error`` (warnings may be printed);
* 1: at least one ``error`` finding;
* 2: the input could not be read or inspected (missing file, not a Keras
  model file, a model saved before it was built or a subclassed one, ids that
  are not a ``.npy`` file of integer token ids of the model's input shape);
  one line on stderr, no traceback.

Keras runs on JAX on the CPU unless ``KERAS_BACKEND`` / ``JAX_PLATFORMS`` say otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]


class UnreadableInput(Exception):
    """The model file or the ids file cannot be used; the message says why, in one line."""


def load_model(path: str) -> Any:
    """The Keras model saved at ``path``; UnreadableInput if there is none."""
    if not Path(path).is_file():
        raise UnreadableInput(f"no such file: {path}")
    if not zipfile.is_zipfile(path):
        raise UnreadableInput(
            f"{path} is not a Keras model file (model.save('NAME.keras') writes a zip archive; this is none)"
        )
    try:
        import keras  # optional for the helper; the notebooks' extra installs it
    except ImportError:
        raise UnreadableInput("reading a model needs Keras 3: pip install 'embedpool-utils[notebooks]'") from None

    from embedpool_utils.error_lines import error_line

    try:
        with warnings.catch_warnings():  # Keras re-builds the model and may warn, e.g. about a mask it drops
            warnings.simplefilter("ignore")
            model = keras.saving.load_model(path, compile=False)
    except Exception as error:  # whatever Keras or zipfile raise, the point is the same
        raise UnreadableInput(f"{path} is not a Keras model file that can be loaded ({error_line(error)})") from None
    if not isinstance(model, keras.Model):
        raise UnreadableInput(f"{path} holds a {type(model).__name__}, not a Keras model")
    return model


def load_ids(path: str, model: Any) -> Any:
    """The ids saved at ``path`` (``numpy.save``), checked against the model's input."""
    import numpy as np

    from embedpool_utils.inspector.walk import graph_of, ids_for_inputs

    if not Path(path).is_file():
        raise UnreadableInput(f"no such file: {path}")
    try:
        ids = np.load(path, allow_pickle=False)
    except Exception as error:
        raise UnreadableInput(f"{path} is not a .npy file of token ids ({type(error).__name__}: {error})") from None
    if not isinstance(ids, np.ndarray):  # a zip archive: an .npz, or a .keras file given by mistake
        raise UnreadableInput(f"{path} is a zip archive, not one array of token ids saved with numpy.save")
    graph = graph_of(model)
    if graph is not None:
        try:
            ids_for_inputs(graph, ids)
        except (TypeError, ValueError) as error:
            raise UnreadableInput(f"{path}: {error}") from None
    return ids


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """The help wrapped at 80 columns whatever the terminal's width, so it reads the same everywhere.

    Parameters
    ----------
    prog : str
        The program name argparse shows in the usage line.

    Returns
    -------
    argparse.HelpFormatter
    """
    return argparse.HelpFormatter(prog, width=80)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``python -m embedpool_utils`` (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0, 1 or 2, as described in the module docstring.
    """
    parser = argparse.ArgumentParser(
        prog="python -m embedpool_utils",
        description="Tools of the embedpool series.",
        formatter_class=help_formatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    inspect = commands.add_parser(
        "inspect",
        help="name every axis of a saved Keras model and flag the pooling pitfalls",
        description="Print a saved Keras model's layers with their output shapes, axis names and masks, "
        "and the problems found. Exit status: 0 no error, 1 an error finding, 2 unreadable input.",
        formatter_class=help_formatter,
    )
    inspect.add_argument("model", help="a model saved with model.save('NAME.keras')")
    inspect.add_argument("--ids", help="a sample batch of integer token ids saved with numpy.save('IDS.npy', ids)")
    args = parser.parse_args(argv)  # a usage error exits with status 2 and a usage line

    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    try:
        model = load_model(args.model)
        ids = None if args.ids is None else load_ids(args.ids, model)
    except UnreadableInput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    from embedpool_utils.inspector.walk import inspect_model

    try:
        report = inspect_model(model, ids)
    except (TypeError, ValueError) as error:  # unbuilt, subclassed, or ids that do not fit: the input's fault
        print(f"error: {args.model}: {error}", file=sys.stderr)
        return 2
    if hasattr(sys.stdout, "reconfigure"):  # a terminal that cannot show "…" or "×" gets escapes, not a crash
        sys.stdout.reconfigure(errors="backslashreplace")
    print(report)
    return 1 if report.errors else 0
