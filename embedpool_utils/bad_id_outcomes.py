"""What an embedding lookup does with an id outside ``0 … vocab_size - 1``, Keras backend by Keras backend.

Keras 3's ``Embedding`` hands its ids to ``keras.ops.take``, and each backend
implements ``take`` with its own library. So an id one past the last row, or
``-1``, meets different rules on different backends. This module asks and
answers in words, for notebook 06:

* :func:`id_outcomes` runs any lookup function on a table whose rows are easy
  to tell apart (row ``i`` holds ``i * dim … i * dim + dim - 1``) and says what
  came back for the id ``vocab_size`` and for ``-1``;
* :func:`keras_id_outcomes` does it for Keras' ``Embedding`` layer in this
  process, on whatever backend Keras was imported with;
* :func:`keras_numpy_outcomes` answers for Keras on the numpy backend
  without that backend: it runs the numpy call that backend's ``take``
  makes. The tests check, in a fresh Python on the numpy backend, that the
  layer makes that call and gets the same outcomes;
* :func:`recorded_outcomes` reads what the same probe gave on TensorFlow and
  PyTorch, on the CPU, when it was run there (the record of
  :mod:`embedpool_utils.recorded_backends`, with the versions);
* :data:`DOCUMENTED` holds what those backends do on a GPU, which cannot run
  here, with the sources, and :func:`outcome_table` lays all the rows out as
  one aligned table.

Only :func:`keras_id_outcomes` imports Keras; everything else needs numpy only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.optional_keras import import_keras
from embedpool_utils.plain_text import aligned_columns
from embedpool_utils.recorded_backends import recorded, versions_seen
from embedpool_utils.validation import positive_int

__all__ = [
    "DOCUMENTED",
    "IdOutcomes",
    "id_outcomes",
    "keras_id_outcomes",
    "keras_numpy_outcomes",
    "outcome_table",
    "recorded_outcomes",
]


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
        ``"run here"``, what it was run with, or where the documented behaviour is stated.
    """

    too_large: str
    negative: str
    how_known: str = "run here"


# What the two backends do on a GPU, which cannot be run here, for a 30-row table. Keras'
# take wraps negative ids first on both (keras/src/backend/tensorflow/numpy.py and
# keras/src/backend/torch/numpy.py, function take), then calls tf.gather, whose reference
# says an out-of-range index gives 0 on a GPU, or torch.nn.functional.embedding, which
# fails a device-side assertion on a GPU (pytorch/pytorch issue 19120). On the CPU both
# are run: see recorded_outcomes.
DOCUMENTED = {
    "Keras on tensorflow, GPU": IdOutcomes("row of zeros", "row 29 (the last)", "documented (tf.gather)"),
    "Keras on torch, GPU": IdOutcomes("device-side assert", "row 29 (the last)", "documented (PyTorch #19120)"),
}


def recorded_outcomes(*, vocab_size: int = 30) -> dict[str, IdOutcomes]:
    """What Keras' ``Embedding`` gave on TensorFlow and on PyTorch, on the CPU, when the probe was run there.

    The probe is :func:`keras_id_outcomes` itself, run by ``make
    test-backends`` in an environment per backend; its answers are kept, with
    the versions, in the record of :mod:`embedpool_utils.recorded_backends`.
    Nothing is imported or run here, so the rows are the same whether or not
    TensorFlow or PyTorch is installed.

    Parameters
    ----------
    vocab_size : int
        The table size the rows are for; the record holds a 30-row table only.

    Returns
    -------
    dict of str -> IdOutcomes
        ``"Keras on <backend>, CPU"`` -> outcomes; ``how_known`` names what
        it was run with, e.g. ``"run with Keras 3.15.1, TensorFlow 2.21.0"``.

    Raises
    ------
    ValueError
        If ``vocab_size`` is not the size the record was made with.

    Examples
    --------
    >>> recorded_outcomes()["Keras on torch, CPU"].too_large
    'raises IndexError'
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    rows = {}
    for backend, seen in recorded()["bad_ids"].items():
        if seen["vocab_size"] != vocab_size:
            raise ValueError(
                f"the record holds a table of {seen['vocab_size']} rows; there is no recorded outcome for "
                f"vocab_size={vocab_size}. Run keras_id_outcomes on that backend instead."
            )
        rows[f"Keras on {backend}, {seen['device']}"] = IdOutcomes(
            seen["too_large"], seen["negative"], f"run with {versions_seen(seen['versions'])}"
        )
    return rows


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
    return import_keras("Asking Keras")


def _keras_lookup(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Keras' own ``Embedding`` layer, holding ``table``, applied to ``ids``."""
    keras = _keras()
    # the table as the layer's initializer: a random one would be compiled (on JAX) only to be overwritten
    layer = keras.layers.Embedding(
        *table.shape, embeddings_initializer=keras.initializers.Constant(table), name="probe"
    )
    return keras.ops.convert_to_numpy(layer(ids))


def keras_id_outcomes(*, vocab_size: int = 30, embedding_dim: int = 7) -> IdOutcomes:
    """What Keras' ``Embedding`` gives for the id ``vocab_size`` and for ``-1`` (see :func:`id_outcomes`).

    Keras fixes its backend when it is first imported, so this asks the
    backend this process's Keras uses (``keras.backend.backend()``). To ask
    another, run it in a Python started with ``KERAS_BACKEND=<backend>``;
    ``make test-backends`` does so for TensorFlow and PyTorch.

    Parameters
    ----------
    vocab_size, embedding_dim : int
        Size of the probe table.

    Returns
    -------
    IdOutcomes
        ``how_known`` is ``"run here"``.

    Raises
    ------
    ImportError
        If Keras, or the library of its backend, cannot be imported.
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
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
    fresh Python spends importing Keras again. The helper's tests run the
    whole layer in a fresh Python on the numpy backend and check that it
    reaches ``np.take`` this way and that both give the same outcomes.

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
