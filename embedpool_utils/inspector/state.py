"""What one inspection knows while it walks a model: tensors, masks, report rows, and what it could not check.

:mod:`~embedpool_utils.inspector.walk` keeps one :class:`Walk` per
inspection. Where the axes of a tensor could not be named (a model input no
Embedding reads, a layer that neither a rule nor a test run settles), the
walk records the place once; every pooling, Flatten or reduction that the
unnamed axes reach is listed under it, and the report turns each such place
into a :class:`~embedpool_utils.inspector.report.Notice`. No Keras import here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedpool_utils.inspector.report import Finding, LayerRow, Notice
from embedpool_utils.shapes import UNKNOWN, PoolingReduction

__all__ = ["Mask", "Row", "Tensor", "Walk", "has_unknown", "layer_kind", "lost_words"]


@dataclass
class Mask:
    """A padding mask on its way through the model."""

    symbolic: Any  # a KerasTensor, for the next compute_mask call
    axes: tuple[str, ...]  # the axes it runs along, e.g. ("batch", "tokens")
    origin: str  # the layer that made it
    used: bool = False  # whether a layer has applied it
    applied_by: Any = None  # the last layer that applied it and passed it on (an RNN, say)
    applied_name: str = ""
    applied_shape: tuple = ()  # that layer's input shape


@dataclass
class Tensor:
    """What the inspector knows about one symbolic tensor of the model."""

    axes: tuple[str, ...]
    mask: Mask | None = None
    ids: np.ndarray | None = field(default=None, repr=False)  # sample ids, on a model input
    token_ids: np.ndarray | None = field(default=None, repr=False)  # the ids behind the tokens axis
    ids_input: str = ""  # the model input the ids came from
    lost_at: str | None = None  # where the axes named "?" on its path were lost (see Walk.lost)


@dataclass
class Row:
    """A report row in the making: the axis names are read at the end, when every Embedding has named its input."""

    name: str
    type: str
    shapes: list[tuple]
    tensors: list[Tensor]
    mask: str = "none"
    note: str = ""
    reduction: PoolingReduction | None = None
    probed: bool = False

    def finished(self) -> LayerRow:
        """The report's row for this layer, once all its outputs are known.

        Returns
        -------
        LayerRow
            One output's shape and axes, or a tuple of each for a layer with several outputs.
        """
        several = len(self.shapes) > 1
        axes = tuple(t.axes for t in self.tensors) if several else self.tensors[0].axes
        shape = tuple(self.shapes) if several else self.shapes[0]
        return LayerRow(self.name, self.type, shape, axes, self.mask, self.note, self.reduction, self.probed)


@dataclass
class Walk:
    """The state of one inspection: tensors seen so far, rows, findings and what could not be checked."""

    keras: Any
    image_data_format: str
    inputs: int = 1
    tensors: dict[int, Tensor] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # where axes were lost -> (why, in words; the layers not checked because of it)
    lost: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    unmeasured: list[Notice] = field(default_factory=list)
    padded_steps: dict[int, dict[str, str] | None] = field(default_factory=dict)

    def lose(self, origin: str, why: str) -> str:
        """Record where axes could not be followed; return the key the tensors after it carry.

        Parameters
        ----------
        origin : str
            The layer (or model input) where the axes were lost.
        why : str
            Why, in one sentence.

        Returns
        -------
        str
            ``origin``, the key under which later layers add what they could not check.
        """
        self.lost.setdefault(origin, (why, []))
        return origin

    def notices(self) -> tuple[Notice, ...]:
        """One notice per place where the axes were lost and something after it was not checked.

        Returns
        -------
        tuple of Notice
            In the order the places were met.
        """
        found = [
            Notice(
                origin,
                f"{why} Not checked because of it: {', '.join(layers)}, and anything after that depends on those axes.",
            )
            for origin, (why, layers) in self.lost.items()
            if layers
        ]
        return tuple(found + self.unmeasured)


def has_unknown(axes: tuple[str, ...]) -> bool:
    """Whether an axis other than the first (the batch) is unnamed.

    Parameters
    ----------
    axes : tuple of str
        A name per axis, e.g. ``("batch", "?", "features")``.

    Returns
    -------
    bool
    """
    return UNKNOWN in axes[1:]


def layer_kind(keras: Any, layer: Any, keras_layer: bool) -> str:
    """What kind of operation a layer call is, in words, for a notice.

    Parameters
    ----------
    keras : module
        The ``keras`` package, passed in.
    layer : keras.Layer or keras.Operation
    keras_layer : bool
        Whether its class comes with Keras.

    Returns
    -------
    str
        ``"a layer of your own"``, ``"a Lambda layer"``, ``"a keras.ops call"`` or ``"a Keras layer"``.
    """
    if not isinstance(layer, keras.Layer):
        return "a keras.ops call"
    if type(layer).__name__ == "Lambda":
        return "a Lambda layer"
    return "a Keras layer" if keras_layer else "a layer of your own"


def lost_words(name: str, layer_type: str, kind: str, probed: bool) -> str:
    """Why the axes after a layer have no name, in one sentence.

    Parameters
    ----------
    name, layer_type : str
        The layer's name in the report and its class name.
    kind : str
        What it is, from :func:`layer_kind`.
    probed : bool
        Whether it was run on test inputs (which did not settle its axes).

    Returns
    -------
    str
    """
    tried = (
        "running it on test inputs did not settle them"
        if probed
        else "it could not be run on test inputs, or there was nothing named to follow into it"
    )
    return (
        f"The axes after '{name}' ({layer_type}, {kind}) could not be named: the tool has no rule for it, and {tried}."
    )
