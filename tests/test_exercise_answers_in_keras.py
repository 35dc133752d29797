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


def test_04_channels_first_shape_is_what_keras_gives():
    pooled = keras.layers.GlobalAveragePooling1D(data_format="channels_first")(np.zeros((8, 20, 16), "float32"))
    assert tuple(pooled.shape) == expected("04-channels-first-shape")


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
