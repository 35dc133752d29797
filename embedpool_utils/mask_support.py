"""What Keras layers do with an Embedding's mask, read from the layers themselves: accept, use, pass on or drop it.

Nothing here is a hand-kept list of facts. :func:`measure_mask_support`
builds each layer that learners put after an ``Embedding(mask_zero=True)``,
calls it on the masked embedding and on the same embedding without a mask,
and records what Keras says and does: the layer's ``supports_masking``, the
mask arguments its ``call`` takes, any warning Keras gives when the mask
reaches it, whether its numbers change because of the mask, and the mask
Keras attaches to its output. Run it on another Keras version and the table
follows that version. Keras is imported inside the functions.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.optional_keras import import_keras
from embedpool_utils.plain_text import aligned_columns
from embedpool_utils.validation import check_table_and_ids

__all__ = ["LAYER_NAMES", "MaskSupport", "mask_support_text", "measure_mask_support"]

# The layers a learner puts after an Embedding, as the table names them (constructor arguments included).
LAYER_NAMES = (
    "Dense(4)",
    "Dropout(0.5)",
    "LSTM(3, return_sequences=True)",
    "LSTM(3)",
    "GRU(3, return_sequences=True)",
    "GRU(3)",
    "Bidirectional(LSTM(3, return_sequences=True))",
    "Conv1D(4, 3)",
    "MaxPooling1D(2)",
    "AveragePooling1D(2)",
    "GlobalAveragePooling1D()",
    "GlobalMaxPooling1D()",
    "Flatten()",
    "MultiHeadAttention(2, 4)",
    "LayerNormalization()",
    "Add()",
)


@dataclass(frozen=True)
class MaskSupport:
    """What one layer did with the mask of ``Embedding(mask_zero=True)``, as measured.

    Attributes
    ----------
    layer : str
        The layer as constructed, e.g. ``"LSTM(3, return_sequences=True)"``.
    supports_masking : bool
        The layer's own ``supports_masking`` attribute.
    call_mask_arguments : tuple of str
        The parameters of the layer's ``call`` that receive a mask (``mask``,
        or names ending in ``_mask`` such as ``query_mask``); empty if Keras
        cannot hand it one there.
    warned : bool
        Keras warned, when the masked input reached the layer, that the
        layer does not support masking (it destroys the mask).
    uses_mask : bool
        The layer's output with the mask differs from its output on the same
        numbers without one: the mask changed what it computed.
    mask_after : str
        What Keras attaches to the layer's output: ``"same"`` (the embedding's
        mask, passed on unchanged), ``"new"`` (another mask, e.g. two masks
        combined) or ``"none"``.
    """

    layer: str
    supports_masking: bool
    call_mask_arguments: tuple[str, ...]
    warned: bool
    uses_mask: bool
    mask_after: str

    @property
    def verdict(self) -> str:
        """The measurements in words: what the layer does with the mask."""
        if self.warned:
            return "drops it, with a warning"
        use = "uses it" if self.uses_mask else "ignores it"
        if self.mask_after == "none":
            return f"{use}, then stops it" if self.uses_mask else "drops it silently"
        return f"{use}, passes it on"


def _mask_arguments(layer: Any) -> tuple[str, ...]:
    parameters = inspect.signature(layer.call).parameters
    return tuple(
        name for name in parameters if name == "mask" or (name.endswith("_mask") and not name.startswith("use_"))
    )


def _layer_factories(keras: Any) -> dict[str, tuple[Callable[[], Any], Callable[[Any, Any], Any]]]:
    """LAYER_NAMES -> (make the layer, call it on an embedded tensor).

    Weights start from a constant: the table only asks *whether* the mask
    changes a layer's numbers (every weight of a layer is equal; the inputs
    still differ). The constant comes from numpy, so that making a weight
    compiles nothing; ``Bidirectional`` and ``MultiHeadAttention`` copy their
    initializers through a config and get Keras' own ``Constant`` instead.
    """
    layers = keras.layers

    def start(shape: tuple[int, ...], dtype: Any = None) -> np.ndarray:
        return np.full(shape, 0.3, dtype="float32")

    rnn = {"kernel_initializer": start, "recurrent_initializer": start}
    copied = keras.initializers.Constant(0.3)
    copied_rnn = {name: copied for name in rnn}

    def alone(layer: Any, x: Any) -> Any:
        return layer(x)

    makers: dict[str, tuple[Callable[[], Any], Callable[[Any, Any], Any]]] = {
        "Dense(4)": (lambda: layers.Dense(4, kernel_initializer=start, name="dense"), alone),
        "Dropout(0.5)": (lambda: layers.Dropout(0.5, name="dropout"), alone),
        "LSTM(3, return_sequences=True)": (
            lambda: layers.LSTM(3, return_sequences=True, name="lstm_sequences", **rnn),
            alone,
        ),
        "LSTM(3)": (lambda: layers.LSTM(3, name="lstm", **rnn), alone),
        "GRU(3, return_sequences=True)": (
            lambda: layers.GRU(3, return_sequences=True, name="gru_sequences", **rnn),
            alone,
        ),
        "GRU(3)": (lambda: layers.GRU(3, name="gru", **rnn), alone),
        "Bidirectional(LSTM(3, return_sequences=True))": (
            lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True, **copied_rnn), name="bidirectional"),
            alone,
        ),
        "Conv1D(4, 3)": (lambda: layers.Conv1D(4, 3, kernel_initializer=start, name="conv1d"), alone),
        "MaxPooling1D(2)": (lambda: layers.MaxPooling1D(2, name="max_pooling1d"), alone),
        "AveragePooling1D(2)": (lambda: layers.AveragePooling1D(2, name="average_pooling1d"), alone),
        "GlobalAveragePooling1D()": (lambda: layers.GlobalAveragePooling1D(name="global_average"), alone),
        "GlobalMaxPooling1D()": (lambda: layers.GlobalMaxPooling1D(name="global_max"), alone),
        "Flatten()": (lambda: layers.Flatten(name="flatten"), alone),
        "MultiHeadAttention(2, 4)": (
            lambda: layers.MultiHeadAttention(2, 4, kernel_initializer=copied, name="attention"),
            lambda layer, x: layer(x, x),  # self-attention: query and value are the embedded sentence
        ),
        "LayerNormalization()": (lambda: layers.LayerNormalization(name="layer_norm"), alone),
        "Add()": (lambda: layers.Add(name="add"), lambda layer, x: layer([x, x])),
    }
    assert tuple(makers) == LAYER_NAMES
    return makers


def measure_mask_support(table: ArrayLike, ids: ArrayLike) -> list[MaskSupport]:
    """Build every layer of :data:`LAYER_NAMES` after an Embedding and record what it does with the mask.

    One Keras model holds two branches per layer, sharing the layer's weights:
    the embedding with ``mask_zero=True`` and the same embedding without a
    mask. It is run once (``predict``) on ``ids``, so that a layer whose
    numbers change because of the mask shows it.

    Parameters
    ----------
    table : array_like of float, shape (vocab_size, embedding_dim)
        The embedding's weights.
    ids : array_like of int, shape (batch, seq_len)
        Padded sentences: at least one 0 (padding) and one real id, all
        below ``vocab_size``. seq_len must be at least 3 (the
        convolution's window).

    Returns
    -------
    list of MaskSupport
        One per layer, in the order of :data:`LAYER_NAMES`.

    Raises
    ------
    ValueError
        If ``ids`` is not 2-D, has no padding or no real token, or is shorter
        than 3 steps.
    IndexError
        If an id has no row in the table.
    ImportError
        If Keras (or its backend's library) cannot be imported.
    """
    keras = import_keras("Measuring what layers do with a mask")

    table, ids = check_table_and_ids(table, ids, call="measure_mask_support")
    if ids.ndim != 2 or ids.shape[1] < 3:
        raise ValueError(f"ids must have shape (batch, seq_len) with seq_len >= 3; got shape {ids.shape}")
    if not (ids == 0).any() or not (ids != 0).any():
        raise ValueError(
            "ids must hold padding (id 0) and real tokens, or no layer can show what the mask changes; "
            f"got {int((ids == 0).sum())} padding ids of {ids.size}"
        )

    def start(shape: tuple[int, ...], dtype: Any = None) -> np.ndarray:
        return table.astype("float32")

    token_ids = keras.Input(shape=(ids.shape[1],), dtype="int32", name="token_ids")
    with_mask = keras.layers.Embedding(*table.shape, mask_zero=True, embeddings_initializer=start, name="masked")
    without = keras.layers.Embedding(*table.shape, embeddings_initializer=start, name="unmasked")
    masked_x, plain_x = with_mask(token_ids), without(token_ids)
    mask_in = getattr(masked_x, "_keras_mask", None)  # the mask Keras attaches to the embedding's output

    outputs, measured = [], []
    for name, (make, call) in _layer_factories(keras).items():
        layer = make()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            masked_y = call(layer, masked_x)
            plain_y = call(layer, plain_x)  # the same layer again: same weights, no mask
        mask_out = getattr(masked_y, "_keras_mask", None)
        after = "none" if mask_out is None else ("same" if mask_out is mask_in else "new")
        warned = any("mask" in str(warning.message) for warning in caught)
        outputs += [masked_y, plain_y]
        measured.append((name, bool(layer.supports_masking), _mask_arguments(layer), warned, after))

    model = keras.Model(token_ids, outputs, name="mask_support")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same warnings again, already recorded above
        results = model.predict(ids.astype("int32"), verbose=0)
    rows = []
    for index, (name, supports, arguments, warned, after) in enumerate(measured):
        uses = not np.allclose(results[2 * index], results[2 * index + 1], equal_nan=True)
        rows.append(MaskSupport(name, supports, arguments, warned, uses, after))
    return rows


def _first_of(names: tuple[str, ...]) -> str:
    return "-" if not names else names[0] + (", ..." if len(names) > 1 else "")


def mask_support_text(rows: list[MaskSupport]) -> str:
    """The measurements of :func:`measure_mask_support` as an aligned plain-text table.

    Parameters
    ----------
    rows : list of MaskSupport

    Returns
    -------
    str
        A header and one line per layer: supports_masking, the (first) mask
        argument of ``call``, whether Keras warned, whether the output
        changed, the mask after the layer (same, new or none), and the verdict.
    """
    header = ("layer", "supports_masking", "call(mask)", "warns", "changes", "mask after", "so it")
    lines = [header]
    for row in rows:
        lines.append(
            (
                row.layer,
                str(row.supports_masking),
                _first_of(row.call_mask_arguments),
                "yes" if row.warned else "no",
                "yes" if row.uses_mask else "no",
                row.mask_after,
                row.verdict,
            )
        )
    return aligned_columns(lines)
