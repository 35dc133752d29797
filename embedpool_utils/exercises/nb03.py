"""Exercises of notebook 03 (averaging along an axis): a windowed pooling's shape, masked mean and maximum, a model to debug."""

from __future__ import annotations

from typing import Any

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, keyed_answer, layer_class_name, register

# ---------------------------------------------------------------- 03-window-shape

# Sentences of 20 tokens, 8 at a time, through Embedding(1000, 16), then AveragePooling1D(pool_size=4):
# the notebook prints only pool_size = seq_len, a single window.
BATCH, SEQ_LEN, EMBEDDING_DIM, POOL_SIZE = 8, 20, 16, 4

register(
    Exercise(
        "03-window-shape",
        expected=lambda _: (BATCH, SEQ_LEN // POOL_SIZE, EMBEDDING_DIM),
        mistakes=(
            Mistake(
                lambda _: (BATCH, POOL_SIZE, EMBEDDING_DIM),
                "pool_size is the length of each window, not the number of windows: how many windows of that "
                "length fit into the sentence?",
            ),
            Mistake(
                lambda _: (BATCH, EMBEDDING_DIM),
                "That is what a global pooling gives. A windowed pooling keeps a sequence: one step per window.",
            ),
            Mistake(
                lambda _: (BATCH, 1, EMBEDDING_DIM),
                "One window would cover the whole sentence only if pool_size were the sentence length.",
            ),
            Mistake(
                lambda _: (BATCH, SEQ_LEN - POOL_SIZE + 1, EMBEDDING_DIM),
                "That counts windows that overlap, moved one token at a time; here the stride is the pool size.",
            ),
            Mistake(
                lambda _: (BATCH, SEQ_LEN, EMBEDDING_DIM // POOL_SIZE),
                "The pooling runs along the tokens (channels_last, the default), not along the features.",
            ),
        ),
        shape_hint="Think (batch, windows, features).",
    )
)

# ---------------------------------------------------------------- 03-masked-mean

PADDED_IDS = ((7, 3, 22, 9, 0, 0, 0, 0), (14, 2, 0, 0, 0, 0, 0, 0), (5, 18, 11, 27, 6, 13, 1, 8))


def _embedded(d: dict) -> np.ndarray:
    return core.embedding_lookup(d["table"], d["ids"])


# Sentence vectors of Embedding(mask_zero=True) + GlobalAveragePooling1D for data["ids"].
register(
    Exercise(
        "03-masked-mean",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=313), "ids": np.array(PADDED_IDS)},
        expected=lambda d: core.global_average_pool_1d(_embedded(d), mask=core.padding_mask(d["ids"])),
        mistakes=(
            Mistake(
                lambda d: _embedded(d).mean(axis=1),
                "You forgot the mask: the padding rows (id 0) were averaged in and dilute the result.",
            ),
            Mistake(
                lambda d: (_embedded(d) * core.padding_mask(d["ids"])[..., None]).sum(axis=1) / d["ids"].shape[1],
                "You left the padding out of the sum but not out of the count: divide by the number of real tokens.",
            ),
            Mistake(
                lambda d: _embedded(d).mean(axis=2),
                "That averages each token's features; average over the tokens instead, leaving padding out.",
            ),
        ),
    )
)

# ---------------------------------------------------------------- 03-masked-max

# Short sentences, so that in some feature every real token of a sentence is negative: there a padded step
# set to 0 (instead of -inf) wins the maximum.
MAX_IDS = ((4, 17, 0, 0, 0, 0), (9, 2, 25, 0, 0, 0), (13, 6, 21, 8, 11, 0))


def _max_over_real_tokens(d: dict) -> np.ndarray:
    """Each sentence's maximum over its real tokens alone, feature by feature: (batch, embedding_dim)."""
    real = core.padding_mask(d["ids"])
    return np.stack([core.embedding_lookup(d["table"], row[keep]).max(axis=0) for row, keep in zip(d["ids"], real)])


