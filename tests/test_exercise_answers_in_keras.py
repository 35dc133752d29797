"""Exercises whose answer is a fact about Keras: the bank's answer is what Keras itself does (JAX backend, CPU).

test_exercises.py proves that each exercise accepts a solution written by
hand; these tests prove that the answer is true of the real layers, so that
the bank cannot drift away from Keras unnoticed.
"""

import json
import re
import warnings

import keras
import numpy as np
import pytest
from support import NOTEBOOKS_DIR

from embedpool_utils import exercise_inputs
from embedpool_utils.exercises.engine import get_exercise


def expected(exercise_id):
    return get_exercise(exercise_id).expected(exercise_inputs(exercise_id))


def first_predict_fails(maxlen, embedding_dim):
    """Build Embedding(5000, dim, mask_zero=True) + channels_first pooling for `maxlen` tokens; does predict fail?"""
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen,), dtype="int32", name="token_ids"),
            keras.layers.Embedding(5000, embedding_dim, mask_zero=True, name="embedding"),
            keras.layers.GlobalAveragePooling1D(data_format="channels_first", name="pool"),
        ],
        name=f"maxlen_{maxlen}",
    )
    padded = keras.utils.pad_sequences([[5, 12, 7], [8, 14]], maxlen=maxlen, padding="post")
    try:
        model.predict(padded, verbose=0)
    except (TypeError, ValueError):  # which of the two depends on the JAX version
        return True
    return False


def test_04_mask_fit_is_what_keras_predict_does():
    data = exercise_inputs("04-mask-fit")
    in_keras = [first_predict_fails(maxlen, data["embedding_dim"]) for maxlen in data["maxlens"]]
    assert in_keras == expected("04-mask-fit").tolist()
    assert True in in_keras and False in in_keras  # the exercise asks about both outcomes


def test_06_port_shape_is_what_a_channels_first_average_pooling_gives():
    """PyTorch's nn.AvgPool1d reads (N, C, L): Keras' AveragePooling1D with channels_first reads the same layout."""
    data = exercise_inputs("06-port-shape")
    pool = keras.layers.AveragePooling1D(data["kernel_size"], data_format="channels_first")
    assert tuple(pool(np.zeros(data["embedded_shape"], "float32")).shape) == expected("06-port-shape")


def review_classifier(**pool_args):
    """Notebook 04's exercise 1 model: Embedding(5000, 32) on 50 tokens, a pooling, Dense(1)."""
    return keras.Sequential(
        [
            keras.Input(shape=(50,), dtype="int32", name="token_ids"),
            keras.layers.Embedding(5000, 32, name="embedding"),
            keras.layers.GlobalAveragePooling1D(name="pool", **pool_args),
            keras.layers.Dense(1, activation="sigmoid", name="classifier"),
        ],
        name="reviews",
    )


def test_04_debug_default_is_what_keras_builds_under_a_channels_first_keras_json():
    answer = expected("04-debug-default")
    before = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")  # what the colleague's keras.json does
    try:
        broken = review_classifier()
        fixed = review_classifier(data_format=answer["data_format"])
    finally:
        keras.config.set_image_data_format(before)
    assert broken.get_layer(answer["layer"]).data_format == "channels_first"
    assert broken.get_layer("classifier").count_params() == answer["params_before"]
    assert fixed.get_layer("classifier").count_params() == answer["params_after"]
    assert tuple(fixed.get_layer("pool").output.shape) == (None, 32)


def test_03_window_shape_is_what_keras_gives():
    ids = np.ones((8, 20), dtype="int32")
    x = keras.layers.Embedding(1000, 16)(ids)
    assert tuple(keras.layers.AveragePooling1D(pool_size=4)(x).shape) == expected("03-window-shape")


def reviews_model(head):
    """Notebook 03's exercise 4 model, for reviews of any length, with ``head`` between embedding and classifier."""
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32", name="token_ids"),
            keras.layers.Embedding(1000, 16, mask_zero=True, name="embedding"),
            head,
            keras.layers.Dense(4, activation="softmax", name="classifier"),
        ],
        name="reviews",
    )


def test_03_debug_model_fails_as_the_prompt_says_and_its_fix_builds_reads_the_mask_and_counts_right():
    answer = expected("03-debug-model")
    with pytest.raises(ValueError, match="fully-defined"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that Flatten drops the mask, then fails to build
        reviews_model(keras.layers.Flatten(name=answer["layer"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fixed = reviews_model(getattr(keras.layers, answer["by"])(name="pool"))
    assert not [w for w in caught if "mask" in str(w.message)]  # the new layer keeps the mask: no warning
    assert fixed.get_layer("classifier").count_params() == answer["classifier_params"]
    # it leaves the padding out: a review and the same review padded give the same output
    review = np.array([[5, 12, 7, 3]], dtype="int32")
    padded = np.array([[5, 12, 7, 3, 0, 0, 0, 0, 0]], dtype="int32")
    assert np.allclose(keras.ops.convert_to_numpy(fixed(review)), keras.ops.convert_to_numpy(fixed(padded)), atol=1e-6)


def test_03_masked_max_is_a_maximum_over_the_real_tokens_in_keras():
    """The bank's answer equals Keras' own maximum with the padded steps set to -inf under the embedding's mask."""
    data = exercise_inputs("03-masked-max")
    embedding = keras.layers.Embedding(
        30, 7, mask_zero=True, embeddings_initializer=keras.initializers.Constant(data["table"])
    )
    x, mask = embedding(data["ids"]), embedding.compute_mask(data["ids"])
    in_keras = keras.ops.max(keras.ops.where(keras.ops.expand_dims(mask, -1), x, -np.inf), axis=1)
    assert np.allclose(keras.ops.convert_to_numpy(in_keras), expected("03-masked-max"))
    # and GlobalMaxPooling1D, which drops the mask, gives another answer on these ids
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = keras.layers.GlobalMaxPooling1D()(x)
    assert not np.allclose(keras.ops.convert_to_numpy(plain), expected("03-masked-max"))


def test_07_report_codes_builds_the_model_its_prompt_shows():
    """data["build"]() spares the learner from typing the model again: it must be the model the prompt prints."""
    notebook = json.loads((NOTEBOOKS_DIR / "07_check_your_model.ipynb").read_text())
    (prompt,) = [
        text
        for text in ("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        if 'name="conv_classifier"' in text
    ]
    (code,) = re.findall(r"```python\n(.*?)```", prompt, flags=re.DOTALL)
    with warnings.catch_warnings():  # Keras warns about the mask that Conv1D drops, for both models
        warnings.simplefilter("ignore")
        shown = eval(code, {"keras": keras})
        built = exercise_inputs("07-report-codes")["build"]()
    assert built.get_config() == shown.get_config()
