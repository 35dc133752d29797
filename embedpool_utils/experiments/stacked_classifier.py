"""Notebook 05's pooling classifier in numpy for many runs at once: weights, forward pass, loss, gradients.

The model of every run is ``Embedding -> GlobalAveragePooling1D -> Dense(heads,
activation="sigmoid")`` with Keras' ``binary_crossentropy``. Runs (other start
weights, other data) are stacked on a leading ``runs`` axis, so one numpy
operation computes all of them. :mod:`~embedpool_utils.experiments.training` trains them.

Shapes, with R runs, batch B, seq_len L, vocab_size V, embedding_dim D and H heads:
ids (R, B, L) -> token vectors (R, B, L, D) -> pooled (R, B, D) for channels_last
(the average over the tokens, masked or not) or (R, B, L) for channels_first (the
average of each token's D numbers) -> probabilities (R, B, H) -> loss: the clipped
binary cross-entropy averaged over B and H, as Keras.

A channels_last average is a weighted bag of words: ``pooled = bag @ table``,
where ``bag[r, b, v]`` is the share of sentence b's averaged tokens that are word
v. Its gradient is then ``bag.T @ d_pooled``. A channels_first average is one
number per token, the mean of its row: ``row_means[ids]``.

Examples
--------
>>> from embedpool_utils.experiments import sentiment_data
>>> model = Classifier(vocab_size=31, embedding_dim=8, seq_len=10)
>>> data = sentiment_data.make_sentences(64, seed=0)
>>> start = initial_weights(model, seeds=[0, 1, 2])       # three runs
>>> start.table.shape, start.kernel.shape, start.bias.shape
((3, 31, 8), (3, 8, 1), (3, 1))
>>> predict(model, start, data.ids).shape, accuracy(model, start, data.ids, data.labels).shape
((3, 64, 1), (3, 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from embedpool_utils.shapes import DATA_FORMATS, DataFormat
from embedpool_utils.validation import check_ids, positive_int

__all__ = [
    "EPSILON",
    "Classifier",
    "Weights",
    "accuracy",
    "bag_of_words",
    "forward",
    "forward_backward",
    "initial_weights",
    "loss_and_gradients",
    "predict",
    "stack_inputs",
]

#: Keras' ``backend.epsilon()``: probabilities are clipped to [EPSILON, 1 - EPSILON] in the loss.
EPSILON = 1e-7


@dataclass(frozen=True)
class Classifier:
    """The architecture: ``Embedding(vocab_size, embedding_dim, mask_zero)`` -> pooling -> ``Dense(heads)``.

    Attributes
    ----------
    vocab_size, embedding_dim, seq_len : int
    data_format : {"channels_last", "channels_first"}
        Of ``GlobalAveragePooling1D``.
    mask_zero : bool
        Of ``Embedding``: leave padding (id 0) out of the average. Only with channels_last.
    heads : int
        Outputs of the dense layer, one sigmoid (and one 0/1 label) each.
    """

    vocab_size: int
    embedding_dim: int
    seq_len: int
    data_format: DataFormat = "channels_last"
    mask_zero: bool = False
    heads: int = 1

    def __post_init__(self) -> None:
        for name in ("vocab_size", "embedding_dim", "seq_len", "heads"):
            positive_int(getattr(self, name), name)
        if self.data_format not in DATA_FORMATS:
            raise ValueError(f"data_format must be one of {DATA_FORMATS}; got {self.data_format!r}.")
        if self.mask_zero and self.data_format == "channels_first":
            raise ValueError(
                "mask_zero=True does not fit data_format='channels_first': the token mask runs along "
                "the tokens, the pooling averages the features (notebook 04); Keras fails at the first batch."
            )

    @property
    def features(self) -> int:
        """Width of the pooled output, the dense layer's input: D for channels_last, L for channels_first."""
        return self.embedding_dim if self.data_format == "channels_last" else self.seq_len