register(
    Exercise(
        "03-masked-max",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=323), "ids": np.array(MAX_IDS)},
        expected=_max_over_real_tokens,
        mistakes=(
            Mistake(
                lambda d: _embedded(d).max(axis=1),
                "That is GlobalMaxPooling1D's answer: the padding rows take part in the maximum. Leave them out.",
            ),
            Mistake(
                lambda d: (_embedded(d) * core.padding_mask(d["ids"])[..., None]).max(axis=1),
                "Setting the padded steps to 0 is not enough: where every real value of a feature is negative, "
                "a 0 still wins. Give the padded steps a value that can never win.",
            ),
            Mistake(
                lambda d: np.where(core.padding_mask(d["ids"]), _embedded(d).max(axis=2), -np.inf),
                "That is the largest feature of each token. Take the maximum over the tokens, for each feature.",
            ),
        ),
        shape_hint="One vector per sentence: (number of sentences, embedding_dim).",
    )
)

# ---------------------------------------------------------------- 03-debug-model

# The broken model of the prompt: Embedding(1000, 16, mask_zero=True) -> Flatten -> Dense(4), for reviews of any
# length. Flatten needs a fixed length and drops the mask; a global average over the real tokens needs neither.
DEBUG_DIM, DEBUG_UNITS = 16, 4
DEBUG_LAYERS = ("embedding", "flatten", "classifier")
DEBUG_KEYS = ("layer", "by", "classifier_params")
# Layers that take any length, read the mask and give one vector per review: Keras' own, and notebook 03's.
DEBUG_FIXES = ("GlobalAveragePooling1D", "MaskedGlobalMaxPooling1D")
DEBUG_WRONG_FIXES = {
    "globalmaxpooling1d": "GlobalMaxPooling1D takes any length, but look up what it does with the mask in section 8.",
    "averagepooling1d": "AveragePooling1D keeps a sequence of windows, and section 7 shows what it does with the mask.",
    "reshape": "A Reshape needs fixed sizes too, and it drops the mask like Flatten.",
    "dense": "A Dense layer works on each token by itself: it would keep the token axis.",
}


def _debug_verdict(answer: Any, inputs: dict) -> bool | str:
    """True for the layer to replace, a replacement that reads the mask, and the classifier's parameters then."""
    values = keyed_answer(answer, DEBUG_KEYS)
    if isinstance(values, str):
        return values
    layer, by, params = values["layer"], values["by"], values["classifier_params"]
    if not isinstance(layer, str) or layer.strip().lower() not in DEBUG_LAYERS:
        return f"Name the layer to replace by its name in the model: one of {', '.join(DEBUG_LAYERS)}."
    layer = layer.strip().lower()
    if layer == "embedding":
        return "The table is fine, and its mask is what the fix needs: which layer after it fails to build, and drops the mask?"
    if layer == "classifier":
        return "The classifier is fine: the error comes from the shape of the input it receives. Which layer makes that input?"
    if not isinstance(by, str):
        return "Give the new layer's class name as text, in quotes."
    fix = layer_class_name(by)
    if fix not in {name.lower() for name in DEBUG_FIXES}:
        return DEBUG_WRONG_FIXES.get(
            fix, "Look for a layer that takes any length, reads the mask and gives one vector per review."
        )
    if isinstance(params, bool) or not isinstance(params, (int, np.integer)):
        return "Give the number of parameters as an int."
    if params == DEBUG_DIM * DEBUG_UNITS:
        return "Almost: a Dense layer also holds one bias per unit."
    if params != DEBUG_DIM * DEBUG_UNITS + DEBUG_UNITS:
        return (
            "Count again: how many numbers per review reach the classifier after the new layer? Each of its units "
            "has a weight for every one of them, and a bias."
        )
    return True


register(
    Exercise(
        "03-debug-model",
        expected=lambda _: {
            "layer": "flatten",
            "by": DEBUG_FIXES[0],
            "classifier_params": DEBUG_DIM * DEBUG_UNITS + DEBUG_UNITS,
        },
        accepts=_debug_verdict,
    )
)
