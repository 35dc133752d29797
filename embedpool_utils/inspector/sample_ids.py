"""Sample ids for a model's inputs: one array for a one-input model, or a dict keyed by input name, checked against each input.

Used by :func:`~embedpool_utils.inspector.walk.inspect_model` and by the
command line, which reads them from a ``.npy`` or ``.npz`` file. No Keras import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.inspector.keras_graph import shape_of
from embedpool_utils.validation import check_ids

__all__ = ["ids_for_inputs"]


def ids_for_inputs(graph: Any, ids: ArrayLike | Mapping[str, ArrayLike] | None) -> list[np.ndarray | None]:
    """The sample ids for each input of a model, checked against that input.

    Parameters
    ----------
    graph : keras.Model
        The model's graph (:func:`graph_of`).
    ids : array_like of int, dict of str -> array_like, or None
        One batch of ids shaped like the model's only input, e.g.
        ``(batch, seq_len)`` for an input of shape ``(None, seq_len)``; or a
        dict by input name. Negative or too large ids are accepted here (the
        report names them).

    Returns
    -------
    list of ndarray or None, each of the shape of one batch of its input
        One entry per model input, None where no ids were given.

    Raises
    ------
    TypeError
        If ids are not integers.
    ValueError
        If their shape does not fit the input, or a dict names an input the
        model does not have, or a model with several inputs gets one array.
    """
    if ids is None:
        return [None] * len(graph.inputs)
    names = [t.name for t in graph.inputs]
    if isinstance(ids, Mapping):
        unknown = sorted(set(ids) - set(names))
        if unknown:
            raise ValueError(f"ids names inputs {unknown} that the model does not have; its inputs are {names}.")
        given = [ids.get(name) for name in names]
    elif len(names) == 1:
        given = [ids]
    else:
        raise ValueError(f"this model has {len(names)} inputs {names}: give ids as a dict {{input name: ids}}.")
    checked: list[NDArray[Any] | None] = []
    for tensor, value in zip(graph.inputs, given):
        if value is None:
            checked.append(None)
            continue
        try:
            array = check_ids(value, name="ids")
        except IndexError:  # negative ids are not refused here: the report names them
            array = np.asarray(value)
        expected = shape_of(tensor)
        if array.ndim != len(expected) or any(e is not None and e != a for e, a in zip(expected[1:], array.shape[1:])):
            raise ValueError(
                f"ids have shape {array.shape}, but the model input {tensor.name!r} takes {expected} "
                "(None for any size): give a batch of ids shaped like one batch of model input."
            )
        checked.append(array)
    return checked
