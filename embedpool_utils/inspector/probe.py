"""Find out what a layer without a rule does to the axes, by running it on small seeded test inputs.

The inspector names axes by rule for Keras' own layers (:mod:`~embedpool_utils.inspector.axes`).
A layer of your own, a ``Lambda`` or a ``keras.ops`` call has no rule; this
module runs it on a small batch of our own seeded numbers (never your data)
and reads from the outputs what each output axis follows:

* **the batch**: replacing one sample of the batch changes only that sample's output;
* **an input axis, position by position**: permuting the input along that
  axis permutes the output the same way along one output axis, or changing
  the input at one position changes the output only near that position;
* **a reduction**: permuting the input along an axis leaves the output as it
  was, so that axis was summarised (and the output is compared with the
  mean, max, min and sum over it, to say which).

Nothing is guessed: an axis that no test settles stays ``"?"``. The layer
runs through ``stateless_call`` with a copy of its weights and
``training=False`` (under ``jax.jit`` on the JAX backend, so that it compiles
once), so neither its weights nor its state change. Keras is passed in by the
caller, never imported here.
"""

from __future__ import annotations

import inspect
import random
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from embedpool_utils.shapes import BATCH, FEATURES, TOKENS, UNKNOWN

__all__ = ["Probe", "padded_step_outputs", "probe_layer"]

OPEN_LENGTH = 12  # the length given to an axis of open size (None) other than the batch
SEED = 1907  # our own test inputs: the same every time, whatever the user's random state
OPERATIONS: dict[str, Callable[..., Any]] = {"average": np.mean, "max": np.max, "min": np.min, "sum": np.sum}


@dataclass(frozen=True)
class Probe:
    """What running a layer on test inputs settled.

    Attributes
    ----------
    output_axes : tuple of tuple of str
        A name per axis of each output (``"?"`` where nothing was settled).
    input_axes : tuple of str or None
        New names for the axes of the layer's first input, when the run showed
        what they hold (integer ids read one position at a time are tokens); else None.
    reduced_axis : int or None
        The axis of the first input that the layer summarises (its output does
        not change when the input is permuted along it), if there is exactly one.
    operation : str or None
        ``"average"``, ``"max"``, ``"min"`` or ``"sum"`` when the output equals
        that reduction of the input over ``reduced_axis``; None otherwise.
    """

    output_axes: tuple[tuple[str, ...], ...]
    input_axes: tuple[str, ...] | None = None
    reduced_axis: int | None = None
    operation: str | None = None