@dataclass(frozen=True)
class Weights:
    """The weights of R runs, stacked.

    Attributes
    ----------
    table : ndarray, shape (runs, vocab_size, embedding_dim)
    kernel : ndarray, shape (runs, features, heads)
    bias : ndarray, shape (runs, heads)
    """

    table: NDArray[np.floating]
    kernel: NDArray[np.floating]
    bias: NDArray[np.floating]

    @property
    def runs(self) -> int:
        """Number of stacked runs R."""
        return self.table.shape[0]

    def keras_weights(self, run: int) -> list[NDArray[np.floating]]:
        """One run's weights in Keras' order, ``[table, kernel, bias]``, for ``model.set_weights``.

        Parameters
        ----------
        run : int
            Which run, 0 ... R - 1.

        Returns
        -------
        list of ndarray
            Shapes (vocab_size, embedding_dim), (features, heads) and (heads,).
        """
        return [self.table[run], self.kernel[run], self.bias[run]]

    def arrays(self) -> tuple[NDArray[np.floating], ...]:
        """The three stacked arrays, ``(table, kernel, bias)``.

        Returns
        -------
        tuple of ndarray
            Shapes (R, vocab_size, embedding_dim), (R, features, heads) and (R, heads).
        """
        return self.table, self.kernel, self.bias


def initial_weights(model: Classifier, seeds: ArrayLike, *, dtype: DTypeLike = "float32") -> Weights:
    """Start weights drawn like Keras' defaults, one run per seed, from ``numpy.random.default_rng(seed)``.

    The table is uniform in [-0.05, 0.05) (``Embedding``'s ``"uniform"``), the kernel
    Glorot-uniform in [-limit, limit) with ``limit = sqrt(6 / (features + heads))``
    (``Dense``'s ``"glorot_uniform"``), the bias zero. The table is drawn first, so
    one seed gives every pooling variant of the same sizes the same table.

    Parameters
    ----------
    model : Classifier
    seeds : sequence of int, length R
    dtype : dtype-like

    Returns
    -------
    Weights
        table (R, vocab_size, embedding_dim), kernel (R, features, heads), bias (R, heads).
    """
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    limit = np.sqrt(6.0 / (model.features + model.heads))
    tables, kernels = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        tables.append(rng.uniform(-0.05, 0.05, size=(model.vocab_size, model.embedding_dim)))
        kernels.append(rng.uniform(-limit, limit, size=(model.features, model.heads)))
    return Weights(np.asarray(tables, dtype), np.asarray(kernels, dtype), np.zeros((len(seeds), model.heads), dtype))


# Labels come back exactly when labels go in: the two overloads tell the type checker so.
@overload
def stack_inputs(
    model: Classifier, runs: int, ids: ArrayLike, labels: None = None
) -> tuple[NDArray[np.integer], None]: ...
@overload
def stack_inputs(
    model: Classifier, runs: int, ids: ArrayLike, labels: ArrayLike
) -> tuple[NDArray[np.integer], NDArray[np.integer]]: ...
def stack_inputs(
    model: Classifier, runs: int, ids: ArrayLike, labels: ArrayLike | None = None
) -> tuple[NDArray[np.integer], NDArray[np.integer] | None]:
    """Checked ids and labels with a leading runs axis; data given without one is shared by every run.

    Parameters
    ----------
    model : Classifier
    runs : int
        R, the number of stacked runs.
    ids : array_like of int, shape (batch, seq_len) or (R, batch, seq_len)
    labels : array_like of 0/1, shape (batch,), (batch, heads), (R, batch) or (R, batch, heads); optional

    Returns
    -------
    ids : ndarray, shape (R, batch, seq_len)
    labels : ndarray, shape (R, batch, heads), or None when no labels were given

    Raises
    ------
    ValueError, IndexError, TypeError
        Saying which shape or values were expected.
    """
    ids = check_ids(ids, model.vocab_size)
    shared = ids.ndim == 2
    if ids.shape[-1:] != (model.seq_len,) or ids.ndim not in (2, 3) or (not shared and ids.shape[0] != runs):
        raise ValueError(
            f"ids must have shape (batch, seq_len) = (batch, {model.seq_len}) for data shared by all runs, "
            f"or (runs, batch, seq_len) = ({runs}, batch, {model.seq_len}); got {ids.shape}."
        )
    if shared:
        ids = np.broadcast_to(ids, (runs,) + ids.shape)
    if labels is None:
        return ids, None
    labels = np.asarray(labels)
    lead = (ids.shape[1],) if shared else (runs, ids.shape[1])
    if labels.shape not in (lead, lead + (model.heads,)) or (labels.shape == lead and model.heads != 1):
        raise ValueError(
            f"labels must have shape {lead + (model.heads,)}"
            + (f" or {lead}" if model.heads == 1 else "")
            + f" to go with ids of shape {ids.shape[1:] if shared else ids.shape}; got {labels.shape}."
        )
    if not np.isin(labels, (0, 1)).all():
        raise ValueError(f"labels must be 0 or 1; got the values {np.unique(labels).tolist()[:6]}.")
    return ids, np.broadcast_to(labels.reshape(lead + (model.heads,)), (runs, ids.shape[1], model.heads))


