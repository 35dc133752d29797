"""Models people write, rebuilt small for the inspector's tests: no data, no training, every layer named.

Each is written here from what the published example does, not copied from
it: keras-io's "Text classification with Transformer" (a token-and-position
embedding and a Transformer block, both layers of one's own), an FNet-style
encoder (token mixing by a Fourier transform), the InferSent-style BiLSTM
followed by a maximum over time, a text CNN, a shared Embedding on two
inputs, and reductions written with ``keras.ops`` or a ``Lambda``. The layers
of one's own are registered, so that a saved model loads where this module is
imported (the command line's ``--custom-objects``).
"""

from __future__ import annotations

import warnings

import keras
from keras import ops

L = keras.layers
PACKAGE = "embedpool_corpus"
MAXLEN, VOCAB, DIM = 12, 40, 8


@keras.saving.register_keras_serializable(package=PACKAGE)
class TokenAndPositionEmbedding(L.Layer):
    """A vector per token id plus a vector per position, as the keras-io Transformer example starts."""

    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.vocab_size, self.embed_dim = maxlen, vocab_size, embed_dim
        self.token_table = L.Embedding(vocab_size, embed_dim, name="token_table")
        self.position_table = L.Embedding(maxlen, embed_dim, name="position_table")

    def call(self, ids):
        positions = ops.arange(ops.shape(ids)[-1])
        return self.token_table(ids) + self.position_table(positions)

    def get_config(self):
        return {
            **super().get_config(),
            "maxlen": self.maxlen,
            "vocab_size": self.vocab_size,
            "embed_dim": self.embed_dim,
        }


@keras.saving.register_keras_serializable(package=PACKAGE)
class TransformerBlock(L.Layer):
    """Self-attention and a two-layer feed-forward network, each with a residual connection and a normalisation."""

    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim, self.num_heads, self.ff_dim, self.rate = embed_dim, num_heads, ff_dim, rate
        self.attention = L.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim, name="attention")
        self.feed_forward = keras.Sequential(
            [L.Dense(ff_dim, activation="relu", name="ff_in"), L.Dense(embed_dim, name="ff_out")], name="feed_forward"
        )
        self.norm_1, self.norm_2 = L.LayerNormalization(name="norm_1"), L.LayerNormalization(name="norm_2")
        self.drop_1, self.drop_2 = L.Dropout(rate, name="drop_1"), L.Dropout(rate, name="drop_2")

    def call(self, x, training=False):
        attended = self.drop_1(self.attention(x, x), training=training)
        x = self.norm_1(x + attended)
        return self.norm_2(x + self.drop_2(self.feed_forward(x), training=training))

    def get_config(self):
        return {
            **super().get_config(),
            "embed_dim": self.embed_dim,
            "num_heads": self.num_heads,
            "ff_dim": self.ff_dim,
            "rate": self.rate,
        }


@keras.saving.register_keras_serializable(package=PACKAGE)
class FourierMixing(L.Layer):
    """FNet's mixing: the real part of a 2-D Fourier transform over the tokens and the features, then add & norm."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.norm = L.LayerNormalization(name="norm")
        self.dense = L.Dense(DIM, name="dense")

    def call(self, x):
        real, _ = ops.fft2((x, ops.zeros_like(x)))
        x = self.norm(x + real)
        return x + self.dense(x)


@keras.saving.register_keras_serializable(package=PACKAGE)
class MaskedMax(L.Layer):
    """The maximum over the real tokens only: padded steps set to -inf first (the fix for a max over padding)."""

    def call(self, x, mask=None):
        if mask is not None:
            x = ops.where(ops.expand_dims(mask, -1), x, float("-inf"))
        return ops.max(x, axis=1)

    def compute_mask(self, x, mask=None):
        return None


def _functional(inputs, outputs, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns about the masks some of these models drop on purpose
        return keras.Model(inputs, outputs, name=name)


def transformer_classifier(data_format="channels_last", *, seq_len=MAXLEN):
    """keras-io's text Transformer, small: token+position embedding, one block, average pooling, classifier."""
    ids = keras.Input((seq_len,), dtype="int32", name="token_ids")
    x = TokenAndPositionEmbedding(MAXLEN, VOCAB, DIM, name="embedding")(ids)
    x = TransformerBlock(DIM, 2, 16, name="transformer")(x)
    x = L.GlobalAveragePooling1D(data_format=data_format, name="pool")(x)
    x = L.Dropout(0.1, name="dropout")(x)
    return _functional(ids, L.Dense(2, activation="softmax", name="out")(x), "transformer_" + data_format)


