"""What an embedding lookup does with an id outside ``0 … vocab_size - 1``, Keras backend by Keras backend.

Keras 3's ``Embedding`` hands its ids to ``keras.ops.take``, and each backend
implements ``take`` with its own library. So an id one past the last row, or
``-1``, meets different rules on different backends. This module asks and
answers in words, for notebook 06:

* :func:`id_outcomes` runs any lookup function on a table whose rows are easy
  to tell apart (row ``i`` holds ``i * dim … i * dim + dim - 1``) and says what
  came back for the id ``vocab_size`` and for ``-1``;
* :func:`keras_id_outcomes` does it for Keras' ``Embedding`` layer, in this
  process (whatever backend Keras was imported with) or in a fresh Python on
  another backend: Keras fixes its backend when it is first imported.
  :func:`observe_keras` asks this process and fresh Pythons at once;
* :func:`keras_numpy_outcomes` answers for Keras on the numpy backend
  without starting a fresh Python: it runs the numpy call that backend's
  ``take`` makes, in this process. The tests check, in a fresh Python on the
  numpy backend, that the layer makes that call and gets the same outcomes;
* :data:`DOCUMENTED` holds what the backends that cannot run here do, with
  their sources, and :func:`outcome_table` lays observed and documented rows
  out as one aligned table.

Keras is imported on first use, by :func:`keras_id_outcomes` and by
:func:`observe_keras` (which asks this process's Keras as well as fresh
Pythons); :func:`id_outcomes`, :func:`keras_numpy_outcomes` and
:func:`outcome_table` never import it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.plain_text import aligned_columns
from embedpool_utils.validation import positive_int

__all__ = [
    "DOCUMENTED",
    "KERAS_BACKENDS",
    "IdOutcomes",
    "id_outcomes",
    "keras_id_outcomes",
    "keras_numpy_outcomes",
    "observe_keras",
    "outcome_table",
]

# The backends Keras 3 accepts in KERAS_BACKEND.
KERAS_BACKENDS = ("jax", "numpy", "openvino", "tensorflow", "torch")

# The folder that holds the package, put on the fresh Python's path so that it
# runs this very code even when the package is not installed.
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class IdOutcomes:
    """What a lookup gave for an id one past the last row and for ``-1``, and how that is known.

    Attributes
    ----------
    too_large : str
        For the id ``vocab_size``, e.g. ``"row of NaN"`` or ``"raises IndexError"``.
    negative : str
        For the id ``-1``, e.g. ``"row 29 (the last)"``.
    how_known : str
        ``"run here"``, or where the documented behaviour is stated.
    """

    too_large: str
    negative: str
    how_known: str = "run here"


# Backends that need TensorFlow or PyTorch, which are not installed here. Keras'
# take wraps negative ids first on both (keras/src/backend/tensorflow/numpy.py and
# keras/src/backend/torch/numpy.py, function take), then calls tf.gather, whose
# reference says an out-of-range index is an error on the CPU and gives 0 on a GPU,
# or torch.nn.functional.embedding, which raises IndexError on the CPU and fails a
# device-side assertion on a GPU (pytorch/pytorch issue 19120).
DOCUMENTED = {
    "Keras on tensorflow": IdOutcomes("CPU: raises; GPU: zeros", "the last row", "documented (tf.gather)"),
    "Keras on torch": IdOutcomes("CPU: raises; GPU: assert", "the last row", "documented (PyTorch #19120)"),
}


def _probe_table(vocab_size: int, embedding_dim: int) -> np.ndarray:
    """Row ``i`` holds ``i * embedding_dim … i * embedding_dim + embedding_dim - 1``: every row is unique."""
    return np.arange(vocab_size * embedding_dim, dtype="float32").reshape(vocab_size, embedding_dim)


def _describe(returned: np.ndarray, table: np.ndarray) -> str:
    """What came back for one id, in words: which table row it is, or what else it holds."""
    if returned.size != table.shape[1]:
        return f"an array of shape {returned.shape}"
    row = returned.reshape(-1)
    if np.isnan(row).all():
        return "row of NaN"
    same = [i for i in range(table.shape[0]) if np.array_equal(row, table[i])]
    if same:
        return f"row {same[0]}" + (" (the last)" if same[0] == table.shape[0] - 1 else "")
    return "row of zeros" if not row.any() else "other numbers"


def id_outcomes(
    lookup: Callable[[np.ndarray, np.ndarray], ArrayLike], *, vocab_size: int = 30, embedding_dim: int = 7
) -> IdOutcomes:
    """What ``lookup(table, ids)`` returns, or raises, for the id ``vocab_size`` and for ``-1``.

    Parameters
    ----------
    lookup : callable
        ``lookup(table, ids)`` with ``table`` of shape (vocab_size, embedding_dim)
        and ``ids`` of shape (1, 1); returns shape (1, 1, embedding_dim), e.g.
        :func:`embedpool_utils.embedding_lookup`.
    vocab_size, embedding_dim : int
        Size of the probe table.

    Returns
    -------
    IdOutcomes
        Each outcome in words: ``"row k"`` (``" (the last)"`` added for the
        last row), ``"row of NaN"``, ``"row of zeros"``, ``"other numbers"``,
        or ``"raises <ErrorType>"``; ``how_known`` is ``"run here"``.

    Examples
    --------
    >>> from embedpool_utils import embedding_lookup
    >>> id_outcomes(embedding_lookup)
    IdOutcomes(too_large='raises IndexError', negative='raises IndexError', how_known='run here')
    >>> id_outcomes(lambda table, ids: np.take(table, ids, axis=0))
    IdOutcomes(too_large='raises IndexError', negative='row 29 (the last)', how_known='run here')
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
    table = _probe_table(vocab_size, embedding_dim)
    said = []
    for token_id in (vocab_size, -1):
        try:
            rows = np.asarray(lookup(table.copy(), np.array([[token_id]])), dtype="float32")
        except Exception as error:  # what it raises is the answer
            said.append(f"raises {type(error).__name__}")
            continue
        said.append(_describe(rows, table))
    return IdOutcomes(*said)


