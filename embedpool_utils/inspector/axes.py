"""What each axis of a Keras layer's output means: batch, tokens, features, or unknown.

Keras records shapes, not meanings. The model inspector names the axes by
following them through the layers: an Embedding turns (batch, tokens) ids
into (batch, tokens, features); a Dense layer makes a new features axis; a
1-D pooling removes the axis :mod:`~embedpool_utils.shapes` says it reduces;
a layer without a rule here gets ``"?"``, never a guess. Works on class
names, configuration dictionaries and axis names only, never on Keras objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from embedpool_utils.shapes import BATCH, FEATURES, POOLINGS_1D, TOKENS, UNKNOWN, pooled_axis, reduce_axis

__all__ = ["embedding_input_axes", "has_rule", "layer_output_axes", "merged_axes", "unknown_axes"]


# Keras layer classes grouped by what they do to the meaning of the axes.
# Keras records no such meaning, so this table is the tool's knowledge; a
# class that is not in it gets "?" for every axis but the batch.
SAME_AXES = frozenset(
    {
        "Activation",
        "ActivityRegularization",
        "AlphaDropout",
        "BatchNormalization",
        "Dropout",
        "ELU",
        "GaussianDropout",
        "GaussianNoise",
        "GroupNormalization",
        "Identity",
        "LayerNormalization",
        "LeakyReLU",
        "Masking",
        "PReLU",
        "ReLU",
        "RMSNormalization",
        "Softmax",
        "SpatialDropout1D",
        "UnitNormalization",
    }
)
CONVOLUTIONS_1D = frozenset({"Conv1D", "Conv1DTranspose", "DepthwiseConv1D", "SeparableConv1D"})
RECURRENT = frozenset({"GRU", "LSTM", "SimpleRNN"})
ELEMENTWISE_MERGES = frozenset({"Add", "Average", "Maximum", "Minimum", "Multiply", "Subtract"})
RULED = (
    SAME_AXES
    | CONVOLUTIONS_1D
    | RECURRENT
    | ELEMENTWISE_MERGES
    | frozenset(POOLINGS_1D)
    | {"Bidirectional", "Concatenate", "Dense", "Embedding", "Flatten", "MultiHeadAttention", "Permute"}
)


def has_rule(layer_type: str | None) -> bool:
    """Whether this module names the output axes of a layer class (a Keras class with a rule here).

    Parameters
    ----------
    layer_type : str or None
        The class name of a layer that comes with Keras; None for any other.

    Returns
    -------
    bool
        False for your own classes, ``Lambda``, ``keras.ops`` calls and Keras
        classes without a rule (``Reshape``, ...): the inspector may run those
        on test inputs instead (:mod:`~embedpool_utils.inspector.probe`).
    """
    return layer_type in RULED


def unknown_axes(rank: int, *, batch_first: bool) -> tuple[str, ...]:
    """``rank`` names, all ``"?"``, except ``"batch"`` first when the layer is known to keep it there.

    Parameters
    ----------
    rank : int
        Number of axes of the tensor, e.g. 3 for (batch, steps, features).
    batch_first : bool
        Name axis 0 ``"batch"``.

    Returns
    -------
    tuple of str, length ``rank``
        E.g. ``("batch", "?", "?")``.
    """
    if batch_first and rank > 0:
        return (BATCH,) + (UNKNOWN,) * (rank - 1)
    return (UNKNOWN,) * rank


def embedding_input_axes(input_axes: tuple[str, ...]) -> tuple[str, ...]:
    """How an ``Embedding`` reads its input: a 2-D input is (batch, tokens), one id per token.

    Parameters
    ----------
    input_axes : tuple of str
        The names the Embedding's input has so far, e.g. ``("batch", "?")``.

    Returns
    -------
    tuple of str, the same length
        ``(input_axes[0], "tokens")`` for a 2-D input; other inputs keep their names.
    """
    if len(input_axes) == 2:
        return (input_axes[0], TOKENS)
    return input_axes


def merged_axes(inputs: Sequence[tuple[str, ...]]) -> tuple[str, ...] | None:
    """Axis names of a merge (Add, Concatenate, ...): per axis, the name all inputs give it, else ``"?"``.

    Parameters
    ----------
    inputs : sequence of tuple of str
        The axis names of each input, e.g. two (batch, tokens, features).

    Returns
    -------
    tuple of str, the inputs' rank, or None
        None when the inputs have different ranks (or there are none).
    """
    if not inputs or len({len(axes) for axes in inputs}) != 1:
        return None
    return tuple(names[0] if len(set(names)) == 1 else UNKNOWN for names in zip(*inputs))


def _named_outputs(layer_type: str, config: Mapping[str, Any], inputs: Sequence[tuple[str, ...]]) -> list | None:
    """Output axis names by the rule of this layer class, or None if the class has none."""
    first = inputs[0] if inputs else ()
    if layer_type in SAME_AXES:
        return [first]
    if layer_type in ("Dense", "MultiHeadAttention"):  # a new vector along the last axis
        return [first[:-1] + (FEATURES,)]
    if layer_type == "Embedding":
        return [embedding_input_axes(first) + (FEATURES,)]
    if layer_type in POOLINGS_1D and len(first) == 3:
        if POOLINGS_1D[layer_type][1]:
            axis = pooled_axis(config.get("data_format", "channels_last"))
            return [reduce_axis(first, axis, keepdims=bool(config.get("keepdims")), kept=first[axis])]
        return [first]
    if layer_type in CONVOLUTIONS_1D and len(first) == 3:
        if config.get("data_format", "channels_last") == "channels_first":
            return [(first[0], FEATURES, first[2])]
        return [(first[0], first[1], FEATURES)]
    if layer_type in RECURRENT or layer_type == "Bidirectional":
        inner = config.get("layer", {}).get("config", {}) if layer_type == "Bidirectional" else config
        main = (first[0], first[1], FEATURES) if inner.get("return_sequences") else (first[0], FEATURES)
        return [main] + [(first[0], FEATURES)] * 4  # any state outputs: one vector per sample
    if layer_type in ELEMENTWISE_MERGES or layer_type == "Concatenate":
        merged = merged_axes(inputs)
        return None if merged is None else [merged]
    if layer_type == "Flatten":
        return [first] if len(first) <= 2 else [(first[0], UNKNOWN)]
    if layer_type == "Permute":
        return [(first[0],) + tuple(first[d] for d in config.get("dims", ()))]
    return None


def layer_output_axes(
    layer_type: str | None,
    config: Mapping[str, Any],
    input_axes: Sequence[tuple[str, ...]],
    output_ranks: Sequence[int],
) -> tuple[tuple[str, ...], ...]:
    """Name each axis of each output of a layer, from the names of its input axes.

    Parameters
    ----------
    layer_type : str or None
        The class name of a layer that comes with Keras (``"Dense"``,
        ``"GlobalAveragePooling1D"``, ...); ``None`` for any other layer (your
        own classes, ``Lambda``), whose axes are all ``"?"``.
    config : mapping
        The layer's ``get_config()``: ``data_format``, ``keepdims``,
        ``return_sequences``, ``dims`` are read where they matter.
    input_axes : sequence of tuple of str
        One tuple of names per input tensor, e.g. ``[("batch", "tokens", "features")]``.
    output_ranks : sequence of int
        The number of axes of each output, as Keras reports it.

    Returns
    -------
    tuple of tuple of str
        One tuple of names per output, each of its output's rank. Where the
        rule of the layer does not fit the ranks Keras reports, or there is
        no rule, the names are ``"?"`` (and ``"batch"`` first for a Keras
        layer, which always keeps the batch axis first): never a guess.

    Examples
    --------
    >>> layer_output_axes("Embedding", {}, [("batch", "?")], [3])
    (('batch', 'tokens', 'features'),)
    >>> layer_output_axes("GlobalAveragePooling1D", {"data_format": "channels_first"},
    ...                   [("batch", "tokens", "features")], [2])
    (('batch', 'tokens'),)
    >>> layer_output_axes("Reshape", {}, [("batch", "tokens", "features")], [2])
    (('batch', '?'),)
    """
    keras_layer = layer_type not in (None, "Lambda")  # a Lambda runs any code, like a layer of your own
    rules = _named_outputs(layer_type, config, input_axes) if layer_type is not None and keras_layer else None
    outputs = []
    for index, rank in enumerate(output_ranks):
        names = rules[index] if rules is not None and index < len(rules) else None
        if names is None or len(names) != rank:
            names = unknown_axes(rank, batch_first=keras_layer)
        outputs.append(tuple(names))
    return tuple(outputs)
