"""Notebook 01's and 02's exercises beyond the bank-wide checks: the data they rest on, and the repair judged by running.

``02-repair-old-model`` takes the learner's ``build`` function and judges the
model it builds by what it does: it must build without an error or a warning,
take sentences of any length, keep ``Embedding(30, 7)``, and average each
sentence's rows, also when built as if ``keras.json`` said ``channels_first``.
"""

from __future__ import annotations

import numpy as np
import pytest

from embedpool_utils.exercises.engine import evaluate, exercise_inputs

keras = pytest.importorskip("keras")
L = keras.layers


def test_the_ids_behind_the_rows_are_unique_to_them():
    """Every row of the table differs, so each output row names exactly one id."""
    table = exercise_inputs("01-ids-from-rows")["table"]
    assert len(np.unique(table, axis=0)) == len(table)


def test_some_sentences_of_the_last_words_exercise_end_in_padding_and_one_does_not():
    """The padding is what makes x[:, -1] wrong; a full sentence makes 'the position before the first 0' wrong."""
    ids = exercise_inputs("02-last-words")["ids"]
    assert (ids[:, -1] == 0).any() and (ids[:, -1] != 0).any()
    assert all((row[: np.count_nonzero(row)] != 0).all() for row in ids)  # the words first, then only padding


def sequential(make_layers, shape=(None,)):
    """A build function, as the learner writes one: every layer is made when build() runs, under its configuration."""
    return lambda: keras.Sequential([keras.Input(shape, dtype="int32"), *make_layers()], name="attempt")


def verdict(build):
    return evaluate("02-repair-old-model", build)


def keras_2_model():
    shape = 10  # the notebook's keras.Input((10)): brackets around an int, no tuple
    return keras.Sequential([keras.Input(shape), L.Embedding(30, 7, input_length=10), L.GlobalAveragePooling1D()])


@pytest.mark.parametrize(
    "build, said",
    [
        (keras_2_model, "still fails: ValueError"),
        (sequential(lambda: [L.Embedding(30, 7, input_length=10), L.GlobalAveragePooling1D()], (10,)), "still warns"),
        (
            sequential(lambda: [L.Embedding(30, 7), L.GlobalAveragePooling1D(data_format="channels_last")], (10,)),
            "any length",
        ),
        (
            sequential(lambda: [L.Embedding(30, 7), L.GlobalAveragePooling1D()]),
            'as if keras.json said "channels_first"',
        ),
        (
            sequential(lambda: [L.Embedding(30, 7), L.GlobalAveragePooling1D(data_format="channels_first")]),
            "the mean of",
        ),
        (sequential(lambda: [L.Embedding(30, 7), L.GlobalMaxPooling1D(data_format="channels_last")]), "the mean of"),
        (
            sequential(lambda: [L.Embedding(30, 8), L.GlobalAveragePooling1D(data_format="channels_last")]),
            "Embedding(30, 7)",
        ),
        (lambda: None, "must return the Keras model"),
    ],
)
def test_each_problem_left_gets_its_hint_and_never_the_fix(build, said):
    message = verdict(build).message
    assert message.startswith("Not quite.") and said in message, message
    assert "data_format=" not in message and "shape=(None" not in message and "(None,)" not in message


def masked_functional():
    token_ids = keras.Input((None,), dtype="int32")
    embedded = L.Embedding(30, 7, mask_zero=True)(token_ids)
    return keras.Model(token_ids, L.GlobalAveragePooling1D(data_format="channels_last")(embedded))


@pytest.mark.parametrize(
    "build",
    [
        sequential(lambda: [L.Embedding(30, 7), L.GlobalAveragePooling1D(data_format="channels_last")]),
        masked_functional,
        sequential(lambda: [L.Embedding(30, 7), L.Lambda(lambda t: keras.ops.mean(t, axis=1))]),
    ],
)
def test_models_that_average_the_tokens_pass_however_they_are_written(build):
    assert verdict(build).correct, verdict(build).message


def test_the_model_itself_is_not_the_answer_its_build_function_is():
    model = sequential(lambda: [L.Embedding(30, 7), L.GlobalAveragePooling1D(data_format="channels_last")])()
    assert "without brackets" in verdict(model).message


def test_the_check_leaves_the_data_format_setting_as_it_found_it():
    def failing():
        raise RuntimeError("broken on purpose")

    before = keras.config.image_data_format()
    for build in (failing, sequential(lambda: [L.Embedding(30, 7), L.GlobalAveragePooling1D()])):
        assert not verdict(build).correct
        assert keras.config.image_data_format() == before
