"""What the inspector knows about one layer call, in plain Python: the input of every rule.

:mod:`~embedpool_utils.inspector.walk` fills one :class:`LayerFacts` per layer
call; the rules of :mod:`~embedpool_utils.inspector.findings` and
:mod:`~embedpool_utils.inspector.padding_rules` read it. No Keras here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedpool_utils.inspector.report import pooling_note
from embedpool_utils.shapes import TOKENS, PoolingReduction, pooling_reduction

__all__ = ["LayerFacts"]


@dataclass(frozen=True)
class LayerFacts:
    """What the inspector knows about one layer call, in plain Python.

    Attributes
    ----------
    name, type : str
        The layer's name (with the names of enclosing models, ``"outer/inner"``)
        and class name.
    config : mapping
        ``layer.get_config()``.
    keras_layer : bool
        Whether the class comes with Keras (only those get named axes).
    input_shape, input_axes : tuple or None
        Shape and axis names of the first input (None for an input layer).
    output_shape, output_axes : tuple
        Shape and axis names of the first output.
    mask : {"none", "produced", "passed", "consumed", "dropped"}
        What the layer does with a mask.
    mask_origin : str or None
        Name of the layer that made the incoming mask.
    mask_axes : tuple of str or None
        The axes the incoming mask runs along, e.g. ``("batch", "tokens")``.
    mask_used_before : bool
        Whether a layer upstream already applied the incoming mask.
    applies_mask : bool
        Whether this layer's ``call`` takes the mask and so applies it.
    token_ids : ndarray or None, shape (batch, seq_len)
        The sample ids behind the tokens axis of the input, when ``ids`` were
        given and every position still stands for one token.
    embedding_ids : ndarray or None, the shape of the Embedding's input
        For an Embedding: the sample ids it receives.
    image_data_format : str
        ``keras.config.image_data_format()`` at inspection time.
    probed : bool
        Whether the axes come from running the layer on test inputs (it has no rule).
    probe_reduction : PoolingReduction or None
        For such a layer: the one axis of its (batch, ·, ·) input that it reduces, if any.
    ids_input : str
        The model input the sample ids behind this layer's input came from,
        when the model has several inputs; else ``""``.
    mask_applied_by : str
        The last layer that applied the incoming mask and passed it on.
    padded_steps : dict or None
        What that layer outputs at ``"leading"`` and ``"trailing"`` padded steps
        (``"zeros"``, ``"copies"`` of real steps, ``"other"``), measured on a
        copy of it; set only for a maximum over tokens that such a mask reaches.
    """

    name: str
    type: str
    config: Mapping[str, Any]
    keras_layer: bool
    input_shape: tuple | None
    input_axes: tuple | None
    output_shape: tuple
    output_axes: tuple
    mask: str = "none"
    mask_origin: str | None = None
    mask_axes: tuple | None = None
    mask_used_before: bool = False
    applies_mask: bool = False
    token_ids: np.ndarray | None = field(default=None, repr=False)
    embedding_ids: np.ndarray | None = field(default=None, repr=False)
    image_data_format: str = "channels_last"
    probed: bool = False
    probe_reduction: PoolingReduction | None = None
    ids_input: str = ""
    mask_applied_by: str = ""
    padded_steps: Mapping[str, str] | None = None

    @property
    def reduction(self) -> PoolingReduction | None:
        """What this layer pools: a 1-D pooling with a 3-D input, or a reduction found by a test run."""
        if self.probe_reduction is not None:
            return self.probe_reduction
        if not self.keras_layer or self.input_shape is None or self.input_axes is None:
            return None
        return pooling_reduction(self.type, self.config, self.input_shape, self.input_axes)

    @property
    def max_over_steps(self) -> bool:
        """A maximum over the tokens (a max pooling, or a layer that a test run showed to take one)."""
        r = self.reduction
        return r is not None and r.operation == "max" and r.axis_name == TOKENS

    @property
    def note(self) -> str:
        """What this layer pools, in words (``""`` if it is no 1-D pooling)."""
        return pooling_note(self.reduction, self.input_shape, self.output_shape)