def fnet_classifier():
    """An FNet-style encoder: Embedding, Fourier mixing, average over the tokens, classifier."""
    ids = keras.Input((MAXLEN,), dtype="int32", name="token_ids")
    x = L.Embedding(VOCAB, DIM, name="embedding")(ids)
    x = FourierMixing(name="fnet")(x)
    x = L.GlobalAveragePooling1D(name="pool")(x)
    return _functional(ids, L.Dense(2, activation="softmax", name="out")(x), "fnet")


def recurrent_max(*, bidirectional=True, masked_max=False, seq_len=None):
    """InferSent-style: masked Embedding, (Bi)LSTM over the sequence, the maximum over time, classifier."""
    ids = keras.Input((seq_len,), dtype="int32", name="token_ids")
    x = L.Embedding(VOCAB, DIM, mask_zero=True, name="embedding")(ids)
    lstm = L.LSTM(6, return_sequences=True, name="lstm")
    x = (L.Bidirectional(lstm, name="bilstm") if bidirectional else lstm)(x)
    x = (MaskedMax(name="max") if masked_max else L.GlobalMaxPooling1D(name="max"))(x)
    return _functional(ids, L.Dense(1, activation="sigmoid", name="out")(x), "recurrent_max")


def max_over_embedding(*, masked, conv=False, seq_len=None):
    """A text CNN (Conv1D, then the maximum over time) or a plain maximum over the embeddings."""
    ids = keras.Input((seq_len,), dtype="int32", name="token_ids")
    x = L.Embedding(VOCAB, DIM, mask_zero=masked, name="embedding")(ids)
    if conv:
        x = L.Conv1D(8, 3, padding="same", activation="relu", name="conv")(x)
    x = L.GlobalMaxPooling1D(name="max")(x)
    return _functional(ids, L.Dense(1, activation="sigmoid", name="out")(x), "text_cnn" if conv else "max")


def shared_embedding():
    """Two inputs (a question and an answer) read by one shared, masked Embedding, each averaged."""
    question = keras.Input((MAXLEN,), dtype="int32", name="question")
    answer = keras.Input((MAXLEN,), dtype="int32", name="answer")
    table = L.Embedding(VOCAB, DIM, mask_zero=True, name="embedding")
    pool = L.GlobalAveragePooling1D(name="pool")
    both = L.Concatenate(name="both")([pool(table(question)), pool(table(answer))])
    return _functional([question, answer], L.Dense(1, activation="sigmoid", name="out")(both), "shared_embedding")


def mean_by_hand(axis, *, written="lambda", masked=False):
    """An average written by hand: a Lambda around keras.ops.mean, or keras.ops.mean itself, over ``axis``."""
    ids = keras.Input((MAXLEN,), dtype="int32", name="token_ids")
    x = L.Embedding(VOCAB, DIM, mask_zero=masked, name="embedding")(ids)
    if written == "lambda":
        x = L.Lambda(lambda t: ops.mean(t, axis=axis), name="mean")(x)
    else:
        x = ops.mean(x, axis=axis)
    return _functional(ids, L.Dense(1, activation="sigmoid", name="out")(x), f"mean_{written}")


def masked_average():
    """The series' own model: masked Embedding, GlobalAveragePooling1D, classifier."""
    ids = keras.Input((MAXLEN,), dtype="int32", name="token_ids")
    x = L.GlobalAveragePooling1D(name="pool")(L.Embedding(VOCAB, DIM, mask_zero=True, name="embedding")(ids))
    return _functional(ids, L.Dense(1, activation="sigmoid", name="out")(x), "masked_average")
