"""Command line: ``python -m embedpool_utils inspect MODEL.keras [--ids IDS.npy|IDS.npz]`` prints a model's report.

The report is :func:`~embedpool_utils.inspector.walk.inspect_model`'s, as plain
text. Exit status:

* 0: no finding of severity ``error`` (warnings may be printed), and every
  part of the model was checked;
* 1: at least one ``error`` finding;
* 2: the input could not be read or inspected (missing file, not a Keras
  model file, a class the model needs that is not registered, a model saved
  before it was built or a subclassed one, ids that do not fit the model's
  inputs); one line on stderr, no traceback;
* 3: no error, but part of the model could not be checked (the report's
  notices say which part).

Loading a model runs no code stored in the file: Keras' safe mode stays on
unless ``--unsafe-deserialization`` is given. ``--custom-objects`` imports a
Python file or module of yours, so that the layers it registers with
``@keras.saving.register_keras_serializable()`` can be loaded.

Keras runs on JAX on the CPU unless ``KERAS_BACKEND`` / ``JAX_PLATFORMS`` say otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import re
import sys
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from embedpool_utils.optional_keras import import_keras

__all__ = ["main"]

# How Keras says that a saved model names a class or function this Python does not know.
MISSING = re.compile(r"Could not locate (class|function) '([^']+)'")
UNSAFE_HELP = (
    "turn Keras' safe mode off while loading: Keras then also loads Python code stored in the model file "
    "(the bytecode of lambdas, as in a Lambda layer, and other objects whose loading can run code) and runs it. "
    "Only for files you trust; without this flag such a file is refused."
)


class UnreadableInput(Exception):
    """The model file or the ids file cannot be used; the message says why, in one line."""


def import_custom_objects(source: str) -> None:
    """Import a Python file (``layers.py``) or module (``mypackage.layers``), so that its classes register."""
    from embedpool_utils.error_lines import error_line

    path = Path(source)
    try:
        if path.suffix == ".py" or path.is_file():
            if not path.is_file():
                raise UnreadableInput(f"--custom-objects: no such file: {source}")
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
            sys.modules[path.stem] = module
            sys.path.insert(0, str(path.resolve().parent))  # so that the file can import its neighbours
            spec.loader.exec_module(module)  # type: ignore[union-attr]
        else:
            importlib.import_module(source)
    except UnreadableInput:
        raise
    except Exception as error:  # whatever the user's file raises, say it in one line
        raise UnreadableInput(f"--custom-objects {source} could not be imported ({error_line(error)})") from None


def causes(error: BaseException) -> list[BaseException]:
    """The exception and every exception that caused it (Keras wraps the one that names the class)."""
    chain = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return chain


def load_error(path: str, error: BaseException) -> UnreadableInput:
    """One line for a model file Keras could not load: the missing class, the refused code, or Keras' first line."""
    from embedpool_utils.error_lines import error_line

    for cause in causes(error):
        missing = MISSING.search(str(cause))
        if missing:
            kind, name = missing.groups()
            return UnreadableInput(
                f"{path} needs the {kind} '{name}', which is not registered in this Python: give "
                "--custom-objects FILE.py (or a module name), whose import defines it with "
                "@keras.saving.register_keras_serializable()"
            )
        if "safe_mode=False" in str(cause):
            return UnreadableInput(
                f"{path} holds Python code (a lambda, as in a Lambda layer) that Keras' safe mode does not load: "
                "if you trust the file, add --unsafe-deserialization"
            )
    return UnreadableInput(f"{path} is not a Keras model file that can be loaded ({error_line(error)})")


def load_model(path: str, *, custom_objects: Sequence[str] = (), unsafe: bool = False) -> Any:
    """The Keras model saved at ``path``; UnreadableInput if there is none."""
    if not Path(path).is_file():
        raise UnreadableInput(f"no such file: {path}")
    if not zipfile.is_zipfile(path):
        raise UnreadableInput(
            f"{path} is not a Keras model file (model.save('NAME.keras') writes a zip archive; this is none)"
        )
    try:
        keras = import_keras("Reading a model")  # optional for the helper; the notebooks' extra installs it
    except ImportError as error:
        raise UnreadableInput(str(error)) from None

    for source in custom_objects:
        import_custom_objects(source)
    try:
        with warnings.catch_warnings():  # Keras re-builds the model and may warn, e.g. about a mask it drops
            warnings.simplefilter("ignore")
            model = keras.saving.load_model(path, compile=False, safe_mode=not unsafe)
    except Exception as error:  # whatever Keras or zipfile raise, the point is the same
        raise load_error(path, error) from None
    if not isinstance(model, keras.Model):
        raise UnreadableInput(f"{path} holds a {type(model).__name__}, not a Keras model")
    return model


def load_ids(path: str, model: Any) -> Any:
    """The ids saved at ``path``: one array (``numpy.save``) or one per input name (``numpy.savez``), checked."""
    import numpy as np

    from embedpool_utils.inspector.keras_graph import graph_of
    from embedpool_utils.inspector.sample_ids import ids_for_inputs

    if not Path(path).is_file():
        raise UnreadableInput(f"no such file: {path}")
    try:
        loaded = np.load(path, allow_pickle=False)
    except Exception as error:
        raise UnreadableInput(
            f"{path} is not a .npy or .npz file of token ids ({type(error).__name__}: {error})"
        ) from None
    graph = graph_of(model)
    names = [t.name for t in graph.inputs] if graph is not None else []
    if isinstance(loaded, np.lib.npyio.NpzFile):
        members = loaded.zip.namelist() if loaded.zip is not None else []
        if not all(name.endswith(".npy") for name in members):  # e.g. a .keras file given by mistake
            raise UnreadableInput(f"{path} is a zip archive, but not one of arrays saved with numpy.savez")
        ids = {key: loaded[key] for key in loaded.files}
    else:
        ids = loaded
        if len(names) > 1:
            keywords = ", ".join(f"{name}=..." for name in names)
            raise UnreadableInput(
                f"{path} holds one array, but the model has {len(names)} inputs {names}: save one array per input "
                f"with numpy.savez('IDS.npz', {keywords}) and give that file"
            )
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
        0, 1, 2 or 3, as described in the module docstring.
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
        "the problems found, and what could not be checked. Exit status: 0 no error, 1 an error finding, "
        "2 unreadable input, 3 no error but part of the model not checked.",
        formatter_class=help_formatter,
    )
    inspect.add_argument("model", help="a model saved with model.save('NAME.keras')")
    inspect.add_argument(
        "--ids",
        help="a sample batch of integer token ids: numpy.save('IDS.npy', ids), or for a model with several "
        "inputs numpy.savez('IDS.npz', NAME=ids, ...) with one array per input name",
    )
    inspect.add_argument(
        "--custom-objects",
        action="append",
        default=[],
        metavar="PATH",
        help="a Python file or module to import first, whose import registers the model's own layers with "
        "@keras.saving.register_keras_serializable() (runs that file; may be given several times)",
    )
    inspect.add_argument("--unsafe-deserialization", action="store_true", help=UNSAFE_HELP)
    args = parser.parse_args(argv)  # a usage error exits with status 2 and a usage line

    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    try:
        model = load_model(args.model, custom_objects=args.custom_objects, unsafe=args.unsafe_deserialization)
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
    if report.errors:
        return 1
    return 3 if report.notices else 0