def bag_of_words(model: Classifier, ids: NDArray[np.integer], dtype: DTypeLike = "float32") -> NDArray | None:
    """What a channels_last average takes from each word: ``bag[r, b, v]``, the share of sentence b that is word v.

    Only the tokens the pooling averages count: all ``seq_len`` of them, or with
    ``mask_zero`` the non-padding ones (a sentence of padding only gives NaN, as in Keras,
    with numpy's warning about 0/0).
    :func:`~embedpool_utils.experiments.training.fit` makes each data set's bags once and slices them per batch.

    Parameters
    ----------
    model : Classifier
    ids : ndarray of int, shape (R, batch, seq_len)
        As returned by :func:`stack_inputs`.
    dtype : dtype-like
        That of the weights it will multiply.

    Returns
    -------
    ndarray, shape (R, batch, vocab_size), or None
        None for channels_first, whose average does not mix the tokens.
    """
    if model.data_format == "channels_first":
        return None
    runs, batch, seq_len = ids.shape
    if model.mask_zero:
        kept = ids != 0
        share = kept / kept.sum(axis=2, keepdims=True)
    else:
        share = np.full(ids.shape, 1.0 / seq_len)
    sentence = np.arange(runs * batch).reshape(runs, batch, 1)
    flat = np.bincount(
        (sentence * model.vocab_size + ids).ravel(), weights=share.ravel(), minlength=runs * batch * model.vocab_size
    )
    # in the weights' dtype: a bag of another dtype would make every product with the table cast the table first
    return flat.reshape(runs, batch, model.vocab_size).astype(dtype)