def _keras() -> Any:
    """Keras, imported on first use: the helper does not need it (the notebooks' extra installs it)."""
    try:
        import keras
    except ImportError as error:  # Keras itself, or the library of the backend KERAS_BACKEND names
        raise ImportError(
            f"asking Keras needs Keras 3 and its backend's library, and importing it failed: {error}. "
            "pip install 'embedpool-utils[notebooks]' installs Keras on JAX."
        ) from None
    return keras


def _keras_lookup(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Keras' own ``Embedding`` layer, holding ``table``, applied to ``ids``."""
    keras = _keras()
    # the table as the layer's initializer: a random one would be compiled (on JAX) only to be overwritten
    layer = keras.layers.Embedding(
        *table.shape, embeddings_initializer=keras.initializers.Constant(table), name="probe"
    )
    return keras.ops.convert_to_numpy(layer(ids))


# What the fresh Python runs: this module's own probe, on the backend KERAS_BACKEND names.
_FRESH_CODE = """\
import json, sys
from dataclasses import asdict
from embedpool_utils.bad_id_outcomes import keras_id_outcomes
found = keras_id_outcomes(vocab_size=int(sys.argv[1]), embedding_dim=int(sys.argv[2]))
print(json.dumps(asdict(found)))
"""


def _start_fresh(backend: str, vocab_size: int, embedding_dim: int) -> subprocess.Popen:
    """Start the probe in a new Python whose Keras uses ``backend``; it runs while this process goes on."""
    if backend not in KERAS_BACKENDS:
        raise ValueError(
            f"backend must be one of {', '.join(KERAS_BACKENDS)} (or None for this process); got {backend!r}."
        )
    path = os.pathsep.join(p for p in (str(_PACKAGE_PARENT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": path, "MPLBACKEND": "Agg"}
    env.setdefault("JAX_PLATFORMS", "cpu")  # Keras' numpy backend imports JAX too; keep it off any GPU
    return subprocess.Popen(
        [sys.executable, "-c", _FRESH_CODE, str(vocab_size), str(embedding_dim)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish_fresh(process: subprocess.Popen, backend: str) -> IdOutcomes:
    """Wait for a probe started by :func:`_start_fresh` and read its answer."""
    out, err = process.communicate(timeout=600)
    if process.returncode != 0:
        errors = [line for line in err.splitlines() if line.strip()]
        raise RuntimeError(
            f"Keras on the {backend} backend could not be asked in a fresh Python "
            f"(exit status {process.returncode}): {errors[-1] if errors else 'no error output'}"
        )
    found = json.loads(out.strip().splitlines()[-1])
    return IdOutcomes(found["too_large"], found["negative"], "run here, in a fresh Python")


def keras_id_outcomes(backend: str | None = None, *, vocab_size: int = 30, embedding_dim: int = 7) -> IdOutcomes:
    """What Keras' ``Embedding`` gives for the id ``vocab_size`` and for ``-1`` (see :func:`id_outcomes`).

    Parameters
    ----------
    backend : str, optional
        None: ask the Keras of this process, on whatever backend it was
        imported with. A name from :data:`KERAS_BACKENDS`: ask Keras on that
        backend in a fresh Python (``KERAS_BACKEND=<backend>``); this costs a
        few seconds, the time to import Keras once more.
    vocab_size, embedding_dim : int
        Size of the probe table.

    Returns
    -------
    IdOutcomes
        ``how_known`` says where it ran.

    Raises
    ------
    ValueError
        If ``backend`` is not one of :data:`KERAS_BACKENDS`.
    RuntimeError
        If the fresh Python fails (e.g. that backend's library is not
        installed); the message ends with its last line of error output.
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
    if backend is not None:
        return _finish_fresh(_start_fresh(backend, vocab_size, embedding_dim), backend)
    _keras()  # imported here, outside the probe, so that a missing Keras is an error, not an "outcome"
    return id_outcomes(_keras_lookup, vocab_size=vocab_size, embedding_dim=embedding_dim)


def keras_numpy_outcomes(*, vocab_size: int = 30, embedding_dim: int = 7) -> IdOutcomes:
    """What Keras' ``Embedding`` on the numpy backend gives for the id ``vocab_size`` and for ``-1``, without that backend.

    On every backend, ``Embedding.call`` turns the ids into integers and
    returns ``ops.take(embeddings, ids, axis=0)``, which runs the ``take`` of
    the backend in use. The numpy backend's ``take`` (in
    ``keras/src/backend/numpy/numpy.py``, the same in Keras 3.12 and 3.15)
    passes its arguments on to numpy's own ``np.take``. This function runs
    that call, ``np.take(table, ids, axis=0)``, in this process, whatever
    backend its Keras uses: no Keras is imported, and none of the seconds a
    fresh Python spends importing Keras again. :func:`keras_id_outcomes` with
    ``backend="numpy"`` runs the whole layer there instead; the helper's tests
    check, in such a fresh Python, that the layer reaches ``np.take`` this way
    and that both give the same outcomes.

    Parameters
    ----------
    vocab_size, embedding_dim : int
        Size of the probe table.

    Returns
    -------
    IdOutcomes
        ``how_known`` is ``"run here: np.take, which its take calls"``.

    Examples
    --------
    >>> keras_numpy_outcomes()
    IdOutcomes(too_large='raises IndexError', negative='row 29 (the last)', how_known='run here: np.take, which its take calls')
    """
    found = id_outcomes(
        lambda table, ids: np.take(table, ids, axis=0), vocab_size=vocab_size, embedding_dim=embedding_dim
    )
    return IdOutcomes(found.too_large, found.negative, "run here: np.take, which its take calls")


def observe_keras(
    fresh: Sequence[str] = ("numpy",), *, vocab_size: int = 30, embedding_dim: int = 7
) -> dict[str, IdOutcomes]:
    """Ask Keras in this process and, at the same time, Keras on each backend in ``fresh``.

    The fresh Pythons start first and import Keras while this process asks
    its own Keras, so the two waits overlap.

    Parameters
    ----------
    fresh : sequence of str
        Backends (from :data:`KERAS_BACKENDS`) to ask, each in a new Python.
    vocab_size, embedding_dim : int
        Size of the probe table.

    Returns
    -------
    dict of str -> IdOutcomes
        ``"Keras on <backend>"`` -> outcomes: this process's backend first,
        then those of ``fresh`` in their order.

    Raises
    ------
    ValueError, RuntimeError
        As :func:`keras_id_outcomes`.
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
    started: dict[str, subprocess.Popen] = {}
    try:
        for backend in fresh:
            started[backend] = _start_fresh(backend, vocab_size, embedding_dim)
        rows = {
            f"Keras on {_keras().backend.backend()}": keras_id_outcomes(
                vocab_size=vocab_size, embedding_dim=embedding_dim
            )
        }
        for backend, process in started.items():
            rows[f"Keras on {backend}"] = _finish_fresh(process, backend)
    finally:
        for process in started.values():
            if process.poll() is None:  # only after an error here: do not leave a Python running
                process.kill()
                process.communicate()
    return rows


def outcome_table(rows: Mapping[str, IdOutcomes], *, vocab_size: int = 30) -> str:
    """One aligned plain-text table: who, what the id ``vocab_size`` gives, what ``-1`` gives, how we know.

    Parameters
    ----------
    rows : mapping of str -> IdOutcomes
        Row label (e.g. ``"Keras on jax"``) -> its outcomes, in the order to show.
    vocab_size : int
        Only for the column heading ``id <vocab_size>``.

    Returns
    -------
    str
        A header line and one line per row; every column as wide as its widest entry.

    Examples
    --------
    >>> print(outcome_table({"numpy": IdOutcomes("raises IndexError", "row 29 (the last)")}))
    who    id 30              id -1              how we know
    numpy  raises IndexError  row 29 (the last)  run here
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    for who, outcome in rows.items():
        if not isinstance(outcome, IdOutcomes):
            raise TypeError(f"each row must be an IdOutcomes; the row {who!r} is a {type(outcome).__name__}.")
    lines = [("who", f"id {vocab_size}", "id -1", "how we know")]
    lines += [(who, o.too_large, o.negative, o.how_known) for who, o in rows.items()]
    return aligned_columns(lines)