def close(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal up to float32 rounding (sums taken in another order), relative to the size of the values."""
    if a.shape != b.shape:
        return False
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)), 1e-6)
    return bool(np.all(np.abs(a - b) <= 1e-4 * scale + 1e-6))


def concrete_shape(shape: tuple, batch: int) -> tuple[int, ...]:
    """A symbolic shape with numbers: the batch axis gets ``batch`` rows, any other open size ``OPEN_LENGTH``."""
    return tuple((batch if i == 0 else OPEN_LENGTH) if d is None else int(d) for i, d in enumerate(shape))


def id_limit(keras: Any, operation: Any) -> int:
    """Ids below this are valid for every Embedding inside ``operation`` (10 if it has none)."""
    sizes = []
    if isinstance(operation, keras.Layer):
        sizes = [int(s.input_dim) for s in operation._flatten_layers() if isinstance(s, keras.layers.Embedding)]
    return max(min(sizes, default=10), 2)


def test_values(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, limit: int) -> np.ndarray:
    """Seeded values of a dtype: normal floats, ids 1 … limit − 1 (no padding id 0), or all True."""
    if "int" in dtype:
        return rng.integers(1, limit, size=shape).astype(dtype)
    if dtype == "bool":
        return np.ones(shape, dtype=bool)
    return rng.normal(size=shape).astype(dtype)


def derangement(n: int, rng: np.random.Generator) -> np.ndarray:
    """A seeded permutation of ``range(n)`` that moves every position."""
    while True:
        order = rng.permutation(n)
        if n < 2 or np.all(order != np.arange(n)):
            return order


# One compiled function per layer call, kept while the model lives: inspecting it again compiles nothing.
COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def compiled_call(keras: Any, operation: Any, node: Any, takes_mask: bool) -> Any:
    """A function of the call's tensors that runs ``operation`` as the node calls it, changing no state."""
    key = (takes_mask, keras.backend.backend())
    cached = COMPILED.get(node, {})
    if key not in cached:
        cached[key] = new_call(keras, operation, node, takes_mask)
        COMPILED[node] = cached
    return cached[key]


def new_call(keras: Any, operation: Any, node: Any, takes_mask: bool) -> Any:
    """:func:`compiled_call`'s function, made anew."""
    args, kwargs = node.arguments.args, dict(node.arguments.kwargs)
    symbolic = [t for t in keras.tree.flatten((args, kwargs)) if isinstance(t, keras.KerasTensor)]
    positions = {id(t): i for i, t in enumerate(dict.fromkeys(symbolic))}
    is_layer = isinstance(operation, keras.Layer)
    accepts = inspect.signature(operation.call).parameters if is_layer else {}

    def run(*tensors: Any, mask: Any = None) -> list:
        def put(value: Any) -> Any:
            return tensors[positions[id(value)]] if isinstance(value, keras.KerasTensor) else value

        call_args = keras.tree.map_structure(put, args)
        call_kwargs = keras.tree.map_structure(put, kwargs)
        if not is_layer:
            return keras.tree.flatten(operation(*call_args, **call_kwargs))
        if "training" in accepts:
            call_kwargs["training"] = False
        if takes_mask and mask is not None and call_kwargs.get("mask") is None:
            call_kwargs["mask"] = mask
        trainable = [v.value for v in operation.trainable_variables]
        other = [v.value for v in operation.non_trainable_variables]
        outputs, _ = operation.stateless_call(trainable, other, *call_args, **call_kwargs)
        return keras.tree.flatten(outputs)

    return compiled(keras, run), list(dict.fromkeys(symbolic))


def compiled(keras: Any, function: Any) -> Any:
    """``function`` under ``jax.jit`` on the JAX backend (one compilation instead of one per operation); else itself."""
    if keras.backend.backend() != "jax":
        return function
    try:
        import jax  # the JAX backend's own compiler; present wherever that backend runs
    except ImportError:  # pragma: no cover
        return function
    return jax.jit(function)


def probe_layer(
    keras: Any, operation: Any, node: Any, input_axes: tuple[str, ...], *, mask_shape: tuple | None = None
) -> Probe | None:
    """Run one layer (or operation) call on seeded test inputs and name its output axes from what changes.

    Parameters
    ----------
    keras : module
        The ``keras`` package.
    operation : keras.Layer or keras.Operation
        The layer of your own, ``Lambda`` or ops call to probe; it must be built.
    node : keras Node
        Its call in the model, whose arguments are reproduced with test values.
    input_axes : tuple of str
        The names known so far for its first input tensor, e.g. ``("batch", "tokens", "features")``.
    mask_shape : tuple, optional
        The shape of the mask Keras hands the layer, e.g. (None, 10), if it
        receives one; the test runs then pass a mask that keeps every position.

    Returns
    -------
    Probe or None
        None when the layer cannot be run on test inputs (it fails, needs
        strings, or has no float or integer first input).
    """
    first_arg = node.arguments.args[0] if node.arguments.args else None
    firsts = [t for t in keras.tree.flatten(first_arg) if isinstance(t, keras.KerasTensor)]
    if not firsts:
        return None
    main = firsts[0]
    dtype = str(main.dtype)
    if "float" not in dtype and "int" not in dtype:
        return None
    rng = np.random.default_rng(SEED)
    limit = id_limit(keras, operation)
    rank = len(main.shape)
    free = [i for i in range(1, rank) if (main.shape[i] or OPEN_LENGTH) >= 2]
    # Rows of one batch: two independent samples, then, for each free axis, x0 permuted along it and
    # x0 changed at one position along it. A second run swaps sample 1 for another, to test the batch.
    batch = 2 + 2 * len(free)
    row_shape = concrete_shape(tuple(main.shape), 1)[1:]
    x0, x1, x2 = (test_values(rng, row_shape, dtype, limit) for _ in range(3))
    orders, positions, rows = {}, {}, [x0, x1]
    for i in free:
        n = row_shape[i - 1]
        orders[i] = derangement(n, rng)
        rows.append(np.take(x0, orders[i], axis=i - 1))
        positions[i] = n // 2
        index = tuple(positions[i] if a == i - 1 else slice(None) for a in range(rank - 1))
        changed = x0.copy()
        # another value at one position: other numbers, or each id moved to the next valid id
        changed[index] = (x0[index] % (limit - 1)) + 1 if "int" in dtype else x1[index]
        rows.append(changed)
    try:
        run, symbolic = compiled_call(keras, operation, node, takes_mask=mask_shape is not None)
        others = {}
        for t in symbolic:
            if t is main:
                continue
            value = test_values(rng, concrete_shape(tuple(t.shape), 1), str(t.dtype), limit)
            others[id(t)] = np.repeat(value, batch, axis=0) if t.shape and t.shape[0] is None else value
        mask = None if mask_shape is None else np.ones(concrete_shape(tuple(mask_shape), batch), dtype=bool)
        mask = None if mask is None else keras.ops.convert_to_tensor(mask)

        def outputs(first_rows: list) -> list[np.ndarray]:
            stacked = np.stack(first_rows)
            # backend tensors, not numpy arrays: on PyTorch, numpy + tensor inside a layer's call fails
            tensors = [keras.ops.convert_to_tensor(stacked if t is main else others[id(t)]) for t in symbolic]
            return [np.asarray(keras.ops.convert_to_numpy(o), dtype="float64") for o in run(*tensors, mask=mask)]

        a = outputs(rows)
        b = outputs([rows[0], x2, *rows[2:]])
    except Exception:  # a layer that cannot run on test inputs: nothing is settled
        return None
    if not a or not all(np.all(np.isfinite(o)) for o in a):
        return None
    batched = all(o.ndim >= 1 and o.shape[0] == batch for o in a) and all(
        close(np.delete(oa, 1, axis=0), np.delete(ob, 1, axis=0)) for oa, ob in zip(a, b)
    )
    if not batched:
        return Probe(tuple((UNKNOWN,) * o.ndim for o in a))
    return read_axes(a, input_axes, rank, free, orders, positions, x0, dtype)


def read_axes(
    outputs: list[np.ndarray],
    input_axes: tuple[str, ...],
    rank: int,
    free: list[int],
    orders: dict[int, np.ndarray],
    positions: dict[int, int],
    x0: np.ndarray,
    dtype: str,
) -> Probe:
    """Name the output axes from a batched run (rows as laid out by :func:`probe_layer`)."""
    names = [list((BATCH,) + (UNKNOWN,) * (o.ndim - 1)) for o in outputs]
    follows: dict[int, tuple[int, int]] = {}  # input axis -> (output, output axis)
    invariant = []
    for k, i in enumerate(free):
        permuted, changed = 2 + 2 * k, 3 + 2 * k
        if all(close(o[permuted], o[0]) for o in outputs):
            invariant.append(i)
            continue
        matches = [
            (n, j)
            for n, o in enumerate(outputs)
            for j in range(1, o.ndim)
            if o.shape[j] == len(orders[i]) and follows_axis(o, j, orders[i], positions[i], permuted, changed)
        ]
        if len({j for _, j in matches}) == 1 and len(matches) == len(outputs):  # the same axis of every output
            follows[i] = matches[0]
    renamed = None
    if "int" in dtype and rank == 2 and 1 in follows and input_axes[1] == UNKNOWN:
        renamed = (input_axes[0], TOKENS)  # integer ids read one position at a time: token ids
    known = renamed or input_axes
    for i, (_, j) in follows.items():
        for n in range(len(outputs)):
            names[n][j] = known[i]
    for n, o in enumerate(outputs):
        rest = [j for j in range(1, o.ndim) if names[n][j] == UNKNOWN]
        if len(rest) == 1 and o.ndim == 3 and names[n].count(TOKENS) == 1:
            names[n][rest[0]] = FEATURES  # what each token carries, in (batch, tokens, ?)
        if len(rest) == 1 and o.ndim == 2 and [known[i] for i in invariant] == [TOKENS]:
            names[n][rest[0]] = FEATURES  # what is left of a sample once its tokens are summarised
    reduced = invariant[0] if len(invariant) == 1 and invariant[0] not in follows else None
    operation = None
    if reduced is not None and "float" in dtype:
        got = outputs[0][0]
        for name, reduce in OPERATIONS.items():
            expected = reduce(x0.astype("float64"), axis=reduced - 1)
            if got.size == expected.size and close(got.reshape(expected.shape), expected):
                operation = name
                break
        kept = outputs[0].ndim == rank  # keepdims: the summarised axis is still there, 1 long
        if kept and outputs[0].shape[reduced] == 1:
            names[0][reduced] = known[reduced]
    return Probe(tuple(tuple(n) for n in names), renamed, reduced, operation)


def follows_axis(o: np.ndarray, j: int, order: np.ndarray, position: int, permuted: int, changed: int) -> bool:
    """Whether output axis ``j`` follows the probed input axis: permuted with it, or changed only near its position."""
    if close(o[permuted], np.take(o[0], order, axis=j - 1)):
        return True
    n = o.shape[j]
    if n < 4:
        return False
    moved = ~np.isclose(o[changed], o[0], rtol=1e-4, atol=1e-6)
    where = np.flatnonzero(moved.any(axis=tuple(a for a in range(o.ndim - 1) if a != j - 1)))
    reach = (n - 1) // 3
    return where.size > 0 and bool(np.all(np.abs(where - position) <= reach))


def padded_step_outputs(keras: Any, layer: Any, input_shape: tuple) -> dict[str, str] | None:
    """What a mask-applying layer outputs at padded steps, measured on a copy of it with seeded weights.

    Parameters
    ----------
    keras : module
        The ``keras`` package.
    layer : keras.Layer
        A layer that applies a mask over the tokens (an RNN, say); it is not
        run itself: a copy is made from its configuration.
    input_shape : tuple
        Its input shape, e.g. (None, 10, 8).

    Returns
    -------
    dict or None
        For ``"leading"`` and ``"trailing"`` padding: ``"zeros"``, ``"copies"``
        (each padded step repeats the output of a real step) or ``"other"``;
        None if the copy cannot be made or run.
    """
    if len(input_shape) != 3:
        return None
    state = random.getstate()  # Keras seeds a new layer's generators from Python's random module: put it back
    try:
        config = keras.layers.serialize(layer)
        copy = keras.layers.deserialize(zero_initializers(config))
        shape = concrete_shape(tuple(input_shape), 2)
        copy.build(shape)
        rng = np.random.default_rng(SEED)
        copy.set_weights([rng.normal(scale=0.5, size=w.shape).astype(w.dtype) for w in copy.get_weights()])
        steps = shape[1]
        real = max(steps // 2, 2)
        pad = steps - real
        mask = np.zeros((2, steps), dtype=bool)
        mask[0, pad:] = True  # leading padding
        mask[1, :real] = True  # trailing padding
        x = rng.normal(size=shape).astype("float32")
        weights = ([v.value for v in copy.trainable_variables], [v.value for v in copy.non_trainable_variables])

        def run(trainable: Any, other: Any, x: Any, mask: Any) -> Any:
            return keras.tree.flatten(copy.stateless_call(trainable, other, x, mask=mask)[0])[0]

        tensors = (keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(mask))  # as the layer would get them
        out = np.asarray(keras.ops.convert_to_numpy(compiled(keras, run)(*weights, *tensors)), dtype="float64")
    except Exception:  # a layer that cannot be copied or run that way: not measured
        return None
    finally:
        random.setstate(state)
    if out.ndim != 3 or pad == 0:
        return None
    found = {}
    for side, row, padded, kept in (
        ("leading", 0, range(pad), range(pad, steps)),
        ("trailing", 1, range(real, steps), range(real)),
    ):
        values = [out[row, s] for s in padded]
        real_values = [out[row, s] for s in kept]
        if all(np.allclose(v, 0.0, atol=1e-7) for v in values):
            found[side] = "zeros"
        elif all(any(np.allclose(v, r, atol=1e-6) for r in real_values) for v in values):
            found[side] = "copies"
        else:
            found[side] = "other"
    return found


def zero_initializers(config: Any) -> Any:
    """A layer's serialized config with every initializer set to zeros (no draw from any random state)."""
    if isinstance(config, dict):
        return {
            key: ("zeros" if key.endswith("initializer") and value is not None else zero_initializers(value))
            for key, value in config.items()
        }
    if isinstance(config, list):
        return [zero_initializers(v) for v in config]
    return config