def forward(
    model: Classifier, weights: Weights, ids: NDArray[np.integer], bag: NDArray[np.floating] | None
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    """The pooling layer's output and the probabilities of label 1, on stacked inputs.

    Parameters
    ----------
    model : Classifier
    weights : Weights
        R runs.
    ids : ndarray of int, shape (R, batch, seq_len)
        As returned by :func:`stack_inputs`.
    bag : ndarray, shape (R, batch, vocab_size), or None
        ``bag_of_words(model, ids)``.

    Returns
    -------
    pooled : ndarray, shape (R, batch, features)
        (R, batch, embedding_dim) for channels_last, (R, batch, seq_len) for channels_first.
    probabilities : ndarray, shape (R, batch, heads)
    """
    if bag is not None:
        pooled = (bag @ weights.table).astype(weights.table.dtype, copy=False)
    else:
        row_means = weights.table.mean(axis=2)  # (R, V): one number per word
        pooled = row_means[np.arange(ids.shape[0]).reshape(-1, 1, 1), ids]
    return pooled, 1.0 / (1.0 + np.exp(-(pooled @ weights.kernel + weights.bias[:, np.newaxis, :])))


def predict(model: Classifier, weights: Weights, ids: ArrayLike) -> NDArray[np.floating]:
    """Probabilities of label 1, as ``model.predict(ids)`` of each run.

    Parameters
    ----------
    model : Classifier
    weights : Weights
        R runs.
    ids : array_like of int, shape (batch, seq_len) or (R, batch, seq_len)

    Returns
    -------
    ndarray, shape (R, batch, heads)
    """
    ids, _ = stack_inputs(model, weights.runs, ids)
    return forward(model, weights, ids, bag_of_words(model, ids, weights.table.dtype))[1]


def accuracy(model: Classifier, weights: Weights, ids: ArrayLike, labels: ArrayLike) -> NDArray[np.float64]:
    """Share of sentences whose label is predicted right (probability > 0.5 means 1), per run and head.

    Parameters
    ----------
    model : Classifier
    weights : Weights
        R runs.
    ids : array_like of int, shape (batch, seq_len) or (R, batch, seq_len)
    labels : array_like of 0/1, shape (batch,), (batch, heads), (R, batch) or (R, batch, heads)

    Returns
    -------
    ndarray, shape (R, heads)
    """
    ids, labels = stack_inputs(model, weights.runs, ids, labels)
    return ((predict(model, weights, ids) > 0.5) == labels).mean(axis=1)


def forward_backward(
    model: Classifier,
    weights: Weights,
    ids: NDArray[np.integer],
    labels: NDArray[np.integer],
    bag: NDArray[np.floating] | None,
) -> tuple[NDArray[np.floating], NDArray[np.floating], Weights]:
    """Loss, probabilities and gradients of one batch of stacked inputs (what a training step needs).

    Parameters
    ----------
    model : Classifier
    weights : Weights
        R runs.
    ids, labels : ndarray, shapes (R, batch, seq_len) and (R, batch, heads)
        As returned by :func:`stack_inputs`.
    bag : ndarray, shape (R, batch, vocab_size), or None
        ``bag_of_words(model, ids)``.

    Returns
    -------
    loss : ndarray, shape (R,)
    probabilities : ndarray, shape (R, batch, heads)
    gradients : Weights
        Same shapes as ``weights``.
    """
    pooled, p = forward(model, weights, ids, bag)
    runs, batch, _ = ids.shape
    y = labels.astype(p.dtype)
    clipped = np.clip(p, EPSILON, 1 - EPSILON)
    loss = -(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)).mean(axis=(1, 2))
    # sigmoid and cross-entropy together: d loss / d logit = (p - y) / (B * H), and 0 where Keras'
    # clip is active (its gradient is zero there).
    inside = (p >= EPSILON) & (p <= 1 - EPSILON)
    d_logit = np.where(inside, p - y, 0) / (batch * model.heads)
    d_kernel = pooled.transpose(0, 2, 1) @ d_logit
    d_bias = d_logit.sum(axis=1)
    d_pooled = d_logit @ weights.kernel.transpose(0, 2, 1)
    if bag is not None:
        d_table = bag.transpose(0, 2, 1) @ d_pooled
    else:
        # every token's gradient goes to the mean of its row, i.e. 1/D to each of the row's entries
        vocab = model.vocab_size
        flat = np.bincount(
            (np.arange(runs).reshape(runs, 1, 1) * vocab + ids).ravel(),
            weights=d_pooled.ravel(),
            minlength=runs * vocab,
        )
        d_table = np.repeat(flat.reshape(runs, vocab, 1) / model.embedding_dim, model.embedding_dim, axis=2)
    dtype = weights.table.dtype
    grads = Weights(
        d_table.astype(dtype, copy=False), d_kernel.astype(dtype, copy=False), d_bias.astype(dtype, copy=False)
    )
    return loss, p, grads


def loss_and_gradients(
    model: Classifier, weights: Weights, ids: ArrayLike, labels: ArrayLike
) -> tuple[NDArray[np.floating], Weights]:
    """Each run's mean binary cross-entropy on the batch and its gradient with respect to every weight.

    The loss is Keras' ``binary_crossentropy`` on sigmoid outputs: probabilities clipped
    to [1e-7, 1 - 1e-7], averaged over the batch and the heads.

    Parameters
    ----------
    model : Classifier
    weights : Weights
        R runs.
    ids : array_like of int, shape (batch, seq_len) or (R, batch, seq_len)
    labels : array_like of 0/1, shape (batch,), (batch, heads), (R, batch) or (R, batch, heads)

    Returns
    -------
    loss : ndarray, shape (R,)
    gradients : Weights
        Same shapes as ``weights``.
    """
    ids, labels = stack_inputs(model, weights.runs, ids, labels)
    loss, _, grads = forward_backward(model, weights, ids, labels, bag_of_words(model, ids, weights.table.dtype))
    return loss, grads
